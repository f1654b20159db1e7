package org.fedmed.sim.report;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fedmed.server.track.RunTracker;
import org.fedmed.server.track.TrackingSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTrackingTest {

    @Test
    void aPrivateSimulationTracksEachRoundsEpsilonAndEachSitesDpSgdEpsilon(@TempDir Path dir) throws Exception {
        ComparisonReport plain = ReportWriterTest.report();
        FederatedSummary f = plain.federated();
        PrivacySummary dp = new PrivacySummary("dp-fedavg", 1.1, 1e-5, null, 0.8123456789,
                List.of(new PrivacySummary.Round(1, 2, 1.0, 0.5, 0.8123456789)));
        ComparisonReport report = new ComparisonReport(plain.provenance(), plain.regimes(),
                new FederatedSummary(f.strategy(), f.stopReason(), f.stopDetail(), f.roundsRun(), f.rounds(), null, dp,
                        Map.of("b", 3.25, "a", 2.5)), List.of(), null, null, plain.objective());
        try (RunTracker t = RunTracker.open(TrackingSettings.files(dir))) {
            ReportTracking.record(report, t, Map.of());
        }
        List<String> csv = Files.readAllLines(dir.resolve("metrics.csv"));
        assertTrue(csv.contains("federated,1,,eval/log_loss,0.6"), csv.toString());
        int eps = csv.indexOf("federated,1,,privacy/epsilon,0.8123456789");
        assertTrue(eps > 0, csv.toString());
        assertEquals(List.of("federated,1,a,privacy/epsilon,2.5", "federated,1,b,privacy/epsilon,3.25"),
                csv.subList(eps + 1, csv.size()), "site epsilons last, in site order");
    }
}
