package org.fedmed.deploy.server;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.RunListener;
import org.fedmed.core.engine.RunResult;
import org.fedmed.core.engine.SiteFailure;
import org.fedmed.core.metrics.MetricAggregation;
import org.fedmed.core.objective.Objective;
import org.fedmed.core.strategy.WeightCaps;
import org.fedmed.server.log.EventLog;

/**
 * The server's console log of a run: one line per round (sites that delivered, the objective's watched loss and
 * headline score, such as log loss and ROC AUC or MSE and R², time; a warning that says so when the round had too
 * few usable updates to aggregate and the model stayed as it was), one per site
 * failure with its reason, and the stop reason. Lines, not a bar, since a server usually runs under a service
 * manager whose log keeps them. They go through the {@link EventLog} behind the writer ({@link EventLog#of}): in
 * JSON format each is an event ({@code round.finished}, {@code site.failed}, {@code site.weight_capped},
 * {@code run.finished}) with its round and site as fields.
 */
final class RoundPrinter implements RunListener {

    /** What a round line says when the round had too few usable updates to aggregate. */
    static final String NOT_AGGREGATED = ", too few usable updates to aggregate (min_fit_sites): the model is unchanged";

    private final EventLog log;
    private final String lossMetric;
    private final String headline;
    private final int totalRounds;

    RoundPrinter(PrintWriter out, Objective objective, int totalRounds) {
        this.log = EventLog.of(out);
        this.lossMetric = objective.watchedLoss();
        this.headline = objective.headlineMetric();
        this.totalRounds = totalRounds;
    }

    @Override
    public void siteFailed(SiteFailure f) {
        log.log(EventLog.Level.WARN, "site.failed", "  round " + f.round() + ": " + f.describe(), f.round(),
                f.siteId());
    }

    @Override
    public void weightCapped(int round, WeightCaps.Capped c) {
        log.log(EventLog.Level.WARN, "site.weight_capped", String.format(Locale.ROOT,
                "  round %d: site '%s' claimed weight %.6g, capped at %.6g (%.0f%% of the round)", round, c.siteId(),
                c.weight(), c.cappedWeight(), 100 * c.share()), round, c.siteId());
    }

    @Override
    public void roundFinished(RoundRecord r, ModelParameters global) {
        String line = String.format(Locale.ROOT, "round %d/%d: %d of %d sites delivered%s%s (%.2f s)", r.round(),
                totalRounds, r.succeeded().size(), r.selected().size(), r.completed() ? "" : NOT_AGGREGATED,
                metrics(r.evalMetrics()), r.durationMillis() / 1000.0);
        log.log(r.completed() ? EventLog.Level.INFO : EventLog.Level.WARN, "round.finished", line, r.round(), null);
    }

    @Override
    public void runFinished(RunResult result) {
        log.info("run.finished", String.format("run finished after %d rounds: %s (%s)", result.roundsRun(),
                result.stopReason().name().toLowerCase(Locale.ROOT).replace('_', ' '), result.stopDetail()),
                result.roundsRun(), null);
    }

    private String metrics(Map<String, Double> eval) {
        StringBuilder b = new StringBuilder();
        Double loss = eval.get(lossMetric);
        if (loss != null) {
            b.append(String.format(Locale.ROOT, ", %s %.4f", lossMetric, loss));
        }
        Double score = eval.get(headline);
        if (score != null) {
            b.append(String.format(Locale.ROOT, ", %s %.4f", headline, score));
        }
        Double median = eval.get(headline + MetricAggregation.MEDIAN_SUFFIX);
        if (median != null) {
            b.append(String.format(Locale.ROOT, " (median over sites %.4f)", median));
        }
        return b.toString();
    }
}
