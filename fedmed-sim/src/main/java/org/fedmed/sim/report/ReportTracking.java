package org.fedmed.sim.report;

import java.util.List;
import java.util.Map;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.RunListener;
import org.fedmed.server.track.MetricRow;
import org.fedmed.server.track.RunTracker;
import org.fedmed.server.track.TrackedMetrics;

/**
 * Tracks a finished simulation the way the deployment server tracks its run: the federated run as tracked run
 * {@value #FEDERATED}, and the FedPer or Ditto run behind the personalized regime, when there is one, as
 * {@value #PERSONALIZED}. Each round goes through the tracker's {@link RunListener}, so the rows are those
 * {@link TrackedMetrics#of} gives the server; after each round comes the central DP epsilon spent so far
 * ({@link TrackedMetrics#EPSILON}, no site) when DP is on, and after the last each site's DP-SGD epsilon (with
 * the site) when sites ran DP-SGD.
 */
public final class ReportTracking {

    public static final String FEDERATED = "federated";
    public static final String PERSONALIZED = "personalized";

    private ReportTracking() {
    }

    public static void record(ComparisonReport report, RunTracker tracker, Map<String, String> params) {
        if (report.federated() != null) {
            run(tracker, FEDERATED, report.federated(), report.federated().siteDpEpsilon(), params);
        }
        if (report.personalizedRun() != null) {
            run(tracker, PERSONALIZED, report.personalizedRun(), report.personalizedSiteDpEpsilon(), params);
        }
    }

    private static void run(RunTracker tracker, String name, FederatedSummary run, Map<String, Double> siteEpsilon,
                            Map<String, String> params) {
        RunListener listener = tracker.listener(name, params);
        Map<Integer, Double> epsilon = new java.util.HashMap<>();
        if (run.privacy() != null) {
            run.privacy().rounds().forEach(r -> epsilon.put(r.round(), r.epsilon()));
        }
        int last = 0;
        for (RoundRecord r : run.rounds()) {
            listener.roundFinished(r, null);
            Double e = epsilon.get(r.round());
            if (e != null) {
                tracker.record(List.of(new MetricRow(name, r.round(), null, TrackedMetrics.EPSILON, e)));
            }
            last = r.round();
        }
        if (siteEpsilon != null) {
            tracker.record(TrackedMetrics.perSite(name, last, TrackedMetrics.EPSILON, siteEpsilon));
        }
        tracker.finish(name);
    }
}
