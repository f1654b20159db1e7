package org.fedmed.deploy.site;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedmed.privacy.accounting.RdpAccountant;
import org.fedmed.privacy.accounting.SampledGaussianSteps;

/**
 * A site's record of the privacy it has spent on its rows: one JSON line per DP-SGD fit (sampling rate, noise
 * multiplier, steps), forced to disk before the fit's result leaves the site. Replaying it gives the accountant
 * the site continues from after a restart, so a privacy budget holds over the site's life, not one process's.
 * The ledger is only ever appended to; a line that cannot be read stops the site rather than under-count.
 */
public final class PrivacyLedger {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final RdpAccountant replayed;

    private PrivacyLedger(Path file, RdpAccountant replayed) {
        this.file = file;
        this.replayed = replayed;
    }

    /** Opens the ledger at {@code file} (absent: nothing spent yet) and replays it. */
    public static PrivacyLedger open(Path file) {
        RdpAccountant accountant = new RdpAccountant();
        if (Files.exists(file)) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the privacy ledger " + file + ": " + e.getMessage(), e);
            }
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) {
                    continue;
                }
                try {
                    JsonNode n = JSON.readTree(lines.get(i));
                    accountant.step(n.get("sampling_rate").asDouble(), n.get("noise_multiplier").asDouble(),
                            n.get("steps").asLong());
                } catch (IOException | RuntimeException e) {
                    throw new IllegalStateException("privacy ledger " + file + " line " + (i + 1) + " cannot be read ("
                            + e.getMessage() + "); the site will not train without knowing the privacy it has spent."
                            + " Restore the file from a backup", e);
                }
            }
        }
        return new PrivacyLedger(file, accountant);
    }

    /** The file this ledger lives in. */
    public Path file() {
        return file;
    }

    /** An accountant holding every step the ledger recorded when it was opened. */
    public RdpAccountant replayed() {
        return replayed.copy();
    }

    /** Appends the steps of one fit of {@code round} and forces them to disk. */
    public synchronized void record(List<SampledGaussianSteps> steps, int round) {
        StringBuilder text = new StringBuilder();
        for (SampledGaussianSteps s : steps) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("at", Instant.now().toString());
            line.put("round", round);
            line.put("sampling_rate", s.samplingRate());
            line.put("noise_multiplier", s.noiseMultiplier());
            line.put("steps", s.steps());
            try {
                text.append(JSON.writeValueAsString(line)).append('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                ByteBuffer buf = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the privacy ledger " + file + ": " + e.getMessage(), e);
        }
    }
}
