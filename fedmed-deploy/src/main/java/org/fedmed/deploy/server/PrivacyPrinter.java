package org.fedmed.deploy.server;

import java.io.PrintWriter;
import java.util.Locale;
import org.fedmed.core.engine.RunListener;
import org.fedmed.core.engine.RunResult;
import org.fedmed.privacy.accounting.PrivacySpent;
import org.fedmed.privacy.fedavg.DpFedAvgStrategy;
import org.fedmed.server.log.EventLog;

/**
 * The server's console lines on a DP-FedAvg run's privacy account: where it starts (zero for a new run, the
 * checkpoint's account for a resumed one) and what the whole run spent when it ends, epsilon written in full
 * ({@link Double#toString}) so that two runs' reports compare exactly. Through the {@link EventLog} behind the writer:
 * in JSON format the lines are events {@code privacy.account} and {@code privacy.spent}.
 */
final class PrivacyPrinter implements RunListener {

    private final EventLog log;
    private final DpFedAvgStrategy privacy;

    PrivacyPrinter(PrintWriter out, DpFedAvgStrategy privacy) {
        this.log = EventLog.of(out);
        this.privacy = privacy;
    }

    /** Says what the account holds before the first round this process runs. */
    void started(int firstRound) {
        PrivacySpent spent = privacy.privacySpent();
        log.info("privacy.account", String.format(Locale.ROOT, "privacy: %s, noise %s; %s before round %d",
                privacy.name(), privacy.placement().name().toLowerCase(Locale.ROOT), line(spent), firstRound),
                firstRound, null);
    }

    @Override
    public void runFinished(RunResult result) {
        log.info("privacy.spent", "privacy spent: " + line(privacy.privacySpent()) + " over "
                + privacy.history().size() + " round(s) (" + privacy.budgetStatus() + ")", result.rounds().size(), null);
    }

    private static String line(PrivacySpent spent) {
        return "epsilon " + spent.epsilon() + " at delta " + spent.delta();
    }
}
