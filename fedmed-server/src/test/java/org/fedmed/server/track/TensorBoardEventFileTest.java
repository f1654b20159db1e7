package org.fedmed.server.track;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.fedmed.core.engine.RunListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorBoardEventFileTest {

    @TempDir
    Path dir;

    @Test
    void readerCrcMatchesTheCastagnoliCheckValue() {
        // the standard check value of CRC-32C over "123456789"
        assertEquals(0xE3069283, EventFileReader.crc32c("123456789".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(EventFileReader.masked(EventFileReader.crc32c(new byte[]{1, 2, 3})),
                TfRecordWriter.maskedCrc32c(new byte[]{1, 2, 3}, 0, 3));
    }

    @Test
    void everyRecordedMetricReadsBackFromTheEventFilesWithValidCrcs() throws IOException {
        List<MetricRow> recorded = new ArrayList<>();
        try (RunTracker tracker = RunTracker.open(TrackingSettings.files(dir))) {
            RunListener l = tracker.listener("federated", Map.of());
            for (int r = 1; r <= 3; r++) {
                l.roundFinished(Rounds.round(r), null);
                recorded.addAll(TrackedMetrics.of("federated", Rounds.round(r)));
            }
        }
        Map<String, Float> expected = new HashMap<>();
        for (MetricRow r : recorded) {
            expected.put(key(r.site(), r.round(), r.metric()), (float) r.value());
        }
        Map<String, Float> read = new HashMap<>();
        Path root = dir.resolve("tensorboard");
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).toList();
        }
        assertEquals(3, files.size(), "one file for the federation and one per site: " + files);
        for (Path f : files) {
            String host = EventFileWriter.host();
            assertTrue(f.getFileName().toString().matches("events\\.out\\.tfevents\\.\\d{10}\\." + java.util.regex.Pattern.quote(host)),
                    f.getFileName().toString());
            Path rel = root.relativize(f.getParent());
            String site = rel.getNameCount() == 1 ? null : rel.getFileName().toString();
            List<EventFileReader.Event> events = EventFileReader.read(f);
            assertEquals("brain.Event:2", events.getFirst().fileVersion());
            for (EventFileReader.Event e : events.subList(1, events.size())) {
                assertNull(e.fileVersion());
                assertNull(read.put(key(site, (int) e.step(), e.tag()), e.value()), "written twice: " + e);
            }
        }
        assertEquals(expected, read);
        assertEquals(0.55f + 2 / 40.0f, read.get(key(null, 2, "eval/roc_auc")), 1e-6);
        assertEquals(1.0f, read.get(key("b", 2, "round/failed")));
    }

    @Test
    void aFlippedByteIsCaughtByTheReadersCrcCheck() throws IOException {
        Path f;
        try (EventFileWriter w = new EventFileWriter(dir)) {
            w.scalar(1.0, 1, "eval/loss", 0.5);
            f = w.file();
        }
        byte[] bytes = Files.readAllBytes(f);
        bytes[bytes.length - 6] ^= 1;
        Files.write(f, bytes);
        IOException e = assertThrows(IOException.class, () -> EventFileReader.read(f));
        assertTrue(e.getMessage().contains("data CRC mismatch"), e.getMessage());
    }

    @Test
    void aSecondFileInTheSameFolderGetsItsOwnName() {
        try (EventFileWriter a = new EventFileWriter(dir); EventFileWriter b = new EventFileWriter(dir)) {
            assertNotEquals(a.file(), b.file());
        }
    }

    private static String key(String site, int round, String metric) {
        return site + "|" + round + "|" + metric;
    }
}
