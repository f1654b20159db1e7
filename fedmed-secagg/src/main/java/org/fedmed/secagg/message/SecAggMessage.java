package org.fedmed.secagg.message;

/**
 * One message of the secure-aggregation protocol. Client-to-server messages name their sender, server-to-
 * client messages their recipient; the server only relays and checks them, and every message that carries a
 * secret carries it encrypted for its recipient.
 *
 * <p>Parties are not authenticated here: messages carry no signatures, because every connection between a
 * site and the coordinator is mutually authenticated by TLS at the transport layer, which binds each
 * message's sender id to a site certificate. A transport that cannot guarantee this must not carry them.
 *
 * <p>Rounds, as in Bonawitz et al. (2017): (0) {@link SetupRequest} then {@link KeyAdvertisement}; (1)
 * {@link KeyDirectory} then {@link ShareBundle}; (2) {@link ShareDelivery} then {@link MaskedInput}; (3)
 * {@link UnmaskRequest} then {@link UnmaskResponse}.
 */
public sealed interface SecAggMessage
        permits SetupRequest, KeyAdvertisement, KeyDirectory, ShareBundle, ShareDelivery, MaskedInput, UnmaskRequest,
        UnmaskResponse {
}
