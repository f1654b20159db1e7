package org.fedmed.core.strategy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.Tensor;
import org.junit.jupiter.api.Test;

class CyclicTrainingTest {

    static final List<String> SITES = List.of("d", "a", "c", "b");

    static CyclicTraining cyclic() {
        return new CyclicTraining(new FederatedAveraging(SiteWeighting.SAMPLE_COUNT, SiteSelection.all(1),
                new FitConfig(1, 8, 0.1, false, 0), 1.0));
    }

    static ModelParameters model(float v) {
        return ModelParameters.of(List.of(new Tensor("w", new int[]{2}, new float[]{v, -v})));
    }

    @Test
    void eachPassVisitsEverySiteOnceInAnOrderShuffledPerPass() {
        CyclicTraining s = cyclic();
        List<String> visits = new java.util.ArrayList<>();
        for (int round = 1; round <= 12; round++) {
            List<FitTask> tasks = s.configureFit(new RoundContext(round, model(0), SITES, 7));
            assertEquals(1, tasks.size(), "one site trains per round");
            visits.add(tasks.getFirst().siteId());
        }
        for (int pass = 0; pass < 3; pass++) {
            Set<String> seen = new HashSet<>(visits.subList(4 * pass, 4 * pass + 4));
            assertEquals(Set.copyOf(SITES), seen, "pass " + (pass + 1) + " visits every site once: " + visits);
        }
        assertNotEquals(visits.subList(0, 4), visits.subList(4, 8), "passes are shuffled afresh: " + visits);
        assertEquals(visits, java.util.stream.IntStream.rangeClosed(1, 12)
                .mapToObj(r -> CyclicTraining.turn(List.of("a", "b", "c", "d"), 7, r)).toList(),
                "the turn depends only on the seed, the round and the set of sites, not their listed order");
    }

    @Test
    void theRoundsModelIsTheOneSitesResult() throws Exception {
        CyclicTraining s = cyclic();
        RoundContext c = new RoundContext(3, model(1), SITES, 7);
        FitTask task = s.configureFit(c).getFirst();
        Aggregator agg = s.newAggregator(c);
        agg.accept(new FitResult(task.siteId(), task.taskId(), model(5), false, 40, 1.0, Map.of()));
        assertArrayEquals(new float[]{5, -5}, agg.result().flat());
        assertEquals("cyclic", s.name());
        assertEquals(1, s.minFitSites());
    }
}
