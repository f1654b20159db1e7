package org.fedmed.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.fedmed.data.definition.DatasetDefinition;
import org.fedmed.data.definition.DefinitionReader;
import org.fedmed.data.profile.DatasetProfile;
import org.fedmed.data.profile.DatasetValidator;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.data.registry.ResolvedDataset;

/**
 * Throughput and heap use of {@code fedmed datasets validate} on a generated CSV of 20 columns (18 numeric with two
 * decimals, one categorical of five levels, one binary label; 1% of numeric cells empty, about 110 bytes a row), for
 * several row counts, to show that the heap does not grow with the number of rows. For each row count it generates
 * the file in a temporary folder, times the SHA-256 of the file and the validation (parse, check and profile every
 * row) separately, and prints rows per second and the peak heap used during validation (the sum of the heap pools'
 * peak usage, peaks reset after a full GC just before). The files are deleted afterwards.
 *
 * <p>Usage: {@code java -Xmx256m -cp benchmarks.jar org.fedmed.bench.ValidateHarness [ROWS...]}; defaults 1000000
 * and 10000000 (about 1.1 GB of CSV; the temporary folder needs that much free space).
 */
public final class ValidateHarness {

    private static final int NUMERIC = 18;
    private static final String[] LEVELS = {"a", "b", "c", "d", "e"};

    private ValidateHarness() {
    }

    public static void main(String[] args) throws IOException {
        List<Long> counts = new ArrayList<>();
        for (String a : args) {
            counts.add(Long.parseLong(a));
        }
        if (counts.isEmpty()) {
            counts.addAll(List.of(1_000_000L, 10_000_000L));
        }
        double mib = 1 << 20;
        System.out.printf("max heap %.0f MiB, %d processors%n%n", Runtime.getRuntime().maxMemory() / mib,
                Runtime.getRuntime().availableProcessors());
        System.out.println("| rows | file (MiB) | generate (s) | SHA-256 (s) | validate (s) | rows/s (validate) | MiB/s (validate) | peak heap during validate (MiB) |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (long rows : counts) {
            Path dir = Files.createTempDirectory("fedmed-validate-bench");
            Path csv = dir.resolve("big.csv");
            try {
                long t0 = System.nanoTime();
                generate(csv, rows, 11);
                double gen = (System.nanoTime() - t0) / 1e9;
                Path def = dir.resolve("big.yaml");
                Files.writeString(def, definition());
                DatasetDefinition d = DefinitionReader.read(def);
                long t1 = System.nanoTime();
                ResolvedDataset resolved = new DatasetRegistry(List.of()).resolve(d);
                double sha = (System.nanoTime() - t1) / 1e9;
                settle();
                resetPeaks();
                long t2 = System.nanoTime();
                DatasetProfile profile = DatasetValidator.validate(resolved);
                double validate = (System.nanoTime() - t2) / 1e9;
                long peak = peakUsed();
                if (profile.rows() != rows) {
                    throw new IllegalStateException("validated " + profile.rows() + " rows of " + rows);
                }
                double size = Files.size(csv) / mib;
                System.out.printf("| %d | %.0f | %.1f | %.1f | %.1f | %.0f | %.0f | %.1f |%n", rows, size, gen, sha, validate,
                        rows / validate, size / validate, peak / mib);
            } finally {
                Files.deleteIfExists(csv);
                Files.deleteIfExists(dir.resolve("big.yaml"));
                Files.deleteIfExists(dir);
            }
        }
    }

    private static String definition() {
        StringBuilder sb = new StringBuilder("name: generated\ncolumns:\n");
        for (int c = 0; c < NUMERIC; c++) {
            sb.append("  - {name: x").append(c).append(", type: numeric}\n");
        }
        sb.append("  - {name: grp, type: categorical, levels: [a, b, c, d, e]}\n");
        sb.append("label: {column: y, kind: binary, positive_above: 0}\n");
        sb.append("sites: [{id: only, file: big.csv}]\n");
        return sb.toString();
    }

    /** Writes the CSV with hand-formatted numbers (no String.format per cell), seeded. */
    private static void generate(Path csv, long rows, long seed) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(csv), 1 << 20)) {
            StringBuilder header = new StringBuilder();
            for (int c = 0; c < NUMERIC; c++) {
                header.append('x').append(c).append(',');
            }
            out.write(header.append("grp,y\n").toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] line = new byte[256];
            for (long r = 0; r < rows; r++) {
                int n = 0;
                for (int c = 0; c < NUMERIC; c++) {
                    if (rng.nextInt(100) != 0) {
                        n = fixed2(line, n, rng.nextInt(10_000));
                    }
                    line[n++] = ',';
                }
                line[n++] = (byte) LEVELS[rng.nextInt(LEVELS.length)].charAt(0);
                line[n++] = ',';
                line[n++] = (byte) (rng.nextInt(3) == 0 ? '1' : '0');
                line[n++] = '\n';
                out.write(line, 0, n);
            }
        }
    }

    /** Writes {@code v / 100} with two decimals ({@code 1234} as {@code 12.34}) at {@code n}; returns the new end. */
    private static int fixed2(byte[] b, int n, int v) {
        int whole = v / 100;
        int frac = v % 100;
        if (whole >= 10) {
            b[n++] = (byte) ('0' + whole / 10);
        }
        b[n++] = (byte) ('0' + whole % 10);
        b[n++] = '.';
        b[n++] = (byte) ('0' + frac / 10);
        b[n++] = (byte) ('0' + frac % 10);
        return n;
    }

    private static void settle() {
        System.gc();
        System.gc();
    }

    private static void resetPeaks() {
        heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long peakUsed() {
        return heapPools().stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

    private static List<MemoryPoolMXBean> heapPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
    }
}
