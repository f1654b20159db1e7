package org.fedmed.transport.wire;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small process-wide pool of byte arrays that senders encode a chunk into just before they hand it to gRPC
 * (which copies it into its own buffers before {@code onNext} returns) and give back right after. A model is then
 * sent without an array per transfer: an array of 1 MiB is what the G1 collector calls humongous, allocated
 * outside the young generation, and one per transfer of a big model made the collector, not the wire, the cost.
 *
 * <p>The pool keeps at most {@link #KEPT} arrays, so it holds a few chunks' worth of memory however many streams
 * there are; a borrow from an empty pool allocates. An array is used by one thread between borrow and give-back.
 */
final class ScratchBuffers {

    /** How many arrays are kept for reuse: one per thread that may be sending at once, with some slack. */
    static final int KEPT = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

    private static final ConcurrentLinkedDeque<byte[]> FREE = new ConcurrentLinkedDeque<>();
    private static final AtomicInteger FREE_COUNT = new AtomicInteger();

    private ScratchBuffers() {
    }

    /** An array of at least {@code bytes} bytes, for the calling thread alone until it is {@linkplain #giveBack given back}. */
    static byte[] borrow(int bytes) {
        byte[] b = FREE.pollFirst();
        if (b == null) {
            return new byte[bytes];
        }
        FREE_COUNT.decrementAndGet();
        return b.length >= bytes ? b : new byte[bytes]; // one too small is dropped: chunk sizes rarely differ
    }

    /** Returns an array to the pool; nothing may read or write it afterwards. */
    static void giveBack(byte[] b) {
        if (FREE_COUNT.incrementAndGet() <= KEPT) {
            FREE.offerFirst(b);
        } else {
            FREE_COUNT.decrementAndGet();
        }
    }

    /** Arrays kept for reuse now. */
    static int kept() {
        return FREE_COUNT.get();
    }
}
