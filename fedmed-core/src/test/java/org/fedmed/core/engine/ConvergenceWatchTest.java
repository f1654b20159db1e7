package org.fedmed.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The convergence check, fed a round at a time: it fires once the last {@code patience} losses all miss the best
 * loss before them by {@code minDelta}, needs a loss before them, skips rounds without the loss or with NaN, and never
 * fires at patience 0.
 */
class ConvergenceWatchTest {

    private static RoundRecord round(int round, Double loss) {
        Map<String, Double> eval = loss == null ? Map.of() : Map.of("log_loss", loss);
        return new RoundRecord(round, List.of("a"), List.of("a"), List.of(), true, Map.of(), eval, Map.of(), 1,
                Map.of(), Map.of(), 0, Map.of());
    }

    /** Whether the watch said "converged" after each of {@code losses}. */
    private static List<Boolean> verdicts(StoppingRule rule, Double... losses) {
        ConvergenceWatch watch = new ConvergenceWatch(rule, "log_loss");
        List<Boolean> out = new ArrayList<>();
        for (int i = 0; i < losses.length; i++) {
            out.add(watch.add(round(i + 1, losses[i])));
        }
        return out;
    }

    @Test
    void firesOnceTheLastPatienceLossesMissTheBestBeforeThemByMinDelta() {
        // best before the last two is 0.9; 0.895 and 0.899 do not beat 0.9 - 0.01
        assertEquals(List.of(false, false, false, true),
                verdicts(new StoppingRule(100, 2, 0.01), 1.0, 0.9, 0.895, 0.899));
        // 0.88 beats 0.9 - 0.01, so the window holding it does not fire; once it is the best before, 0.885 and 0.875
        // miss 0.88 - 0.01
        assertEquals(List.of(false, false, false, false, true, true),
                verdicts(new StoppingRule(100, 2, 0.01), 1.0, 0.9, 0.88, 0.885, 0.875, 0.872));
    }

    @Test
    void needsALossBeforeTheWindowAndSkipsRoundsWithoutOne() {
        assertEquals(List.of(false, false), verdicts(new StoppingRule(100, 2, 0.0), 1.0, 1.0));
        assertEquals(List.of(false, false, false, false, true),
                verdicts(new StoppingRule(100, 2, 0.0), 1.0, null, Double.NaN, 1.0, 1.0));
    }

    /** The rule over the whole list of losses so far, recomputed every round. */
    private static boolean convergedOverAll(StoppingRule rule, List<Double> losses) {
        List<Double> seen = losses.stream().filter(v -> v != null && !v.isNaN()).toList();
        if (rule.patience() == 0 || seen.size() <= rule.patience()) {
            return false;
        }
        double best = seen.subList(0, seen.size() - rule.patience()).stream().min(Double::compare).orElseThrow();
        return seen.subList(seen.size() - rule.patience(), seen.size()).stream()
                .noneMatch(v -> v < best - rule.minDelta());
    }

    @Test
    void agreesWithTheRuleRecomputedOverEveryLossSoFar() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(7);
        for (int trial = 0; trial < 300; trial++) {
            StoppingRule rule = new StoppingRule(1000, rng.nextInt(5), rng.nextInt(3) * 0.01);
            ConvergenceWatch watch = new ConvergenceWatch(rule, "log_loss");
            List<Double> losses = new ArrayList<>();
            double level = 1.0;
            for (int r = 1; r <= 40; r++) {
                level -= rng.nextDouble() * 0.03 - 0.005;
                Double loss = switch (rng.nextInt(12)) {
                    case 0 -> null;
                    case 1 -> Double.NaN;
                    default -> level;
                };
                losses.add(loss);
                assertEquals(convergedOverAll(rule, losses), watch.add(round(r, loss)),
                        "trial " + trial + ", round " + r + ", " + rule);
            }
        }
    }

    @Test
    void patienceZeroNeverFires() {
        assertEquals(List.of(false, false, false, false), verdicts(StoppingRule.rounds(100), 1.0, 1.0, 1.0, 1.0));
    }
}
