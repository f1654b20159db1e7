package org.fedmed.deploy.server;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.RunListener;
import org.fedmed.core.engine.RunResult;
import org.fedmed.privacy.accounting.PrivacySpent;
import org.fedmed.privacy.fedavg.DpFedAvgStrategy;
import org.fedmed.privacy.fedavg.RoundPrivacy;
import org.fedmed.server.log.EventLog;
import org.fedmed.server.track.MetricRow;
import org.fedmed.server.track.RunTracker;
import org.fedmed.server.track.TrackedMetrics;

/**
 * The server's console lines on a DP-FedAvg run's privacy account: where it starts (zero for a new run, the
 * checkpoint's account for a resumed one) and what the whole run spent when it ends, epsilon written in full
 * ({@link Double#toString}) so that two runs' reports compare exactly. Through the {@link EventLog} behind the writer:
 * in JSON format the lines are events {@code privacy.account} and {@code privacy.spent}. With a tracker it also
 * records each round's cumulative epsilon as {@link TrackedMetrics#EPSILON}, as {@code simulate}'s tracking does.
 */
final class PrivacyPrinter implements RunListener {

    private final EventLog log;
    private final DpFedAvgStrategy privacy;
    private final RunTracker tracker;
    private final String trackedRun;

    /** @param tracker where each round's epsilon is tracked under {@code trackedRun}; null for none */
    PrivacyPrinter(PrintWriter out, DpFedAvgStrategy privacy, RunTracker tracker, String trackedRun) {
        this.log = EventLog.of(out);
        this.privacy = privacy;
        this.tracker = tracker;
        this.trackedRun = trackedRun;
    }

    /** Says what the account holds before the first round this process runs. */
    void started(int firstRound) {
        PrivacySpent spent = privacy.privacySpent();
        log.info("privacy.account", String.format(Locale.ROOT, "privacy: %s, noise %s; %s before round %d",
                privacy.name(), privacy.placement().name().toLowerCase(Locale.ROOT), line(spent), firstRound),
                firstRound, null);
    }

    @Override
    public void roundFinished(RoundRecord record, ModelParameters global) {
        if (tracker == null) {
            return;
        }
        for (RoundPrivacy r : privacy.history()) {
            if (r.round() == record.round()) {
                tracker.record(List.of(new MetricRow(trackedRun, r.round(), null, TrackedMetrics.EPSILON,
                        r.epsilon())));
            }
        }
    }

    @Override
    public void runFinished(RunResult result) {
        double target = privacy.targetEpsilon();
        log.info("privacy.spent", "privacy spent: " + line(privacy.privacySpent()) + " over "
                + privacy.history().size() + " round(s)" + (Double.isInfinite(target) ? ", no target_epsilon set"
                : ", target_epsilon " + target), result.roundsRun(), null);
    }

    private static String line(PrivacySpent spent) {
        return "epsilon " + spent.epsilon() + " at delta " + spent.delta();
    }
}
