package org.fedmed.transport.server;

/**
 * Calls a {@link FederationEvents} listener so that it cannot harm the transport: a runtime exception it throws is
 * logged and dropped.
 */
final class GuardedEvents implements FederationEvents {

    private static final System.Logger LOG = System.getLogger(GuardedEvents.class.getName());

    private final FederationEvents listener;

    GuardedEvents(FederationEvents listener) {
        if (listener == null) {
            throw new IllegalArgumentException("events listener is required (use FederationEvents.NONE for none)");
        }
        this.listener = listener;
    }

    @Override
    public void statisticsRequested(String siteId, String requestId, java.util.List<String> kinds) {
        guard("statisticsRequested", siteId, () -> listener.statisticsRequested(siteId, requestId, kinds));
    }

    @Override
    public void statisticsReceived(String siteId, String requestId, long bytes) {
        guard("statisticsReceived", siteId, () -> listener.statisticsReceived(siteId, requestId, bytes));
    }

    @Override
    public void statisticsRefused(String siteId, String requestId, String reason) {
        guard("statisticsRefused", siteId, () -> listener.statisticsRefused(siteId, requestId, reason));
    }

    @Override
    public void mergedStatisticsSent(String siteId, String requestId, java.util.List<String> merged) {
        guard("mergedStatisticsSent", siteId, () -> listener.mergedStatisticsSent(siteId, requestId, merged));
    }

    @Override
    public void siteJoined(String siteId, String peerAddress) {
        guard("siteJoined", siteId, () -> listener.siteJoined(siteId, peerAddress));
    }

    @Override
    public void siteLeft(String siteId, String reason) {
        guard("siteLeft", siteId, () -> listener.siteLeft(siteId, reason));
    }

    @Override
    public void peerRefused(String subject, String peerAddress, String reason) {
        guard("peerRefused", peerAddress, () -> listener.peerRefused(subject, peerAddress, reason));
    }

    @Override
    public void handshakeRefused(String peerAddress, String reason) {
        guard("handshakeRefused", peerAddress, () -> listener.handshakeRefused(peerAddress, reason));
    }

    @Override
    public void admissionWithdrawn(String siteId, String peerAddress, String reason) {
        guard("admissionWithdrawn", siteId, () -> listener.admissionWithdrawn(siteId, peerAddress, reason));
    }

    @Override
    public void taskSent(String siteId, String taskId, String kind, int round, long modelBytes) {
        guard("taskSent", siteId, () -> listener.taskSent(siteId, taskId, kind, round, modelBytes));
    }

    @Override
    public void resultReceived(String siteId, String taskId, long bytes) {
        guard("resultReceived", siteId, () -> listener.resultReceived(siteId, taskId, bytes));
    }

    @Override
    public void taskDeclined(String siteId, String taskId, String reason) {
        guard("taskDeclined", siteId, () -> listener.taskDeclined(siteId, taskId, reason));
    }

    @Override
    public void updateRejected(String siteId, String taskId, String reason) {
        guard("updateRejected", siteId, () -> listener.updateRejected(siteId, taskId, reason));
    }

    private void guard(String event, String about, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "federation events listener failed on " + event + " for " + about
                    + "; the event is not recorded", e);
        }
    }
}
