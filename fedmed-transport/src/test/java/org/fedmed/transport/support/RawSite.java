package org.fedmed.transport.support;

import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.fedmed.transport.ProtocolVersion;
import org.fedmed.transport.proto.Chunk;
import org.fedmed.transport.proto.FederationGrpc;
import org.fedmed.transport.proto.Hello;
import org.fedmed.transport.proto.ServerMessage;
import org.fedmed.transport.proto.SiteMessage;
import org.fedmed.transport.proto.TaskHeader;
import org.fedmed.transport.wire.ChunkException;
import org.fedmed.transport.wire.ModelAssembler;

/**
 * A hand-driven site that speaks the wire protocol message by message, to test how the server treats sites that
 * misbehave: wrong ids, wrong rounds, broken payloads, silence.
 */
public final class RawSite implements AutoCloseable {

    private final LinkedBlockingQueue<ServerMessage> inbox = new LinkedBlockingQueue<>();
    private final CompletableFuture<Throwable> ended = new CompletableFuture<>();
    private final StreamObserver<SiteMessage> requests;

    public RawSite(Channel channel) {
        requests = FederationGrpc.newStub(channel).connect(new StreamObserver<>() {
            @Override
            public void onNext(ServerMessage m) {
                inbox.add(m);
            }

            @Override
            public void onError(Throwable t) {
                ended.complete(t);
            }

            @Override
            public void onCompleted() {
                ended.complete(null);
            }
        });
    }

    public synchronized void send(SiteMessage m) {
        requests.onNext(m);
    }

    public void hello(String siteId) {
        hello(siteId, ProtocolVersion.CURRENT);
    }

    public void hello(String siteId, int version) {
        send(SiteMessage.newBuilder().setHello(Hello.newBuilder().setProtocolVersion(version).setSiteId(siteId)).build());
    }

    /** The next server message matching {@code p} (others are skipped), or null on timeout. */
    public ServerMessage await(Predicate<ServerMessage> p, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = end - System.nanoTime();
            ServerMessage m = left > 0 ? inbox.poll(left, TimeUnit.NANOSECONDS) : null;
            if (m == null || p.test(m)) {
                return m;
            }
        }
    }

    /** Waits for a task and its whole model; returns the header, with the model in {@code model[0]}. */
    public TaskHeader awaitTask(float[][] model, Duration timeout) throws InterruptedException, ChunkException {
        ServerMessage m = await(ServerMessage::hasTask, timeout);
        if (m == null) {
            return null;
        }
        TaskHeader h = m.getTask();
        float[] values = new float[(int) (h.getPayloadBytes() / 4)];
        ModelAssembler a = new ModelAssembler(h.getTaskId(), values);
        while (!a.complete()) {
            ServerMessage c = await(ServerMessage::hasChunk, timeout);
            if (c == null) {
                return null;
            }
            Chunk chunk = c.getChunk();
            a.accept(chunk);
        }
        model[0] = values;
        return h;
    }

    /** How the stream ended (null for a normal end), or throws on timeout. */
    public Throwable awaitEnd(Duration timeout) throws Exception {
        return ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isEnded() {
        return ended.isDone();
    }

    @Override
    public synchronized void close() {
        if (!ended.isDone()) {
            requests.onError(new RuntimeException("raw site closed"));
        }
    }
}
