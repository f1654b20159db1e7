/**
 * A site's connection to its federation: {@link org.fedmed.transport.site.SiteConnection} dials out, answers the
 * tasks its {@link org.fedmed.transport.site.TaskPolicy} accepts with the local site client, records every task in
 * its {@link org.fedmed.transport.site.SiteAuditLog}, and reconnects with backoff when the connection drops.
 */
package org.fedmed.transport.site;
