package org.fedmed.transport.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time of a process's threads, from Linux's {@code /proc/PID/task/TID/stat}, summed by thread name with digits
 * dropped (so {@code GC Thread#0} and {@code GC Thread#1} count together): where a benchmark's CPU went, garbage
 * collection and the JIT compiler included, which a sampling profiler of Java code does not show. A thread that ends
 * between two snapshots takes its CPU time with it, so a difference counts only threads alive at both.
 */
public final class ThreadCpu {

    private ThreadCpu() {
    }

    /** A markdown table of {@code pid}'s CPU by thread group since {@code since} (a {@link #snapshot}), most first. */
    public static String table(String label, long pid, Map<String, Long> since) {
        Map<String, Long> ticks = snapshot(pid);
        if (ticks.isEmpty()) {
            return "(no /proc for " + label + ")\n";
        }
        since.forEach((k, v) -> ticks.merge(k, -v, Long::sum));
        StringBuilder out = new StringBuilder("| " + label + " thread | CPU ms |\n|---|---|\n");
        ticks.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .filter(e -> e.getValue() > 0)
                .forEach(e -> out.append("| ").append(e.getKey()).append(" | ").append(e.getValue() * 10).append(" |\n"));
        return out.toString();
    }

    /** CPU clock ticks (10 ms) of {@code pid}'s threads by thread group; empty without {@code /proc}. */
    public static Map<String, Long> snapshot(long pid) {
        Map<String, Long> ticks = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : tasks.toList()) {
                String stat;
                try {
                    stat = Files.readString(t.resolve("stat"));
                } catch (IOException e) {
                    continue; // the thread ended
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+", "N");
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks.merge(name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum); // utime + stime
            }
        } catch (IOException e) {
            return Map.of();
        }
        return ticks;
    }
}
