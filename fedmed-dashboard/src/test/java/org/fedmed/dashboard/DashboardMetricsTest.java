package org.fedmed.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.SiteTraffic;
import org.fedmed.core.engine.RunListener;
import org.fedmed.server.store.AuditEntry;
import org.fedmed.server.store.AuditEvent;
import org.fedmed.server.store.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The aggregation-time summary and the byte counters come from the numbers stored with each round, not from audit
 * text: a real run's aggregation times add up to the summary, each site's bytes to its counters, and a round that
 * recorded no aggregation time is not counted as one that took none.
 */
class DashboardMetricsTest {

    @TempDir
    Path dir;

    static RoundRecord round(int r, long aggregationNanos, Map<String, SiteTraffic> traffic) {
        return new RoundRecord(r, List.of("a", "b"), List.of("a", "b"), List.of(), true, Map.of(), Map.of(), Map.of(),
                100, Map.of(), Map.of(), aggregationNanos, traffic);
    }

    @Test
    void bytesPerSiteAreTheStoredRoundCountsAndAuditTextIsNotParsed() {
        DashboardMetrics m = new DashboardMetrics();
        m.round(round(1, 2_000_000, Map.of("a", new SiteTraffic(1200, 700), "b", new SiteTraffic(1100, 0))));
        m.round(round(2, 0, Map.of("a", new SiteTraffic(1000, 650))));
        m.audit(new AuditEntry(1, Instant.EPOCH, OptionalLong.of(1), "a", AuditEvent.TASK_SENT,
                "fit task 'x' of round 3, 999999 model bytes"));
        Map<String, Double> s = PrometheusText.parse(m.scrape());
        assertEquals(2200.0, s.get("fedmed_bytes_sent_total{site=\"a\"}"));
        assertEquals(1350.0, s.get("fedmed_bytes_received_total{site=\"a\"}"));
        assertEquals(1100.0, s.get("fedmed_bytes_sent_total{site=\"b\"}"));
        assertEquals(0.0, s.get("fedmed_bytes_received_total{site=\"b\"}"));
        assertEquals(1.0, s.get("fedmed_aggregation_duration_seconds_count"), "round 2 recorded no aggregation time");
        assertEquals(0.002, s.get("fedmed_aggregation_duration_seconds_sum"), 1e-12);
        assertEquals(0.002, s.get("fedmed_aggregation_duration_seconds_max"), 1e-12);
    }

    @Test
    void aRealRunsAggregationTimesAddUpToTheSummary() {
        Path db = dir.resolve("runs.db");
        List<RoundRecord> stored;
        try (RunStore store = RunStore.open(db)) {
            long id = TestRun.run(store, dir.resolve("checkpoints"), 3, new RunListener() { });
            stored = store.rounds(id);
        }
        DashboardMetrics m = new DashboardMetrics();
        try (StoreView view = StoreView.open(db)) {
            view.rounds(view.run(null).orElseThrow().id()).forEach(m::round);
        }
        Map<String, Double> s = PrometheusText.parse(m.scrape());
        assertEquals(3.0, s.get("fedmed_aggregation_duration_seconds_count"));
        double sum = stored.stream().mapToLong(RoundRecord::aggregationNanos).sum() / 1e9;
        assertTrue(sum > 0, "a real run records its aggregation time");
        assertEquals(sum, s.get("fedmed_aggregation_duration_seconds_sum"), 1e-9);
        assertTrue(s.get("fedmed_aggregation_duration_seconds_sum") <= s.get("fedmed_round_duration_seconds_sum") + 0.003,
                "aggregation is part of the rounds (durations truncated to whole milliseconds)");
        assertNull(s.get("fedmed_bytes_sent_total{site=\"hospital-a\"}"), "in-process sites move no bytes");
        for (String line : m.scrape().lines().filter(l -> l.startsWith("# HELP ")).toList()) {
            assertTrue(line.split(" ", 4).length == 4 && !line.split(" ", 4)[3].isBlank(),
                    "every metric says what it counts: " + line);
        }
    }
}
