package org.fedmed.core.strategy.robust;

import java.util.List;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.strategy.Aggregator;
import org.fedmed.core.strategy.UpdateIntake;

/**
 * The server's rule for combining a round's updates into one model, chosen in a plan by {@code aggregation.rule}.
 * Each rule validates its own fields and names the config key of a bad one. {@link Mean} is the example-weighted
 * mean that the strategy's own streaming aggregator computes; the others are robust to a minority of faulty or
 * hostile updates and give their aggregator through {@link #newAggregator(UpdateIntake)}.
 *
 * <p>Conventions shared by the robust rules, compared with Flower's {@code aggregate_median},
 * {@code aggregate_trimmed_avg} and {@code aggregate_krum}:
 * <ul>
 *   <li>No robust rule weighs a site by its claimed example count: a count is the site's own claim, and a rule
 *       meant to withstand a lying site must not let one claim outweigh the others. Flower's median, trimmed mean
 *       and Krum ignore counts too; Flower's Multi-Krum averages its chosen updates weighted by count, which this
 *       package does not follow (see {@link MultiKrum}).</li>
 *   <li>Every update is taken as full weights (global + delta for a site that sent a delta), so sites that send
 *       weights and sites that send deltas mix in one round.</li>
 *   <li>The same set of updates in any arrival order gives a bit-identical result: updates are ordered by site id
 *       before anything order-dependent (sums, Krum's ties).</li>
 *   <li>Every robust aggregator holds all N updates of the round: memory O(N·P).</li>
 * </ul>
 */
public sealed interface AggregationRule {

    /** The names {@code aggregation.rule} accepts, in the order the documentation lists them. */
    List<String> CONFIG_NAMES = List.of("mean", "median", "trimmed_mean", "krum", "multi_krum");

    /** The rule's name in configs and reports. */
    String configName();

    /**
     * The fewest updates a round needs for this rule to combine them; with fewer, the aggregator's
     * {@link Aggregator#result()} refuses. A plan can check its {@code min_fit_sites} against it up front.
     */
    int minUpdates();

    /**
     * A fresh aggregator for one round of this rule, over the updates {@code intake} admits (its global model,
     * round and norm bound). Its result is the combined model as full weights, before any server step.
     *
     * @throws UnsupportedOperationException for {@link Mean}, whose aggregator is the strategy's own weighted mean
     */
    Aggregator newAggregator(UpdateIntake intake);

    /** As {@link #newAggregator(UpdateIntake)}, over updates to {@code global} for {@code round}, without a norm bound. */
    default Aggregator newAggregator(ModelParameters global, int round) {
        return newAggregator(new UpdateIntake(global, round));
    }

    /**
     * The example-weighted mean (FedAvg's rule), computed by the strategy's streaming
     * {@link org.fedmed.core.strategy.WeightedMeanAggregator} in O(P) memory. It has no aggregator here:
     * {@link #newAggregator} throws, so that a caller cannot lose the strategy's weighting and influence bound by
     * taking a second, different mean.
     */
    record Mean() implements AggregationRule {
        @Override
        public String configName() {
            return "mean";
        }

        @Override
        public int minUpdates() {
            return 1;
        }

        @Override
        public Aggregator newAggregator(UpdateIntake intake) {
            throw new UnsupportedOperationException("aggregation.rule 'mean' is the strategy's own weighted mean "
                    + "(WeightedMeanAggregator); it has no robust aggregator");
        }
    }

    /**
     * Coordinate-wise median (Yin et al. 2018, "Byzantine-robust distributed learning: towards optimal statistical
     * rates"): each parameter of the result is the median of that parameter over the round's updates; for an even
     * number of updates, the mean of the two middle values (as numpy's {@code median}, which Flower's
     * {@code aggregate_median} uses). Unweighted. Time O(P·N log N).
     */
    record Median() implements AggregationRule {
        @Override
        public String configName() {
            return "median";
        }

        @Override
        public int minUpdates() {
            return 1;
        }

        @Override
        public Aggregator newAggregator(UpdateIntake intake) {
            return new CoordinateMedianAggregator(intake);
        }
    }

