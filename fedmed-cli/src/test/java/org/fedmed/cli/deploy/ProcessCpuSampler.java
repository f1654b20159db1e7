package org.fedmed.cli.deploy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.fedmed.transport.bench.ThreadCpu;

/**
 * Samples the CPU time of a set of processes every {@code period}, from a daemon thread, while they all run: each
 * sample is the wall instant (microseconds since the epoch, the clock the run store stamps rounds with), each
 * process's CPU time so far and its threads' by thread group (from {@code /proc}). A sample is taken only while
 * every process is alive, so the last one is from before the first of them exited. For a benchmark on a machine
 * whose load moves the wall time: CPU time per round does not depend on which process waited for a core.
 */
final class ProcessCpuSampler implements AutoCloseable {

    /**
     * One sample: when, each process's CPU nanoseconds so far, and its threads' CPU clock ticks (10 ms) by thread
     * group ({@link ThreadCpu#snapshot}), in the order the processes were given.
     */
    record Sample(long micros, long[] cpuNanos, List<Map<String, Long>> threadTicks) {
    }

    private final List<FedmedProcess> processes;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;

    ProcessCpuSampler(List<FedmedProcess> processes, Duration period) {
        this.processes = List.copyOf(processes);
        this.thread = Thread.ofPlatform().daemon().name("cpu-sampler").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                sample();
                try {
                    Thread.sleep(period);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    private void sample() {
        long[] cpu = new long[processes.size()];
        List<Map<String, Long>> threads = new ArrayList<>();
        long micros = Duration.between(Instant.EPOCH, Instant.now()).toNanos() / 1000;
        for (int i = 0; i < cpu.length; i++) {
            Optional<Duration> t = processes.get(i).cpuTime();
            if (t.isEmpty()) {
                return;
            }
            cpu[i] = t.get().toNanos();
            threads.add(ThreadCpu.snapshot(processes.get(i).pid()));
        }
        synchronized (samples) {
            samples.add(new Sample(micros, cpu, threads));
        }
    }

    /** The samples so far, oldest first. */
    List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /** Stops sampling. */
    @Override
    public void close() throws InterruptedException {
        thread.interrupt();
        thread.join();
    }

    /**
     * Wall and CPU milliseconds per round, between the first sample after {@code fromMicros} and the last
     * sample before the last round's end (what a process does after its rounds is not a round's), over the rounds
     * whose end instants ({@code ends}, microseconds, in order) fall between the two; empty when fewer than
     * {@code minRounds} do.
     */
    static Optional<PerRound> perRound(List<Sample> samples, List<Long> ends, long fromMicros, int minRounds) {
        Sample first = samples.stream().filter(s -> s.micros() > fromMicros).findFirst().orElse(null);
        if (first == null) {
            return Optional.empty();
        }
        long lastEnd = ends.getLast();
        Sample last = samples.stream().filter(s -> s.micros() <= lastEnd).reduce((a, b) -> b).orElse(first);
        long rounds = ends.stream().filter(e -> e > first.micros() && e <= last.micros()).count();
        if (rounds < minRounds) {
            return Optional.empty();
        }
        double[] out = new double[first.cpuNanos().length];
        List<Map<String, Double>> threads = new ArrayList<>();
        for (int i = 0; i < out.length; i++) {
            out[i] = (last.cpuNanos()[i] - first.cpuNanos()[i]) / 1e6 / rounds;
            Map<String, Double> ms = new TreeMap<>();
            Map<String, Long> before = first.threadTicks().get(i);
            last.threadTicks().get(i).forEach((group, ticks) ->
                    ms.put(group, (ticks - before.getOrDefault(group, 0L)) * 10.0 / rounds));
            threads.add(ms);
        }
        return Optional.of(new PerRound(rounds, (last.micros() - first.micros()) / 1e3 / rounds, out, threads));
    }

    /**
     * Per round over a window of {@code rounds} rounds: the mean wall milliseconds (outliers included, unlike a
     * median), each process's CPU milliseconds, and each process's CPU milliseconds by thread group (10 ms ticks,
     * so a group's figure is good to about 20 ms over the window).
     */
    record PerRound(long rounds, double wallMs, double[] cpuMs, List<Map<String, Double>> threadMs) {
    }
}
