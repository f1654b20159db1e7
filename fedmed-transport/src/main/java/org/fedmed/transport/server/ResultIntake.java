package org.fedmed.transport.server;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.fedmed.core.FitTask;
import org.fedmed.core.engine.SiteFailure;
import org.fedmed.core.strategy.UpdateIntake;
import org.fedmed.transport.proto.Chunk;
import org.fedmed.transport.proto.Rejection;
import org.fedmed.transport.proto.ResultHeader;
import org.fedmed.transport.proto.ServerMessage;
import org.fedmed.transport.wire.ChunkException;
import org.fedmed.transport.wire.FlowControlledSender;
import org.fedmed.transport.wire.WireCodec;

/**
 * The tasks an admitted site has open, and the results it sends for them. A result header is checked against its
 * task ({@link ResultChecks}) before any of its payload is accepted; the payload is received chunk by chunk into the
 * result's own vector, under a share of the server's result buffer budget, and checked as it lands
 * ({@link ResultReceiver}). Whatever fails a check is rejected: the task fails as
 * {@link SiteFailure.Kind#REJECTED}, the site is told why, and the rest of that payload is skipped. A result for a
 * task that is closed or unknown is dropped and the site told so; one for a task closed recently names why it was
 * closed. Refusals and failures the site reports fail their task as {@link SiteFailure.Kind#ERROR}.
 *
 * <p>At most one result is received at a time. When the budget cannot hold the next result, reading stops
 * ({@link #onResult} returns false) until it is granted, and then resumes through {@code readMore}, so a site
 * waiting for budget holds its own stream back instead of filling server memory. Thread-safe.
 */
final class ResultIntake {

    private static final System.Logger LOG = System.getLogger(ResultIntake.class.getName());
    private static final int RECENTLY_CLOSED = 64;

