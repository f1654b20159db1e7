/**
 * {@code fedmed datasets validate}: every file of a definition checked against it, streaming, and profiled per site
 * in memory that does not grow with the number of rows ({@link org.fedmed.data.profile.DatasetValidator}), printed
 * with small-cell suppression ({@link org.fedmed.data.profile.DatasetProfile#render(int)}).
 */
package org.fedmed.data.profile;
