package org.fedmed.transport.server;

/**
 * What happens at the federation server's edge, for an audit trail: which sites joined and left, which peers were
 * refused, which tasks went to which site, and how each site answered. A {@link FederationServer} started with
 * an implementation calls it as these things happen; the server process typically writes each call to its run
 * store.
 *
 * <p>Every method has a no-op default, so an implementation overrides only what it records. Implementations must be
 * thread-safe (calls come from many streams at once) and fast: most are made on a site's stream thread, some while
 * that stream is locked, so a slow listener holds that site back. They must not call back into the server. A
 * runtime exception thrown by a listener is caught and logged; it never breaks a stream or a round.
 *
 * <p>Each occurrence is reported exactly once. For one site, the calls are ordered as the site's stream saw the
 * events: {@code siteJoined} before any task is sent to it, {@code taskSent} before the answer to that task,
 * {@code siteLeft} last. An answer ({@code resultReceived}, {@code taskDeclined}, {@code updateRejected}) is reported
 * before the round engine is handed the task's outcome; {@code admissionWithdrawn} comes before that site's
 * {@code siteLeft}. Tasks cut at the round deadline, and tasks still open when their site disconnects, are reported
 * by the round engine, not here. Peers that fail the TLS handshake itself (no certificate, one from another CA, an
 * expired one) never reach the server's service: no call of theirs is served, and each failed handshake is
 * reported once, by {@code handshakeRefused}, with the peer's address and the reason TLS gave.
 */
public interface FederationEvents {

    /** Reports nothing. */
    FederationEvents NONE = new FederationEvents() {
    };

    /**
     * A site was admitted and its stream is now the site's live one.
     *
     * @param peerAddress the remote address of its connection
     */
    default void siteJoined(String siteId, String peerAddress) {
    }

    /**
     * An admitted site's stream ended: it closed it, it broke, it went silent past the heartbeat timeout, a newer
     * connection from the same site replaced it, or the server shut down.
     */
    default void siteLeft(String siteId, String reason) {
    }

    /**
     * A peer that completed the TLS handshake was not admitted: its certificate is not a member or is revoked,
     * identifies no site or another site than the one it claims, it speaks another protocol version, or its first
     * message was not Hello.
     *
     * @param subject     its certificate's subject (RFC 2253), or empty if it presented none
     * @param peerAddress the remote address of its connection
     * @param reason      the refusal sent to the peer
     */
    default void peerRefused(String subject, String peerAddress, String reason) {
    }

    /**
     * A connection failed the TLS handshake, so the peer was refused before it could send anything: it presented
     * no client certificate, one the federation CA did not issue or one that has expired, or it did not trust the
     * server's certificate, or it broke off the handshake. Called once per failed handshake, from a network
     * thread.
     *
     * @param peerAddress the remote address of the connection
     * @param reason      the reason the TLS layer gave
     */
    default void handshakeRefused(String peerAddress, String reason) {
    }

    /**
     * An admitted site is no longer admitted: after the server re-read its site list and revocation list, the
     * certificate the site's live stream was admitted with was revoked, expired or no longer names a member. The
     * site is sent a Refusal with {@code reason}, its stream is closed and its open tasks fail; {@code siteLeft}
     * follows.
     *
     * @param peerAddress the remote address of its connection
     * @param reason      the refusal sent to the site
     */
    default void admissionWithdrawn(String siteId, String peerAddress, String reason) {
    }

    /**
     * A task and its global model were queued on the site's stream.
     *
     * @param kind       {@code "fit"} or {@code "evaluate"}
     * @param modelBytes the size of the global model's payload
     */
    default void taskSent(String siteId, String taskId, String kind, int round, long modelBytes) {
    }

    /**
     * A site's result passed every check and goes to the round engine.
     *
     * @param bytes the result's header and payload as the site serialized them (its audit log records the same
     *              number as bytes sent)
     */
    default void resultReceived(String siteId, String taskId, long bytes) {
    }

    /**
     * The site did not do a task: it refused it (its task policy, its audit log being unavailable, a malformed
     * task) or reported that running it failed.
     *
     * @param reason says which, with the site's own reason; the round engine records the same text
     */
    default void taskDeclined(String siteId, String taskId, String reason) {
    }

    /**
     * The server rejected a result from the site and told it why: wrong task, kind or round, wrong layout, dtype
     * or size, a value that is not finite, an update norm above the bound, a broken payload, or a result for a task
     * that is already closed.
     *
     * @param taskId the task the site is told was rejected (the open task, when the result named one the server
     *               does not know)
     * @param reason the rejection sent to the site
     */
    default void updateRejected(String siteId, String taskId, String reason) {
    }

    /**
     * A statistics request was queued on the site's stream (before round 1; see {@link GrpcSitePool#requestStatistics}).
     *
     * @param kinds the statistics asked for, in lower case ({@code moments}, {@code histograms})
     */
    default void statisticsRequested(String siteId, String requestId, java.util.List<String> kinds) {
    }

    /** The site answered a statistics request with its summaries, of {@code bytes} bytes. */
    default void statisticsReceived(String siteId, String requestId, long bytes) {
    }

    /** The site refused a statistics request, with its reason. */
    default void statisticsRefused(String siteId, String requestId, String reason) {
    }

    /** The merged statistics of the sites {@code merged} (in merge order) were queued on the site's stream. */
    default void mergedStatisticsSent(String siteId, String requestId, java.util.List<String> merged) {
    }
}
