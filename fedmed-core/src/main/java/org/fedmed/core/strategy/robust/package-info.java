/**
 * Robust aggregation: rules that combine a round's updates so that a few faulty or hostile sites cannot move the
 * global model far ({@link org.fedmed.core.strategy.robust.AggregationRule}: coordinate-wise median, trimmed mean,
 * Krum, Multi-Krum), and a filter that bounds each update's norm before it reaches any aggregator
 * ({@link org.fedmed.core.strategy.robust.NormBoundingFilter}).
 *
 * <p>Unlike the streaming weighted mean, these aggregators hold every update of the round until
 * {@link org.fedmed.core.strategy.Aggregator#result()}: their memory is O(N·P) for N updates of P parameters. Their
 * result is the combined model as full weights, with no server step; the strategy's server optimizer is applied to
 * it afterwards.
 */
package org.fedmed.core.strategy.robust;
