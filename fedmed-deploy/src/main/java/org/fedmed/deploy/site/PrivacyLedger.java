package org.fedmed.deploy.site;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedmed.privacy.accounting.RdpAccountant;
import org.fedmed.privacy.accounting.SampledGaussianSteps;
import org.fedmed.server.audit.AuditChain;
import org.fedmed.server.audit.ChainReport;

/**
 * A site's record of the privacy it has spent on its rows: one JSON line per DP-SGD fit (sampling rate, noise
 * multiplier, steps), forced to disk before the fit's result leaves the site. Replaying it gives the accountant
 * the site continues from after a restart, so a privacy budget holds over the site's life, not one process's.
 * The ledger is only ever appended to, as a hash chain ({@link JsonLinesChain}). Opening it verifies the chain:
 * a line that cannot be read, was changed, removed or moved, or a last line cut off by a crash, stops the site
 * rather than let it under-count (a cut-off last line belonged to a fit whose result never left the site, so
 * removing it is safe).
 */
public final class PrivacyLedger {

    private final Path file;
    private final RdpAccountant replayed;
    private final JsonLinesChain chain;

    private PrivacyLedger(Path file, RdpAccountant replayed, JsonLinesChain chain) {
        this.file = file;
        this.replayed = replayed;
        this.chain = chain;
    }

    /**
     * Opens the ledger at {@code file} (absent: nothing spent yet), verifies its chain and replays it.
     *
     * @throws IllegalStateException naming the file and the first bad line when the chain is broken or a line
     *                               holds no steps
     */
    public static PrivacyLedger open(Path file) {
        RdpAccountant accountant = new RdpAccountant();
        ChainReport report = AuditChain.verify("line", List.of(), List.of());
        if (Files.exists(file)) {
            try {
                report = JsonLinesChain.verify(file);
            } catch (UncheckedIOException e) {
                throw new UncheckedIOException("cannot read the privacy ledger " + file + ": " + e.getMessage(), e.getCause());
            }
            if (!report.intact()) {
                throw new IllegalStateException("privacy ledger " + file + " " + report.summary() + "; the site will not"
                        + " train without knowing the privacy it has spent. Restore the file from a backup");
            }
            for (JsonLinesChain.Numbered n : JsonLinesChain.objects(file, "privacy ledger")) {
                try {
                    Map<String, Object> m = n.object();
                    accountant.step(number(m, "sampling_rate").doubleValue(), number(m, "noise_multiplier").doubleValue(),
                            number(m, "steps").longValue());
                } catch (RuntimeException e) {
                    throw new IllegalStateException("privacy ledger " + file + " line " + n.line() + " cannot be read ("
                            + e.getMessage() + "); the site will not train without knowing the privacy it has spent."
                            + " Restore the file from a backup", e);
                }
            }
        }
        return new PrivacyLedger(file, accountant, JsonLinesChain.after(file, report));
    }

    private static Number number(Map<String, Object> line, String key) {
        if (line.get(key) instanceof Number n) {
            return n;
        }
        throw new IllegalArgumentException("'" + key + "' must be a number, got " + line.get(key));
    }

    /** The file this ledger lives in. */
    public Path file() {
        return file;
    }

    /** An accountant holding every step the ledger recorded when it was opened. */
    public RdpAccountant replayed() {
        return replayed.copy();
    }

    /** Appends the steps of one fit of {@code round}, chained, and forces them to disk. */
    public synchronized void record(List<SampledGaussianSteps> steps, int round) {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (SampledGaussianSteps s : steps) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("at", Instant.now().toString());
            line.put("round", round);
            line.put("sampling_rate", s.samplingRate());
            line.put("noise_multiplier", s.noiseMultiplier());
            line.put("steps", s.steps());
            lines.add(line);
        }
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                chain.append(ch, "", lines);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the privacy ledger " + file + ": " + e.getMessage(), e);
        }
    }
}
