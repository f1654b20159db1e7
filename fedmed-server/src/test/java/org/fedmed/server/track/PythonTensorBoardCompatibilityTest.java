package org.fedmed.server.track;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.fedmed.core.engine.RunListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads our event files with TensorBoard's own {@code EventAccumulator}, when Python's {@code tensorboard}
 * package is installed ({@code $FEDMED_PYTHON}, else {@code python3}); skipped only when it cannot be imported.
 */
class PythonTensorBoardCompatibilityTest {

    @TempDir
    Path dir;

    private static final String SCRIPT = """
            import sys, os
            from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
            root = sys.argv[1]
            for d, _, files in sorted(os.walk(root)):
                if not any('tfevents' in f for f in files):
                    continue
                acc = EventAccumulator(d, size_guidance={'scalars': 0})
                acc.Reload()
                site = os.path.relpath(d, root).split(os.sep)
                site = site[2] if len(site) == 3 else '-'
                for tag in sorted(acc.Tags()['scalars']):
                    for e in acc.Scalars(tag):
                        print('%s|%d|%s|%r' % (site, e.step, tag, e.value))
            """;

    @Test
    void tensorBoardsEventAccumulatorReadsEveryScalar() throws Exception {
        assumeTrue(run("from tensorboard.backend.event_processing.event_accumulator import EventAccumulator\n")
                .exit == 0, "python tensorboard is not installed");
        List<MetricRow> rows = new ArrayList<>();
        try (RunTracker t = RunTracker.open(TrackingSettings.files(dir))) {
            RunListener l = t.listener("federated", Map.of());
            for (int r = 1; r <= 3; r++) {
                l.roundFinished(Rounds.round(r), null);
                rows.addAll(TrackedMetrics.of("federated", Rounds.round(r)));
            }
        }
        TreeMap<String, Double> expected = new TreeMap<>();
        for (MetricRow r : rows) {
            expected.put((r.site() == null ? "-" : r.site()) + "|" + r.round() + "|" + r.metric(),
                    (double) (float) r.value());
        }
        Result out = run(SCRIPT, dir.resolve("tensorboard").toString());
        assertEquals(0, out.exit, out.output);
        TreeMap<String, Double> read = new TreeMap<>();
        for (String line : out.output.strip().split("\n")) {
            int cut = line.lastIndexOf('|');
            read.put(line.substring(0, cut), Double.parseDouble(line.substring(cut + 1)));
        }
        assertEquals(expected, read);
    }

    private record Result(int exit, String output) {
    }

    private Result run(String script, String... args) throws Exception {
        String py = System.getenv("FEDMED_PYTHON") == null || System.getenv("FEDMED_PYTHON").isBlank() ? "python3"
                : System.getenv("FEDMED_PYTHON");
        Path file = Files.createTempFile(dir, "tb", ".py");
        Files.writeString(file, script);
        List<String> cmd = new ArrayList<>(List.of(py, file.toString()));
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException none) {
            return new Result(-1, "no interpreter: " + none.getMessage());
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-2, "timed out");
        }
        return new Result(p.exitValue(), output);
    }
}
