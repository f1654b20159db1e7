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
 * open at a time. Thread-safe: the links call {@link #piece}, {@link #refused} and {@link #linkClosed} from their
 * streams' threads.
 */
final class ExchangeDesk {

    private static final System.Logger LOG = System.getLogger(ExchangeDesk.class.getName());

    private final int chunkBytes;
    private final long maxBodyBytes;
    private final Map<String, Open> open = new ConcurrentHashMap<>();

    ExchangeDesk(int chunkBytes, long maxModelBytes) {
        this.chunkBytes = chunkBytes;
        this.maxBodyBytes = ExchangePieces.maxBodyBytes(maxModelBytes);
    }

    /** One message out, waiting for its site's answer. */
    private final class Open {
        final ExchangeMessage message;
        final LinkedBlockingQueue<Decided> queue;
        final AtomicBoolean done = new AtomicBoolean();
        ExchangePieces.Assembly assembly;

        Open(ExchangeMessage message, LinkedBlockingQueue<Decided> queue) {
            this.message = message;
            this.queue = queue;
        }

        boolean decide(Decided d) {
            if (!done.compareAndSet(false, true)) {
                return false;
            }
            open.remove(message.siteId(), this);
            queue.add(d);
            return true;
        }

        void fail(SiteFailure.Kind kind, String reason) {
            decide(new Decided(null, new SiteFailure(0, message.siteId(), kind, reason)));
        }
    }

    private record Decided(ExchangeMessage reply, SiteFailure failure) {
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
                if (d.failure() == null) {
                    sink.success(d.reply());
                } else {
                    sink.failure(d.failure());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the sites' answers to an exchange stage", e);
        } finally {
            for (Open o : mine) {
                o.fail(SiteFailure.Kind.ERROR, "the server stopped waiting for this stage");
            }
        }
    }

    /** A piece of a site's answer, from its stream. */
    void piece(String siteId, ExchangePiece p) {
        Open o = open.get(siteId);
        ExchangeStage stage = ExchangePieces.fromWire(p.getStage());
        if (o == null || o.done.get() || stage != o.message.stage() || !p.getTaskId().equals(o.message.taskId())) {
            LOG.log(System.Logger.Level.INFO, "site ''{0}'': exchange piece {1} of task ''{2}'' ({3}) answers no open"
                    + " stage; dropped", siteId, p.getSeq(), p.getTaskId(), p.getStage());
            return;
        }
        synchronized (o) {
            try {
                if (o.assembly == null) {
                    o.assembly = new ExchangePieces.Assembly(p, maxBodyBytes);
                }
                if (o.assembly.accept(p)) {
                    byte[] body = o.assembly.body();
                    o.assembly = null;
                    o.decide(new Decided(o.message.reply(body), null));
                }
            } catch (ChunkException e) {
                o.assembly = null;
                o.fail(SiteFailure.Kind.ERROR, "site '" + siteId + "' sent a broken answer to stage " + stage + ": "
                        + e.getMessage());
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
