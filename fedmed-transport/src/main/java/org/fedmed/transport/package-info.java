/**
 * The wire between a fedmed server and its sites: gRPC over mutual TLS, one bidirectional stream per site opened
 * by the site, models and updates streamed in checksummed chunks. The protocol is {@code fedmed/v1/federation.proto}.
 *
 * <p>The server side ({@code server}) is a {@link org.fedmed.core.engine.SitePool} the round engine drives
 * unchanged; the site side ({@code site}) wraps a {@link org.fedmed.core.SiteClient}, guarded by the site's task
 * policy and recorded in its audit log; {@code tls} loads credentials from PEM files; {@code wire} holds what both
 * ends share (chunking, layouts, flow-controlled sending).
 */
package org.fedmed.transport;
