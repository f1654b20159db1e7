/**
 * The federation server: {@link org.fedmed.transport.server.FederationServer} accepts site streams over mutual
 * TLS, admits them through a {@link org.fedmed.transport.server.PeerAuthorizer}, and exposes them as a
 * {@link org.fedmed.transport.server.GrpcSitePool} that validates every update before the aggregator sees it.
 */
package org.fedmed.transport.server;
