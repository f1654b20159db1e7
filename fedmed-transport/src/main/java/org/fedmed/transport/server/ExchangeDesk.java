package org.fedmed.transport.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.fedmed.core.engine.OutcomeSink;
import org.fedmed.core.engine.SiteFailure;
import org.fedmed.core.exchange.ExchangeMessage;
import org.fedmed.core.exchange.ExchangeStage;
import org.fedmed.transport.proto.ExchangePiece;
import org.fedmed.transport.proto.ExchangeRefused;
import org.fedmed.transport.proto.ServerMessage;
import org.fedmed.transport.wire.ChunkException;
import org.fedmed.transport.wire.ExchangePieces;

/**
 * The server's side of the multi-exchange rounds over the wire: one stage at a time, it sends each site its message
 * (in pieces), reassembles each site's answer as its pieces arrive on the site's stream, and hands each answer to the
 * caller's sink on the caller's thread as soon as it is complete, exactly once per message, never concurrently. A site
 * that refuses the stage, disconnects, or sends a broken answer fails with the reason; one that has not answered by
 * the stage's deadline fails as a timeout, and whatever it sends later is dropped. At most one message per site is
 * open at a time. The bytes of the answers being received or waiting for the caller are bounded by a budget (the
 * server's result buffer size): a piece that does not fit holds its stream unread until earlier answers are folded,
 * so many sites answering together cannot hold O(N*P) of server memory. Thread-safe: the links call {@link #piece},
 * {@link #refused} and {@link #linkClosed} from their streams' threads.
 */
final class ExchangeDesk {

    private static final System.Logger LOG = System.getLogger(ExchangeDesk.class.getName());

    private final int chunkBytes;
    private final long maxBodyBytes;
    private final Map<String, Open> open = new ConcurrentHashMap<>();
    private final ResultBufferBudget budget;

    /**
     * @param bufferBytes the most bytes of answers held at once (a single answer larger than that is taken alone)
     * @param grants      runs the reading of a piece whose budget is granted later
     */
    ExchangeDesk(int chunkBytes, long maxModelBytes, long bufferBytes, java.util.concurrent.Executor grants) {
        this.chunkBytes = chunkBytes;
        this.maxBodyBytes = ExchangePieces.maxBodyBytes(maxModelBytes);
        this.budget = new ResultBufferBudget(bufferBytes, grants);
    }

    /** One message out, waiting for its site's answer. */
    private final class Open {
        final ExchangeMessage message;
        final LinkedBlockingQueue<Decided> queue;
        final AtomicBoolean done = new AtomicBoolean();
        // Guarded by this: the answer being assembled and the budget its pieces hold.
        ExchangePieces.Assembly assembly;
        long reserved;
        volatile boolean waiting;

        Open(ExchangeMessage message, LinkedBlockingQueue<Decided> queue) {
            this.message = message;
            this.queue = queue;
        }

        /** Decides the message with its answer; the budget the answer holds is released once the caller took it. */
        synchronized void answered(byte[] body) {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            long bytes = reserved;
            reserved = 0;
            assembly = null;
            open.remove(message.siteId(), this);
            queue.add(new Decided(message.reply(body), null, () -> budget.release(bytes)));
        }

        synchronized void fail(SiteFailure.Kind kind, String reason) {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            budget.release(reserved);
            reserved = 0;
            assembly = null;
            open.remove(message.siteId(), this);
            queue.add(new Decided(null, new SiteFailure(0, message.siteId(), kind, reason), () -> { }));
        }
    }

    private record Decided(ExchangeMessage reply, SiteFailure failure, Runnable release) {
    }

