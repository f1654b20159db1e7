/**
 * Preprocessing of raw tables into model inputs: missing values (dropped or imputed), one-hot encoding,
 * clipping and standardization, with statistics of each site's own or merged from per-site aggregates, and the
 * JSON form an export carries so that a model can be applied to a new row.
 */
package org.fedmed.data.prep;