    /**
     * Coordinate-wise trimmed mean (Yin et al. 2018): for each parameter, the k largest and k smallest values over
     * the round's N updates are dropped and the rest averaged, unweighted, with k = floor(beta·N) as in scipy's
     * {@code trim_mean} and Flower's {@code aggregate_trimmed_avg} (the product gets a slack of 1e-9 so that a
     * beta written in decimal, 0.29 of 100, drops 29 and not 28). Because beta &lt; 0.5, at least one value always
     * stays; beta = 0 is the plain unweighted mean. Time O(P·N log N).
     *
     * @param beta the fraction dropped from each end, in [0, 0.5) ({@code aggregation.trim})
     */
    record TrimmedMean(double beta) implements AggregationRule {
        public TrimmedMean {
            if (!(beta >= 0 && beta < 0.5)) {
                throw new IllegalArgumentException("aggregation.trim must be in [0, 0.5), got " + beta);
            }
        }

        /** How many values are dropped from each end of N. */
        public int trimmed(int n) {
            return (int) Math.floor(beta * n + 1e-9);
        }

        @Override
        public String configName() {
            return "trimmed_mean";
        }

        @Override
        public int minUpdates() {
            return 1;
        }

        @Override
        public Aggregator newAggregator(UpdateIntake intake) {
            return new TrimmedMeanAggregator(intake, this);
        }
    }

    /**
     * Krum (Blanchard et al. 2017, "Machine learning with adversaries: Byzantine tolerant gradient descent"): each
     * update's score is the sum of its squared L2 distances to its N - f - 2 nearest other updates, and the update
     * with the lowest score is the result, unchanged. Needs N &gt; 2f + 2 (the paper's condition; Flower does not
     * check it); with fewer updates the aggregator's result refuses, naming N and f. Ties go to the lowest site id.
     * Time O(N²·P).
     *
     * @param byzantine f, the number of faulty updates to withstand, &gt;= 0 ({@code aggregation.byzantine})
     */
    record Krum(int byzantine) implements AggregationRule {
        public Krum {
            if (byzantine < 0) {
                throw new IllegalArgumentException("aggregation.byzantine must be >= 0, got " + byzantine);
            }
        }

        @Override
        public String configName() {
            return "krum";
        }

        @Override
        public int minUpdates() {
            return 2 * byzantine + 3;
        }

        @Override
        public Aggregator newAggregator(UpdateIntake intake) {
            return new KrumAggregator(intake, byzantine, 1);
        }
    }

    /**
     * Multi-Krum: m updates are chosen by Krum, one at a time, each time removing the chosen update and scoring the
     * rest among themselves again (the iterated selection that Bulyan, El Mhamdi et al. 2018, builds on; Blanchard
     * et al. and Flower keep the m best scores of a single scoring instead, so that a chosen update's neighbours
     * still count in the scores of the rest). Their unweighted mean is the result, as in Blanchard et al.'s
     * definition (Flower weighs the mean by claimed example count, which would hand a chosen site that inflates
     * its count the whole mean). As the set shrinks, a score sums over max(1, r - f - 2)
     * neighbours of the r updates left. Needs N &gt; 2f + 2 and m &lt;= N - f (more would take in a faulty update
     * whenever f are present); the aggregator's result refuses otherwise, naming N, f and m. With m = 1 it is
     * Krum. Time O(N²·P).
     *
     * @param byzantine f, the number of faulty updates to withstand, &gt;= 0 ({@code aggregation.byzantine})
     * @param selected  m, the number of updates averaged, &gt;= 1 ({@code aggregation.selected})
     */
    record MultiKrum(int byzantine, int selected) implements AggregationRule {
        public MultiKrum {
            if (byzantine < 0) {
                throw new IllegalArgumentException("aggregation.byzantine must be >= 0, got " + byzantine);
            }
            if (selected < 1) {
                throw new IllegalArgumentException("aggregation.selected must be >= 1, got " + selected);
            }
        }

        @Override
        public String configName() {
            return "multi_krum";
        }

        @Override
        public int minUpdates() {
            return Math.max(2 * byzantine + 3, selected + byzantine);
        }

        @Override
        public Aggregator newAggregator(UpdateIntake intake) {
            return new KrumAggregator(intake, byzantine, selected);
        }
    }
}
