package org.fedmed.secagg;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.Supplier;

/** Accumulates one party's thread CPU time and message bytes while the in-process driver runs its steps. */
final class CostMeter {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private long cpuNanos;
    private long bytesSent;
    private long bytesReceived;

    /** Runs {@code work} on this thread and charges its CPU time to this party. */
    <T> T charge(Supplier<T> work) {
        long start = cpuNow();
        try {
            return work.get();
        } finally {
            cpuNanos += cpuNow() - start;
        }
    }

    void charge(Runnable work) {
        charge(() -> {
            work.run();
            return null;
        });
    }

    void sent(long bytes) {
        bytesSent += bytes;
    }

    void received(long bytes) {
        bytesReceived += bytes;
    }

    PartyCost cost() {
        return new PartyCost(cpuNanos, bytesSent, bytesReceived);
    }

    private static long cpuNow() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }
}
