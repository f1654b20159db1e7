package org.fedmed.server.track;

import java.util.List;
import java.util.Map;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.SiteFailure;
import org.fedmed.core.engine.SiteTraffic;

/** Round records with known metrics, for the tracking tests. */
final class Rounds {

    private Rounds() {
    }

    /**
     * Round {@code r} of two sites, a and b; b fails in round 2. Values are simple functions of the round: aggregation
     * took 1.5 r ms; a was sent 1000 r bytes and sent back 500 r; b was sent 900 and sent back 450, or nothing when
     * it failed.
     */
    static RoundRecord round(int r) {
        boolean bFails = r == 2;
        List<SiteFailure> failures = bFails ? List.of(new SiteFailure(r, "b", SiteFailure.Kind.TIMEOUT, "late"))
                : List.of();
        Map<String, Map<String, Double>> sites = bFails ? Map.of("a", Map.of("roc_auc", 0.6 + r / 100.0))
                : Map.of("a", Map.of("roc_auc", 0.6 + r / 100.0), "b", Map.of("roc_auc", 0.5 + r / 50.0));
        return new RoundRecord(r, List.of("a", "b"), bFails ? List.of("a") : List.of("a", "b"), failures, true,
                Map.of("loss", 1.0 / r), Map.of("log_loss", 0.7 - r / 100.0, "roc_auc", 0.55 + r / 40.0), sites,
                100L * r, Map.of("a", 120L, "b", 80L), Map.of("a", 30L), 1_500_000L * r,
                Map.of("a", new SiteTraffic(1000L * r, 500L * r), "b", new SiteTraffic(900, bFails ? 0 : 450)));
    }
}
