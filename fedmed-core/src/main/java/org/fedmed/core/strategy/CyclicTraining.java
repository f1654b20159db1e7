package org.fedmed.core.strategy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.fedmed.core.FitTask;
import org.fedmed.core.Seeds;

/**
 * Cyclic (sequential) training, as FLamby's {@code Cyclic} strategy: one site trains per round, starting from the
 * model the previous site left, and the sites take their turns in passes; each pass visits every available site once
 * in an order shuffled afresh from the run seed and the pass number (stream {@link Seeds.Stream#CYCLIC_ORDER}). The
 * round's model is the one site's result, taken through the wrapped strategy's aggregation (a weighted mean of one
 * update is that update), and evaluation is the wrapped strategy's. The order depends only on the seed, the round
 * and the available sites, so a resumed run visits the sites as an uninterrupted one does; when sites come and go,
 * each round reads its turn from the sites available then.
 */
public final class CyclicTraining extends ForwardingStrategy {

    /** The config and wire name of this strategy. */
    public static final String NAME = "cyclic";

    private final FederatedAveraging base;

    /** @param base the strategy whose fit config, aggregation and evaluation each turn uses */
    public CyclicTraining(FederatedAveraging base) {
        super(base);
        this.base = base;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The one site whose turn it is, with the fit task the base strategy would give it. */
    @Override
    public List<FitTask> configureFit(RoundContext c) {
        String site = turn(c.availableSites(), c.seed(), c.round());
        return base.configureFit(new RoundContext(c.round(), c.global(), List.of(site), c.seed(), c.influence()));
    }

    @Override
    public int fitResultsWanted(RoundContext context, int selected) {
        return selected;
    }

    @Override
    public int minFitSites() {
        return 1;
    }

    /** The site that trains in {@code round}: position (round - 1) mod n of its pass's shuffled order. */
    public static String turn(List<String> available, long seed, int round) {
        if (available.isEmpty()) {
            throw new IllegalStateException("round " + round + ": no site is available for its turn");
        }
        List<String> order = new ArrayList<>(available);
        Collections.sort(order);
        int n = order.size();
        int pass = (round - 1) / n + 1;
        Collections.shuffle(order, new Random(Seeds.ofRound(seed, Seeds.Stream.CYCLIC_ORDER, pass)));
        return order.get((round - 1) % n);
    }
}
