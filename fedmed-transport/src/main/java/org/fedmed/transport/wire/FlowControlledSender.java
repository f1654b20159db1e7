package org.fedmed.transport.wire;

import io.grpc.Status;
import io.grpc.netty.shaded.io.netty.util.concurrent.EventExecutor;
import io.grpc.netty.shaded.io.netty.util.concurrent.EventExecutorGroup;
import io.grpc.stub.CallStreamObserver;
import io.grpc.stub.ClientCallStreamObserver;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The one way into a gRPC call's outbound observer. gRPC observers are not thread-safe, so every use of the call
 * (sending, requesting inbound messages, ending it) goes through this class's lock. Messages are sent only while
 * the call {@linkplain CallStreamObserver#isReady() is ready}, so a slow peer makes models wait here, unencoded,
 * rather than pile up in buffers. Control messages (heartbeats, rejections, cancels) overtake queued transfers;
 * transfers go out one after another, each header before its chunks.
 *
 * <p>Once the call has ended every further send is dropped: the peer is gone. Each message handed to the call is
 * first shown to the sender's {@code onSent} hook (for counting bytes), under the lock, so the hook must be quick.
 *
 * <p>Once told the call's event loop ({@link #drainOn}), the sender hands a drain asked for on another thread (the
 * round engine's, a timer's) to that loop, once however many messages were queued meanwhile: gRPC then serializes and
 * writes each message on the loop that owns the connection, instead of handing every message from the calling thread
 * to the loop (a task and a wake-up per message, and often a second one for the write's completion).
 *
 * <p>A chunk is encoded into a scratch array ({@link ScratchBuffers}) that is reused once {@code onNext} returns, so
 * the call must serialize each message before it returns, as gRPC's Netty transport does; gRPC's in-process
 * transport hands the message object itself to the receiver and must not carry these streams.
 *
 * @param <M> the outbound message type
 */
public final class FlowControlledSender<M> {

    private static final System.Logger LOG = System.getLogger(FlowControlledSender.class.getName());

    private final CallStreamObserver<M> call;
    private final ArrayDeque<M> control = new ArrayDeque<>();
    private final ArrayDeque<Transfer<M>> transfers = new ArrayDeque<>();
    private final Consumer<M> onSent;
    private final AtomicBoolean drainQueued = new AtomicBoolean();
    private volatile EventExecutor loop;
    private boolean ended;
    private boolean lastQueued;

    public FlowControlledSender(CallStreamObserver<M> call) {
        this(call, m -> { });
    }

    /** A sender that shows {@code onSent} each message as it is handed to the call. */
    public FlowControlledSender(CallStreamObserver<M> call, Consumer<M> onSent) {
        this.call = call;
        this.onSent = onSent;
    }

    /** Sends a control message as soon as the call can take it, ahead of queued transfers. */
    public void send(M message) {
        synchronized (this) {
            if (ended || lastQueued) {
                return;
            }
            control.add(message);
        }
        drain();
    }

    /** Queues a header and its payload behind earlier transfers. */
    public void send(Transfer<M> transfer) {
        synchronized (this) {
            if (ended || lastQueued) {
                return;
            }
            transfers.add(transfer);
        }
        drain();
    }

    /**
     * Sends {@code last} as the call's last message but the control messages queued before it: every queued
     * transfer is dropped, and none queued later is sent, whichever thread drains. The caller then ends the call.
     */
    public void sendLast(M last) {
        synchronized (this) {
            if (ended || lastQueued) {
                return;
            }
            transfers.clear();
            control.add(last);
            lastQueued = true;
        }
        drain();
    }

    /** Drops the transfer for {@code taskId}, whether still queued or half sent. */
    public synchronized void cancel(String taskId) {
        transfers.removeIf(t -> t.taskId().equals(taskId));
    }

    /** Asks gRPC for more inbound messages (for calls under manual inbound flow control). */
    public synchronized void request(int messages) {
        if (!ended) {
            call.request(messages);
        }
    }

    /**
     * Runs this sender's drains on {@code loop}, the event loop of its call, from now on: a drain asked for on
     * another thread is handed to it. Call it on the loop, with the call's first callback.
     */
    public void drainOn(EventExecutor loop) {
        this.loop = loop;
    }

    /** The executor of {@code group} that the calling thread runs, or null when it runs none of them. */
    public static EventExecutor loopOfThisThread(EventExecutorGroup group) {
        for (EventExecutor e : group) {
            if (e.inEventLoop()) {
                return e;
            }
        }
        return null;
    }

    /**
     * Sends what the call can take now, or, off the call's event loop once it is known ({@link #drainOn}), has the
     * loop do it; call from the call's on-ready handler too.
     */
    public void drain() {
        EventExecutor l = loop;
        if (l != null && !l.inEventLoop()) {
            if (drainQueued.compareAndSet(false, true)) {
                try {
                    l.execute(() -> {
                        drainQueued.set(false); // a message queued from here on asks for another drain
                        drainHere();
                    });
                } catch (RejectedExecutionException e) { // the loop is shutting down: the call goes with it
                    drainQueued.set(false);
                    drainHere();
                }
            }
            return;
        }
        drainHere();
    }

    private void drainHere() {
        List<Transfer<M>> finished = new ArrayList<>();
        synchronized (this) {
            while (!ended && call.isReady()) {
                M next;
                byte[] scratch = null;
                if (!control.isEmpty()) {
                    next = control.poll();
                } else if (!transfers.isEmpty()) {
                    Transfer<M> t = transfers.peek();
                    int bytes = t.scratchBytes();
                    scratch = bytes > 0 ? ScratchBuffers.SHARED.borrow(bytes) : null;
                    next = t.next(scratch);
                    if (!t.hasNext()) {
                        transfers.poll();
                        finished.add(t);
                    }
                } else {
                    break;
                }
                try {
                    onSent.accept(next);
                    call.onNext(next); // serializes the message into gRPC's buffers: the scratch is free after it
                } catch (RuntimeException e) {
                    // The call died under us (cancelled or reset); its observer hears of it through onError.
                    LOG.log(System.Logger.Level.DEBUG, "send on an ended call dropped: " + e);
                    end();
                } finally {
                    if (scratch != null) {
                        ScratchBuffers.SHARED.giveBack(scratch);
                    }
                }
            }
        }
        for (Transfer<M> t : finished) {
            t.finished();
        }
    }

    /** Sends what is queued as control messages (not transfers), then ends the call normally. */
    public synchronized void complete() {
        if (ended) {
            return;
        }
        while (!control.isEmpty()) {
            M next = control.poll();
            onSent.accept(next);
            call.onNext(next);
        }
        end();
        call.onCompleted();
    }

    /** Ends the call with an error status; queued messages are dropped. */
    public synchronized void fail(Status status) {
        if (ended) {
            return;
        }
        end();
        call.onError(status.asRuntimeException());
    }

    /** Cancels a client call, as a broken connection would; queued messages are dropped. */
    public synchronized void cancel(String message, Throwable cause) {
        if (ended) {
            return;
        }
        end();
        if (call instanceof ClientCallStreamObserver<M> client) {
            client.cancel(message, cause);
        } else {
            call.onError(Status.CANCELLED.withDescription(message).withCause(cause).asRuntimeException());
        }
    }

    /** Marks the call as ended by the peer or the transport; nothing more is sent. */
    public synchronized void ended() {
        end();
    }

    public synchronized boolean isEnded() {
        return ended;
    }

    private void end() {
        ended = true;
        control.clear();
        transfers.clear();
    }
}
