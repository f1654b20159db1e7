package org.fedmed.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.fedmed.core.FitResult;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.strategy.Aggregator;
import org.fedmed.core.strategy.ForwardingStrategy;
import org.fedmed.core.strategy.RoundContext;
import org.fedmed.core.strategy.UpdateRejectedException;
import org.junit.jupiter.api.Test;

/**
 * The round engine records the time it spent aggregating each round: the aggregator's accept calls, close() and
 * result() are counted, the wait for the sites is not, and the total lies within the round's duration.
 */
class RoundEngineAggregationTimeTest {

    static final long RESULT_SLEEP_MS = 20;
    static final long SITE_SLEEP_MS = 300;

    /** FedAvg whose aggregator takes at least {@link #RESULT_SLEEP_MS} in result(), as a slow server step would. */
    static final class SlowServerStep extends ForwardingStrategy {
        SlowServerStep() {
            super(RoundEngineTest.fedavg(1));
        }

        @Override
        public Aggregator newAggregator(RoundContext context) {
            Aggregator inner = super.newAggregator(context);
            return new Aggregator() {
                @Override
                public void accept(FitResult update) throws UpdateRejectedException {
                    inner.accept(update);
                }

                @Override
                public int accepted() {
                    return inner.accepted();
                }

                @Override
                public List<UpdateRejectedException> close() {
                    return inner.close();
                }

                @Override
                public ModelParameters result() {
                    try {
                        Thread.sleep(RESULT_SLEEP_MS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return inner.result();
                }
            };
        }
    }

    @Test
    void aggregationTimeCountsTheServerStepNotTheWaitForSitesAndLiesWithinTheRound() {
        List<RoundEngineTest.TargetSite> sites = RoundEngineTest.sites();
        sites.forEach(s -> s.sleepMillis = SITE_SLEEP_MS);
        RunResult r;
        try (InProcessSitePool pool = new InProcessSitePool(sites, 3)) {
            r = new RoundEngine(new SlowServerStep(), pool, EngineConfig.of(StoppingRule.rounds(2), 1), null)
                    .run(RoundEngineTest.zero());
        }
        assertEquals(2, r.rounds().size());
        for (RoundRecord round : r.rounds()) {
            long nanos = round.aggregationNanos();
            assertTrue(nanos >= RESULT_SLEEP_MS * 1_000_000, "round " + round.round() + ": result() is counted, got "
                    + nanos + " ns");
            assertTrue(nanos < SITE_SLEEP_MS * 1_000_000, "round " + round.round() + ": the " + SITE_SLEEP_MS
                    + " ms the sites took is not counted, got " + nanos + " ns");
            // durationMillis is truncated to whole milliseconds
            assertTrue(nanos <= (round.durationMillis() + 1) * 1_000_000, "round " + round.round() + ": " + nanos
                    + " ns of aggregation within a round of " + round.durationMillis() + " ms");
            assertEquals(Map.of(), round.traffic(), "in-process sites move no bytes");
        }
    }

    @Test
    void aPlainFedAvgRunRecordsAPositiveAggregationTimeWithinEachRound() {
        RunResult r = RoundEngineTest.run(RoundEngineTest.sites(), RoundEngineTest.fedavg(1),
                EngineConfig.of(StoppingRule.rounds(3), 1), null);
        for (RoundRecord round : r.rounds()) {
            assertTrue(round.aggregationNanos() > 0, "round " + round.round());
            assertTrue(round.aggregationNanos() <= (round.durationMillis() + 1) * 1_000_000, "round " + round.round()
                    + ": " + round.aggregationNanos() + " ns in a round of " + round.durationMillis() + " ms");
        }
    }
}
