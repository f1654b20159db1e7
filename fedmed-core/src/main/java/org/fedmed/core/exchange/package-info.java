/**
 * Rounds that need several exchanges with each site after its fit: a secure sum's advertise keys, share keys,
 * masked input and unmask. The coordinator sends one typed {@link org.fedmed.core.exchange.ExchangeMessage} per site
 * and stage through a {@link org.fedmed.core.exchange.SiteExchange} (the site pool: in process, or over the wire),
 * each stage with its own deadline; a site answers with its own fixed {@link
 * org.fedmed.core.exchange.ExchangeParticipant}, built by the site from the update it keeps. The set of stages is
 * closed and the bodies are data in the protocol's own encoding: nothing a coordinator sends can make a site run
 * anything but its own participant.
 */
package org.fedmed.core.exchange;
