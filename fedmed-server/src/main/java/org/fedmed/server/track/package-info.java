/**
 * Experiment tracking: a run's metrics as rows of (run, round, site, metric, value), written as CSV and JSON lines
 * always, as TensorBoard event files, and to an MLflow tracking server when one is named. {@link
 * org.fedmed.server.track.RunTracker} is a {@link org.fedmed.core.engine.RunListener}, so simulation and the
 * deployment server record the same rows the same way.
 */
package org.fedmed.server.track;