    /** Runs one stage: see {@link org.fedmed.core.exchange.SiteExchange#exchange}. */
    void run(List<ExchangeMessage> messages, Duration deadline, OutcomeSink<ExchangeMessage> sink,
             Function<String, SiteLink> links) {
        long end = System.nanoTime() + deadline.toNanos();
        LinkedBlockingQueue<Decided> queue = new LinkedBlockingQueue<>();
        List<Open> mine = new ArrayList<>(messages.size());
        for (ExchangeMessage m : messages) {
            Open o = new Open(m, queue);
            mine.add(o);
            Open old = open.put(m.siteId(), o);
            if (old != null) {
                old.fail(SiteFailure.Kind.ERROR, "a newer exchange message was sent to site '" + m.siteId() + "'");
            }
            SiteLink link = links.apply(m.siteId());
            List<ServerMessage> pieces = new ArrayList<>();
            for (ExchangePiece p : ExchangePieces.split(m.taskId(), m.stage(), m.body(), chunkBytes)) {
                pieces.add(ServerMessage.newBuilder().setExchange(p).build());
            }
            if (link == null || !link.sendExchange(pieces)) {
                o.fail(SiteFailure.Kind.ERROR, "site '" + m.siteId() + "' is not connected (stage " + m.stage() + ")");
            }
        }
        int delivered = 0;
        try {
            while (delivered < mine.size()) {
                Decided d = queue.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (d == null) {
                    for (Open o : mine) {
                        o.fail(SiteFailure.Kind.TIMEOUT, "no answer to stage " + o.message.stage() + " within its"
                                + " deadline of " + deadline.toMillis() + " ms");
                    }
                    continue;
                }
                delivered++;
                try {
                    if (d.failure() == null) {
                        sink.success(d.reply());
                    } else {
                        sink.failure(d.failure());
                    }
                } finally {
                    d.release().run();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the sites' answers to an exchange stage", e);
        } finally {
            for (Open o : mine) {
                o.fail(SiteFailure.Kind.ERROR, "the server stopped waiting for this stage");
            }
            Decided d;
            while ((d = queue.poll()) != null) {
                d.release().run();
            }
        }
    }

    /**
     * A piece of a site's answer, from its stream; returns whether to read the stream on. When the piece does not
     * fit the budget it is taken once it does, and {@code resume} then reads the stream on.
     */
    boolean piece(String siteId, ExchangePiece p, Runnable resume) {
        Open o = open.get(siteId);
        ExchangeStage stage = ExchangePieces.fromWire(p.getStage());
        if (o == null || o.done.get() || stage != o.message.stage() || !p.getTaskId().equals(o.message.taskId())) {
            LOG.log(System.Logger.Level.INFO, "site ''{0}'': exchange piece {1} of task ''{2}'' ({3}) answers no open"
                    + " stage; dropped", siteId, p.getSeq(), p.getTaskId(), p.getStage());
            return true;
        }
        long size = p.getData().size();
        if (budget.reserve(size, () -> {
            take(o, p, size);
            resume.run();
        })) {
            take(o, p, size);
            return true;
        }
        o.waiting = true;
        return false;
    }

    /** Whether the site's stream is held unread until its answer's next piece fits the budget. */
    boolean awaitingBudget(String siteId) {
        Open o = open.get(siteId);
        return o != null && o.waiting;
    }

    private void take(Open o, ExchangePiece p, long size) {
        byte[] body = null;
        synchronized (o) {
            o.waiting = false;
            if (o.done.get()) {
                budget.release(size);
                return;
            }
            o.reserved += size;
            try {
                if (o.assembly == null) {
                    o.assembly = new ExchangePieces.Assembly(p, maxBodyBytes);
                }
                if (o.assembly.accept(p)) {
                    body = o.assembly.body();
                }
            } catch (ChunkException e) {
                o.fail(SiteFailure.Kind.ERROR, "site '" + o.message.siteId() + "' sent a broken answer to stage "
                        + o.message.stage() + ": " + e.getMessage());
                return;
            }
            if (body != null) {
                o.answered(body);
            }
        }
    }

    /** The site's participant refused the stage. */
    void refused(String siteId, ExchangeRefused r) {
        Open o = open.get(siteId);
        if (o == null || !r.getTaskId().equals(o.message.taskId())) {
            LOG.log(System.Logger.Level.INFO, "site ''{0}'' refused exchange stage {1} of task ''{2}'', which is not"
                    + " open: {3}", siteId, r.getStage(), r.getTaskId(), r.getReason());
            return;
        }
        o.fail(SiteFailure.Kind.ERROR, "site '" + siteId + "' refused stage " + o.message.stage() + ": "
                + r.getReason());
    }

    /** The site's stream ended: its open message fails. */
    void linkClosed(String siteId, String reason) {
        Open o = open.get(siteId);
        if (o != null) {
            o.fail(SiteFailure.Kind.ERROR, "site '" + siteId + "' disconnected during stage " + o.message.stage()
                    + ": " + reason);
        }
    }
}
