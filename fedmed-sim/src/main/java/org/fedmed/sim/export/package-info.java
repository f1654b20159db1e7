/**
 * A simulation's federated model written as a file a user can apply to new rows, with its provenance naming the
 * input features and the preprocessing, and the predictor that applies it to a CSV of raw rows.
 */
package org.fedmed.sim.export;
