package org.fedmed.transport.server;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Bounds the bytes of incoming results held at once, so that many sites uploading together cannot hold O(N*P) of
 * server memory. A result reserves its size before its buffer is allocated and gives it back once the aggregator
 * has taken it (or it was rejected or cut). A reservation that does not fit waits, first come first served; the
 * waiting stream is not read meanwhile, so its sender is held back by gRPC flow control. A reservation larger
 * than the whole budget is granted when nothing else is held.
 */
final class ResultBufferBudget {

    private static final System.Logger LOG = System.getLogger(ResultBufferBudget.class.getName());

    private final long capacity;
    private final Executor grants;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private long inUse;

    private record Waiter(long bytes, Runnable onGrant) {
    }

    /** @param grants runs the callbacks of reservations granted later, never on the releasing thread */
    ResultBufferBudget(long capacity, Executor grants) {
        this.capacity = capacity;
        this.grants = grants;
    }

    /** Reserves {@code bytes} now and returns true, or queues {@code onGrant} to run once they are reserved. */
    synchronized boolean reserve(long bytes, Runnable onGrant) {
        if (waiters.isEmpty() && fits(bytes)) {
            inUse += bytes;
            return true;
        }
        waiters.add(new Waiter(bytes, onGrant));
        return false;
    }

    /** Gives back a reservation and grants waiting ones that now fit. */
    void release(long bytes) {
        List<Runnable> granted = new ArrayList<>();
        synchronized (this) {
            inUse -= bytes;
            if (inUse < 0) {
                throw new IllegalStateException("result buffer budget released more than was reserved (" + inUse + ")");
            }
            while (!waiters.isEmpty() && fits(waiters.peek().bytes())) {
                Waiter w = waiters.poll();
                inUse += w.bytes();
                granted.add(w.onGrant());
            }
        }
        for (Runnable r : granted) {
            try {
                grants.execute(r);
            } catch (RejectedExecutionException e) {
                // The server is shutting down and every link is closing; the grant is moot.
                LOG.log(System.Logger.Level.DEBUG, "result buffer grant dropped at shutdown: " + e);
            }
        }
    }

    synchronized long inUse() {
        return inUse;
    }

    synchronized int waiting() {
        return waiters.size();
    }

    private boolean fits(long bytes) {
        return inUse == 0 || inUse + bytes <= capacity;
    }
}
