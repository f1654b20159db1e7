package org.fedmed.transport;

/**
 * The version of the wire protocol in {@code fedmed/v1/federation.proto}. A server refuses a site whose Hello
 * names another version, with a reason that says which version it speaks, so both ends of a stream always agree
 * on every message either may send.
 *
 * <p>Version 2 added {@code RunEnded} (the server tells its sites that the run is over) and the Refusal of an
 * admitted stream (a site revoked or taken off the member list while connected). A version 1 site would not
 * understand either, so it is refused at Hello rather than left waiting. Version 3 added the dataset definition
 * fingerprint in Hello and the statistics exchange before round 1. Version 4 added the typed local terms of a fit
 * ({@code FitSettings.terms}, FedProx's proximal term first): a version 3 site would skip that field and train without
 * the term, so it is refused at Hello rather than sent a fit it would silently change. Within version 4, a fit's
 * auxiliary vectors ({@code TaskHeader.auxiliary}, {@code ResultHeader.auxiliary}: SCAFFOLD's control variates) travel
 * after the model in the same payload; a fit without them reads exactly as before, and a site built before them
 * refuses a fit with them as malformed (its payload is larger than its layout), so none is trained without them.
 * Version 5 added the multi-exchange round of secure aggregation ({@code TaskHeader.release}, {@code ExchangePiece},
 * {@code ExchangeRefused}): a version 4 site would train a fit meant to be summed under masks and send its update in
 * the clear, so it is refused at Hello, and a version 5 site refuses a server's Welcome of another version; both
 * reasons name the two versions ({@link #mismatch}).
 */
public final class ProtocolVersion {

    /** The version this build speaks. */
    public static final int CURRENT = 5;

    private ProtocolVersion() {
    }

    /**
     * Why a peer of {@code theirs} cannot be served by this build, naming both versions; empty when they agree.
     *
     * @param peer what the peer is ("site 'a'", "the server")
     */
    public static java.util.Optional<String> mismatch(String peer, int theirs) {
        if (theirs == CURRENT) {
            return java.util.Optional.empty();
        }
        String older = theirs < CURRENT ? "older" : "newer";
        return java.util.Optional.of(peer + " speaks protocol version " + theirs + " but this build speaks version "
                + CURRENT + " (" + older + " peers are refused: upgrade " + (theirs < CURRENT ? peer : "this build")
                + " so both speak the same version)");
    }
}
