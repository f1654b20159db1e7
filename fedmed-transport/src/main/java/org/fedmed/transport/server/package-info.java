/**
 * The federation server: {@link org.fedmed.transport.server.FederationServer} accepts site streams over mutual
 * TLS, admits them through a {@link org.fedmed.transport.server.PeerAuthorizer}, and exposes them as a
 * {@link org.fedmed.transport.server.GrpcSitePool} that validates every update before the aggregator sees it.
 * Each stream is a {@code SiteLink} (its lifecycle), which hands a Hello to {@code SiteAdmission}, results to its
 * {@code ResultIntake} and statistics answers to its {@code StatisticsCalls}; a round's outcomes reach the engine
 * through the core's {@link org.fedmed.core.engine.DeliveryLoop}, as the in-process pool's do.
 */
package org.fedmed.transport.server;
