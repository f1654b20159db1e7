/**
 * Federated statistics beyond one simulation: the canonical order in which sites' statistics are merged, the
 * fingerprint of a dataset definition that a deployed site reports at admission, what one site computes over its
 * training rows for a statistics exchange, and analytics with small-cell suppression.
 */
package org.fedmed.data.stats;
