package org.fedmed.server.track;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's metrics as TensorBoard event files under {@code <root>/<run>}: the federation's rows in that folder, and
 * each site's in {@code <root>/<run>/sites/<site>}, with the metric name as the tag and the round as the step. So
 * {@code tensorboard --logdir <root>} shows the federation and every site as runs, and a chart such as
 * {@code eval/roc_auc} overlays the global curve and each site's own. Run and site names are written with every
 * character outside {@code [A-Za-z0-9._-]} replaced by {@code _}.
 */
public final class TensorBoardWriter implements AutoCloseable {

    private final Path root;
    private final Map<String, EventFileWriter> files = new LinkedHashMap<>();

    public TensorBoardWriter(Path root) {
        this.root = root;
    }

    public void write(List<MetricRow> rows, double wallTime) {
        for (MetricRow r : rows) {
            writer(r.run(), r.site()).scalar(wallTime, r.round(), r.metric(), r.value());
        }
        files.values().forEach(EventFileWriter::flush);
    }

    /** The folder a site's (or, with null, the federation's) events of {@code run} go to. */
    public static Path folder(Path root, String run, String site) {
        Path dir = root.resolve(EventFileWriter.safe(run));
        return site == null ? dir : dir.resolve("sites").resolve(EventFileWriter.safe(site));
    }

    private EventFileWriter writer(String run, String site) {
        return files.computeIfAbsent(run + "\u0000" + (site == null ? "" : site),
                k -> new EventFileWriter(folder(root, run, site)));
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (EventFileWriter w : files.values()) {
            try {
                w.close();
            } catch (RuntimeException e) {
                if (first == null) first = e;
                else first.addSuppressed(e);
            }
        }
        if (first != null) throw first;
    }
}
