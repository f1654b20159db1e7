package org.fedmed.transport.bench;

import java.util.Arrays;
import java.util.List;

/**
 * Times the second half of a run of {@code rounds} rounds: the gap from each round's end to the next one's, for
 * rounds {@code rounds / 2 + 1 .. rounds}, and the CPU time per round over the same rounds of this JVM and of the
 * processes given (see {@link TransferBench#cpu(List)}). The first half lets the JIT of every JVM settle.
 */
public final class SecondHalfTimer {

    /** Median and mean gap between rounds, and CPU time per round, in milliseconds. */
    public record Timed(double medianMs, double meanMs, double cpuMs) {
    }

    private final int rounds;
    private final List<Process> others;
    private final long[] gaps;
    private long cpuAtHalf;
    private long last = System.nanoTime();

    public SecondHalfTimer(int rounds, List<Process> others) {
        this.rounds = rounds;
        this.others = others;
        this.gaps = new long[rounds - rounds / 2];
    }

    /** Call as round {@code round} (1-based, in order) ends. */
    public void roundEnded(int round) {
        long now = System.nanoTime();
        if (round == rounds / 2) {
            cpuAtHalf = TransferBench.cpu(others);
        } else if (round > rounds / 2) {
            gaps[round - rounds / 2 - 1] = now - last;
        }
        last = now;
    }

    /** The figures, once the last round ended. */
    public Timed timed() {
        long cpu = TransferBench.cpu(others) - cpuAtHalf;
        return new Timed(TransferBench.median(gaps) / 1e6, Arrays.stream(gaps).average().orElseThrow() / 1e6,
                cpu / 1e6 / gaps.length);
    }
}
