package org.fedmed.core.engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.exchange.ExchangeMessage;
import org.fedmed.core.exchange.SiteExchange;

/**
 * The sites the round engine can reach, and how tasks get to them. In simulation this is a set of in-process
 * clients; in deployment it is the sites connected over the network. The engine does not know which. A pool also
 * carries the later stages of a round that needs several exchanges with each site ({@link SiteExchange}); the
 * default carries none.
 */
public interface SitePool extends SiteExchange {

    /**
     * Ids of the sites that can take tasks now. A pool over a population returns a
     * {@link org.fedmed.core.strategy.SortedSiteIds} view, which a round samples without listing.
     */
    List<String> availableSites();

    /**
     * Ids of the sites the global model is evaluated on after a round: by default every available site. A pool over
     * a population names a fixed sample of it instead, since evaluating a million sites every round is not a
     * simulation anyone waits for.
     */
    default List<String> evaluationSites() {
        return availableSites();
    }

    /**
     * Sends each task to its site and reports every outcome to {@code sink} before returning. A site that
     * has not answered within {@code deadline} is reported as a {@link SiteFailure.Kind#TIMEOUT}. Calls to the
     * sink are never concurrent.
     */
    void fit(List<FitTask> tasks, Duration deadline, OutcomeSink<FitResult> sink);

    /**
     * As {@link #fit(List, Duration, OutcomeSink)}, for a round that over-selected: once {@code enough} tasks have
     * succeeded (counted as results arrive, whatever order they are reported in), the tasks still open are cut at
     * once, reported as {@link SiteFailure.Kind#TIMEOUT} with a reason saying the round had its results, and their
     * sites are told to stop; results that arrive later are dropped. Every task's outcome is still reported exactly
     * once before this returns, and calls to the sink are never concurrent. {@code enough >= tasks.size()} waits for
     * every task, as the three-argument form does; {@code enough < 1} is refused unless {@code tasks} is empty.
     *
     * <p>The default ignores {@code enough} and waits for every task: a pool that cannot cut early still reports
     * correct outcomes, only more slowly.
     */
    default void fit(List<FitTask> tasks, Duration deadline, int enough, OutcomeSink<FitResult> sink) {
        fit(tasks, deadline, sink);
    }

    /** As {@link #fit}, for evaluation. */
    void evaluate(List<EvalTask> tasks, Duration deadline, OutcomeSink<EvalResult> sink);

    /**
     * The bytes sent to and received from each site since the previous call (or since the pool started), and starts
     * counting afresh: every byte counted is reported by exactly one call. The round engine calls it once at the end
     * of each round, so a round's traffic is what moved from the end of the round before to the end of this one,
     * including, for the first round, whatever came before it (admission, a statistics exchange). Sites that moved
     * nothing are left out. The default, for a pool that moves no bytes (in-process sites), reports none.
     */
    default Map<String, SiteTraffic> takeTraffic() {
        return Map.of();
    }

    /**
     * Where the pool's site time went since the previous call (building sites, their fit and evaluate calls, each
     * summed over sites), for a pool that trains sites itself (in process, or in Spark tasks); then counts afresh.
     * The default, for a pool whose sites are elsewhere, reports none.
     */
    default SiteTimes takeTimes() {
        return new SiteTimes(0, 0, 0, 0);
    }

    /** The default carries no multi-exchange round: every message fails as {@link SiteExchange#NONE} says. */
    @Override
    default void exchange(List<ExchangeMessage> messages, Duration deadline, OutcomeSink<ExchangeMessage> sink) {
        SiteExchange.NONE.exchange(messages, deadline, sink);
    }
}
