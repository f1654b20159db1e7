/**
 * Secure aggregation as a multi-exchange round ({@link org.fedmed.core.exchange}): the coordinator's side,
 * {@link org.fedmed.secagg.exchange.ExchangedSecureSum}, drives a {@link org.fedmed.secagg.SecAggServer} through a
 * site pool one stage at a time, and each site answers with its own
 * {@link org.fedmed.secagg.exchange.SecureSumParticipant} around a {@link org.fedmed.secagg.SecAggClient}. The same
 * two classes run in simulation (the in-process pool) and in deployment (the gRPC pool and the site connection): only
 * the transport differs.
 */
package org.fedmed.secagg.exchange;
