package org.fedmed.transport.wire;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small pool of byte arrays that senders encode a chunk into just before they hand it to gRPC (which copies it
 * into its own buffers before {@code onNext} returns) and give back right after. A model is then sent without an
 * array per transfer: an array of 1 MiB is what the G1 collector calls humongous, allocated outside the young
 * generation, and one per transfer of a big model made the collector, not the wire, the cost.
 *
 * <p>The pool keeps at most {@link #bound()} arrays, so {@link #SHARED}, the one every sender of the
 * process uses, holds a few chunks' worth of memory however many streams there are; a borrow from an empty pool
 * allocates. An array is used by one thread between borrow and give-back.
 */
final class ScratchBuffers {

    /** The process's pool: one array per thread that may be sending at once, with some slack. */
    static final ScratchBuffers SHARED = new ScratchBuffers(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));

    private final int bound;
    private final ConcurrentLinkedDeque<byte[]> free = new ConcurrentLinkedDeque<>();
    private final AtomicInteger freeCount = new AtomicInteger();

    ScratchBuffers(int bound) {
        this.bound = bound;
    }

    /** An array of at least {@code bytes} bytes, for the calling thread alone until it is {@linkplain #giveBack given back}. */
    byte[] borrow(int bytes) {
        byte[] b = free.pollFirst();
        if (b == null) {
            return new byte[bytes];
        }
        freeCount.decrementAndGet();
        return b.length >= bytes ? b : new byte[bytes]; // one too small is dropped: chunk sizes rarely differ
    }

    /** Returns an array to the pool; nothing may read or write it afterwards. */
    void giveBack(byte[] b) {
        if (freeCount.incrementAndGet() <= bound) {
            free.offerFirst(b);
        } else {
            freeCount.decrementAndGet();
        }
    }

    /** The most arrays kept for reuse. */
    int bound() {
        return bound;
    }

    /** Arrays kept for reuse now. */
    int kept() {
        return freeCount.get();
    }
}
