package org.fedmed.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.List;
import org.fedmed.core.FitConfig;
import org.fedmed.core.LabeledData;
import org.fedmed.core.LocalWork;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.strategy.FederatedAveraging;
import org.fedmed.core.strategy.ServerOptimizerSettings;
import org.fedmed.core.strategy.SiteSelection;
import org.fedmed.core.strategy.SiteWeighting;
import org.fedmed.core.strategy.Strategy;
import org.fedmed.core.strategy.StrategyState;
import org.fedmed.core.strategy.Scaffold;
import org.junit.jupiter.api.Test;

/**
 * A server killed during round 4 resumes from round 3 and asks the sites for round 4 again; the sites already trained
 * it once. They start the round again from where it started (their batch order for local steps, their SCAFFOLD
 * control variate), so the run ends where an uninterrupted one ends, bit for bit.
 */
class RoundRerunTest {

    static final List<LabeledData> DATA = List.of(SyntheticData.blobs(40, 4, 2, 1), SyntheticData.blobs(55, 4, 2, 2),
            SyntheticData.blobs(30, 4, 2, 3));
    static final Model MODEL = Models.build(ModelSpec.logistic(), 4, 2);

    interface StrategyMaker {
        Strategy make();
    }

    static ModelParameters[] killedInRoundFourAndResumed(StrategyMaker maker) throws Exception {
        List<TrainingSiteClient> sites = ScaffoldTest.sites(MODEL, DATA);
        Strategy first = maker.make();
        ModelParameters x = MODEL.init(5);
        for (int r = 1; r <= 3; r++) {
            x = ScaffoldTest.round(first, r, x, sites, 99);
        }
        StrategyState afterThree = first.state();
        ScaffoldTest.round(first, 4, x, sites, 99); // trained at the sites, never recorded: the server died
        Strategy resumed = maker.make();
        resumed.restore(afterThree);
        for (int r = 4; r <= 6; r++) {
            x = ScaffoldTest.round(resumed, r, x, sites, 99);
        }
        List<TrainingSiteClient> fresh = ScaffoldTest.sites(MODEL, DATA);
        Strategy whole = maker.make();
        ModelParameters y = MODEL.init(5);
        for (int r = 1; r <= 6; r++) {
            y = ScaffoldTest.round(whole, r, y, fresh, 99);
        }
        return new ModelParameters[]{y, x};
    }

    static Strategy fedAvgWithSteps() {
        return new FederatedAveraging("fedavg", SiteWeighting.SAMPLE_COUNT, SiteSelection.all(3),
                new FitConfig(LocalWork.steps(7), 8, 0.1, false, 3), ServerOptimizerSettings.sgd(1), 0);
    }

    @Test
    void aLocalStepsRoundRunAgainTakesTheBatchesItTookTheFirstTime() throws Exception {
        ModelParameters[] r = killedInRoundFourAndResumed(RoundRerunTest::fedAvgWithSteps);
        assertArrayEquals(r[0].flat(), r[1].flat());
    }

    @Test
    void aScaffoldRoundRunAgainStartsFromTheControlVariatesTheRoundStartedWith() throws Exception {
        StrategyMaker scaffold = () -> ScaffoldTest.scaffold(SiteSelection.count(2, 2), 0.7, LocalWork.steps(5), 8,
                0.1, 3);
        ModelParameters[] r = killedInRoundFourAndResumed(scaffold);
        assertArrayEquals(r[0].flat(), r[1].flat());
        assertEquals(Scaffold.class, scaffold.make().getClass());
    }

    @Test
    void aBatchCursorRewoundToAMarkRepeatsTheSameBatches() {
        BatchCursor c = new BatchCursor();
        c.start(10, 42);
        for (int i = 0; i < 5; i++) {
            c.advance(4);
        }
        BatchCursor.Mark mark = c.mark();
        int[] first = batches(c, 6);
        c.rewind(mark);
        assertArrayEquals(first, batches(c, 6));
        BatchCursor straight = new BatchCursor();
        straight.start(10, 42);
        for (int i = 0; i < 5; i++) {
            straight.advance(4);
        }
        assertArrayEquals(first, batches(straight, 6), "a rewound cursor continues as one that never moved on");
        assertFalse(Arrays.equals(first, batches(straight, 6)), "and the batches after differ from these");
    }

    private static int[] batches(BatchCursor c, int steps) {
        int[] rows = new int[steps * 4];
        Arrays.fill(rows, -1);
        int k = 0;
        for (int s = 0; s < steps; s++) {
            int n = c.advance(4);
            for (int i = 0; i < n; i++) {
                rows[k++] = c.order()[c.batchStart() + i];
            }
            k = (s + 1) * 4;
        }
        return rows;
    }
}
