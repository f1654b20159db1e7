package org.fedmed.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.SiteFailure;
import org.fedmed.server.store.AuditEvent;
import org.fedmed.server.store.RunStatus;
import org.fedmed.server.store.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The view reads a growing run incrementally and still shows exactly what the store holds. */
class StoreViewTest {

    @TempDir
    Path dir;

    private static RoundRecord round(int r, double loss) {
        return new RoundRecord(r, List.of("a", "b", "c"), List.of("a", "b"),
                List.of(new SiteFailure(r, "c", SiteFailure.Kind.ERROR, "disk full")), true, Map.of("loss", loss),
                Map.of("log_loss", loss), Map.of("a", Map.of("log_loss", loss + 1)), 10, Map.of("a", 5L, "b", 7L + r),
                Map.of());
    }

    @Test
    void roundsReadIncrementallyEqualAFreshReadAndFollowADiscardOnResume() {
        Path db = dir.resolve("runs.db");
        try (RunStore writer = RunStore.open(db)) {
            long id = writer.createRun("grow", "{}", 1);
            writer.recordRound(id, round(1, 0.9), null);
            try (StoreView view = StoreView.open(db)) {
                assertEquals(1, view.rounds(id).size());
                writer.recordRound(id, round(2, 0.8), null);
                writer.recordRound(id, round(3, 0.7), null);
                writer.audit(id, "c", AuditEvent.FAILED, "round 3: disk full");
                assertEquals(writer.rounds(id), view.rounds(id), "rounds 2 and 3 read after round 1");
                assertEquals(writer.auditLog(id), view.audit(id));

                writer.finishRun(id, RunStatus.STOPPED, "SIGTERM");
                writer.reopenRun(id, "resume from round 1");
                writer.discardRoundsAfter(id, 1, "checkpoint of round 2 unusable");
                writer.recordRound(id, round(2, 0.5), null);
                writer.recordRound(id, round(3, 0.4), null);
                writer.recordRound(id, round(4, 0.3), null);
                assertEquals(writer.rounds(id), view.rounds(id), "the discarded rounds are not shown");
                assertEquals(0.5, view.rounds(id).get(1).evalMetrics().get("log_loss"));
                try (StoreView fresh = StoreView.open(db)) {
                    assertEquals(fresh.rounds(id), view.rounds(id));
                    assertEquals(fresh.audit(id), view.audit(id));
                }

                List<SiteRow> sites = view.sites(id);
                assertEquals(List.of("a", "b", "c"), sites.stream().map(SiteRow::site).toList());
                SiteRow b = sites.get(1);
                assertEquals(4, b.roundsTaken());
                assertEquals(11L, b.claimed().getAsLong(), "claim of its latest fit, round 4");
                SiteRow c = sites.get(2);
                assertEquals(0, c.roundsTaken());
                assertEquals(4, c.roundsFailed());
                assertEquals("unseen", c.state());
                assertEquals(true, c.lastContact().isPresent(), "its failure entry");

                java.time.Instant entry = c.lastContact().orElseThrow();
                writer.recordContacts(id, Map.of("c", entry.minusSeconds(30)));
                assertEquals(entry, view.sites(id).get(2).lastContact().orElseThrow(),
                        "a contact older than the latest entry does not move it back");
                java.time.Instant heard = entry.plusSeconds(30);
                writer.recordContacts(id, Map.of("c", heard));
                assertEquals(heard, view.sites(id).get(2).lastContact().orElseThrow(),
                        "a heartbeat heard after its last entry");
            }
        }
    }
}