    private final String siteId;
    private final ServerSettings settings;
    private final ResultBufferBudget budget;
    private final FederationEvents events;
    private final FlowControlledSender<ServerMessage> out;
    private final Runnable readMore;
    private final Map<String, PendingTask> open = new ConcurrentHashMap<>();
    private final Map<String, String> recentlyClosed = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > RECENTLY_CLOSED;
        }
    };
    private volatile boolean awaitingBudget;
    // Guarded by this: whether the link ended, the result being received, and a task whose remaining chunks are to
    // be ignored.
    private boolean stopped;
    private ResultReceiver receiving;
    private String discarding;

    /**
     * @param out      where rejections go
     * @param readMore asks the stream for the next message, once a result that waited for budget may be received
     */
    ResultIntake(String siteId, ServerSettings settings, ResultBufferBudget budget, FederationEvents events,
                 FlowControlledSender<ServerMessage> out, Runnable readMore) {
        this.siteId = siteId;
        this.settings = settings;
        this.budget = budget;
        this.events = events;
        this.out = out;
        this.readMore = readMore;
    }

    /** Whether reading is held back until the budget grants the result being received. */
    boolean awaitingBudget() {
        return awaitingBudget;
    }

    /** Records a task sent to the site, so that its answer is recognised. */
    void opened(PendingTask p) {
        open.put(p.taskId(), p);
    }

    /** Forgets a decided task, remembering why so that a late answer is recognised. */
    void taskClosed(PendingTask p, String because) {
        open.remove(p.taskId(), p);
        synchronized (recentlyClosed) {
            recentlyClosed.put(p.taskId(), because);
        }
    }

    /** Reports an accepted result: its header and payload, as many bytes as the site's audit log counts sent. */
    private Runnable received(ResultHeader h) {
        return () -> events.resultReceived(siteId, h.getTaskId(), h.getSerializedSize() + h.getPayloadBytes());
    }

    /** Takes a result header; returns whether to read the next message now (false: waiting for budget). */
    synchronized boolean onResult(ResultHeader h) {
        if (receiving != null) {
            ResultReceiver unfinished = receiving;
            stopReceiving();
            reject(unfinished.pending(), "the site began result '" + h.getTaskId() + "' before finishing the payload of '"
                    + unfinished.taskId() + "'");
        }
        String taskId = h.getTaskId();
        PendingTask p = open.get(taskId);
        if (p == null) {
            answerForNoOpenTask(h);
            discardPayloadOf(h);
            return true;
        }
        String problem = ResultChecks.problem(h, p.task(), settings.limits());
        if (problem != null) {
            reject(p, problem);
            discardPayloadOf(h);
            return true;
        }
        if (!(p.task() instanceof FitTask fit)) {
            p.succeed(WireCodec.evalResult(h, siteId), () -> { }, received(h));
            return true;
        }
        if (fit.release() == org.fedmed.core.UpdateRelease.SECURE_SUM) {
            p.succeed(WireCodec.heldFitResult(h, siteId, fit), () -> { }, received(h));
            return true;
        }
        ResultReceiver r = new ResultReceiver(p, h, siteId,
                new UpdateIntake(fit.global(), fit.round(), settings.maxUpdateNorm()), budget);
        if (h.getPayloadBytes() == 0) {
            r.allocate();
            p.succeed(r.result(), () -> { }, received(h));
            return true;
        }
        receiving = r;
        if (budget.reserve(r.bytes(), () -> budgetGranted(r))) {
            r.markReserved();
            r.allocate();
            return true;
        }
        awaitingBudget = true;
        return false;
    }

    /** Runs when a waiting result's budget is granted: receive it, or give the budget back if it is moot. */
    private void budgetGranted(ResultReceiver r) {
        r.markReserved();
        boolean resume;
        synchronized (this) {
            awaitingBudget = false;
            if (stopped || receiving != r || r.pending().isDone()) {
                r.releaseBudget();
                if (receiving == r) {
                    stopReceiving();
                    discarding = r.taskId();
                }
            } else {
                r.allocate();
            }
            resume = !stopped;
        }
        if (resume) {
            readMore.run();
        }
    }

    private void answerForNoOpenTask(ResultHeader h) {
        String taskId = h.getTaskId();
        String closedBecause;
        synchronized (recentlyClosed) {
            closedBecause = recentlyClosed.get(taskId);
        }
        if (closedBecause != null) {
            LOG.log(System.Logger.Level.INFO, "late result from site ''{0}'' for task ''{1}'' dropped: {2}", siteId,
                    taskId, closedBecause);
            sendRejection(taskId, "task '" + taskId + "' is closed (" + closedBecause + "); the result was dropped");
            return;
        }
        List<PendingTask> all = List.copyOf(open.values());
        if (all.size() == 1 && all.getFirst().task().round() == h.getRound()) {
            reject(all.getFirst(), "result names task '" + taskId + "' but the open task is '" + all.getFirst().taskId() + "'");
            return;
        }
        LOG.log(System.Logger.Level.WARNING, "site ''{0}'' sent a result for unknown task ''{1}''; dropped", siteId, taskId);
        sendRejection(taskId, "there is no open task '" + taskId + "'; the result was dropped");
    }

    /** Takes one chunk of the payload being received (or of one being skipped). */
    synchronized void onChunk(Chunk c) {
        ResultReceiver r = receiving;
        if (r != null && r.taskId().equals(c.getTaskId()) && r.allocated()) {
            PendingTask p = r.pending();
            if (p.isDone()) {
                LOG.log(System.Logger.Level.INFO, "late payload from site ''{0}'' for task ''{1}'' dropped", siteId,
                        c.getTaskId());
                stopReceiving();
                discardRestAfter(c);
                return;
            }
            try {
                if (r.accept(c)) {
                    receiving = null;
                    if (!p.succeed(r.result(), r::releaseBudget, received(r.header()))) {
                        r.releaseBudget();
                    }
                }
            } catch (ChunkException | InvalidUpdateException e) {
                stopReceiving();
                discardRestAfter(c);
                reject(p, e.getMessage());
            }
            return;
        }
        if (c.getTaskId().equals(discarding)) {
            if (c.getLast()) {
                discarding = null;
            }
            return;
        }
        LOG.log(System.Logger.Level.WARNING, "site ''{0}'' sent chunk {1} of task ''{2}'' without an open result;"
                + " ignored", siteId, c.getSeq(), c.getTaskId());
    }

    private void stopReceiving() {
        if (receiving != null) {
            receiving.releaseBudget();
            receiving = null;
        }
    }

    private void discardPayloadOf(ResultHeader h) {
        discarding = h.getPayloadBytes() > 0 ? h.getTaskId() : null;
    }

    private void discardRestAfter(Chunk c) {
        discarding = c.getLast() ? null : c.getTaskId();
    }

    /** The site refused or failed a task, for {@code reason} (which names the site and the task). */
    void declined(String taskId, String reason) {
        events.taskDeclined(siteId, taskId, reason);
        PendingTask p = open.get(taskId);
        if (p == null) {
            LOG.log(System.Logger.Level.INFO, "{0} (task no longer open)", reason);
            return;
        }
        LOG.log(System.Logger.Level.INFO, reason);
        p.fail(SiteFailure.Kind.ERROR, reason);
    }

    private void reject(PendingTask p, String reason) {
        String message = "update from site '" + siteId + "' rejected: " + reason;
        LOG.log(System.Logger.Level.WARNING, message);
        sendRejection(p.taskId(), reason);
        p.fail(SiteFailure.Kind.REJECTED, message);
    }

    /** Tells the site its result was rejected, and reports it. */
    private void sendRejection(String taskId, String reason) {
        events.updateRejected(siteId, taskId, reason);
        out.send(ServerMessage.newBuilder().setRejection(Rejection.newBuilder().setTaskId(taskId).setReason(reason)).build());
    }

    /** Skips the rest of {@code p}'s result if it is being received (the task was cancelled). */
    synchronized void cancelled(PendingTask p) {
        if (receiving != null && receiving.pending() == p && !awaitingBudget) {
            stopReceiving();
            discarding = p.taskId();
        }
    }

    /** The link ended: receives nothing more, and gives back the budget of the result it was receiving. */
    synchronized void stop() {
        stopped = true;
        stopReceiving();
        discarding = null;
    }

    /** Fails every open task as an error with {@code reason}. */
    void failOpen(String reason) {
        for (PendingTask p : List.copyOf(open.values())) {
            p.fail(SiteFailure.Kind.ERROR, reason);
        }
    }
}
