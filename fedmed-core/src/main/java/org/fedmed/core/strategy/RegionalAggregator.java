package org.fedmed.core.strategy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.fedmed.core.FitResult;
import org.fedmed.core.ModelParameters;

/**
 * Two-tier aggregation: each update goes to its site's region, where a regional aggregator (a weighted mean, as the
 * flat round would use) folds it; at {@link #result()} the server combines the regional means, each weighted by its
 * region's total weight {@code W_r = sum of a_k over the region's updates} (the same weighting rule, {@code a_k},
 * that the flat mean uses). Since {@code sum_r W_r mean_r / sum_r W_r = sum_k a_k x_k / sum_k a_k}, the result
 * equals the flat weighted mean up to float rounding: each regional mean is rounded to float once, and the
 * combination is summed in double, in region-id order, then rounded once more.
 *
 * <p>Memory is O(R·P) for R regions that have updates in the round: one regional aggregator each (created on a
 * region's first update), and one double vector of P for the combination; nothing per site but its weight and
 * region (for the round's cohort, to take a refused update's weight back out).
 *
 * <p>What the regional aggregators refuse is refused here, in their words: {@link #close()} returns every late
 * refusal of every region, and a region's weight then leaves out the refused update. Weight caps (a largest site
 * share below 1) are a bound over the whole round that no region can apply alone, so the regional aggregators
 * must cap nothing. This is the tier a deployment's regional relay would run (docs/scale.md); here both tiers run
 * in the server.
 */
public final class RegionalAggregator implements Aggregator {

    private final Function<String, String> regionOf;
    private final Supplier<Aggregator> newRegional;
    private final ToDoubleFunction<FitResult> weighting;
    private final ModelParameters global;
    private final Map<String, Aggregator> regions = new TreeMap<>();
    private final Map<String, Double> regionWeights = new HashMap<>();
    private final Map<String, Double> siteWeights = new HashMap<>();
    private final Map<String, String> siteRegions = new HashMap<>();
    private final List<UpdateRejectedException> late = new ArrayList<>();
    private boolean closed;

    /**
     * @param regionOf    the region id of a site id (never null for a site of the round)
     * @param newRegional a fresh regional aggregator: a weighted mean at server learning rate 1 with no weight cap,
     *                    admitting through the round's one intake
     * @param weighting   the weight a_k of an update, the one the regional aggregators use
     * @param global      the model the round started from (for its layout)
     */
    public RegionalAggregator(Function<String, String> regionOf, Supplier<Aggregator> newRegional,
                              ToDoubleFunction<FitResult> weighting, ModelParameters global) {
        this.regionOf = Objects.requireNonNull(regionOf, "regionOf");
        this.newRegional = Objects.requireNonNull(newRegional, "newRegional");
        this.weighting = Objects.requireNonNull(weighting, "weighting");
        this.global = Objects.requireNonNull(global, "global");
    }

    @Override
    public void accept(FitResult update) throws UpdateRejectedException {
        if (closed) {
            throw new IllegalStateException("aggregator already closed its intake");
        }
        String region = regionOf.apply(update.siteId());
        if (region == null || region.isBlank()) {
            throw new UpdateRejectedException(update.siteId(), "the site has no region");
        }
        Aggregator r = regions.computeIfAbsent(region, k -> newRegional.get());
        r.accept(update);
        double a = weighting.applyAsDouble(update);
        regionWeights.merge(region, a, Double::sum);
        siteWeights.put(update.siteId(), a);
        siteRegions.put(update.siteId(), region);
    }

    @Override
    public int accepted() {
        int n = 0;
        for (Aggregator r : regions.values()) {
            n += r.accepted();
        }
        return n;
    }

    @Override
    public List<UpdateRejectedException> close() {
        if (!closed) {
            closed = true;
            for (Aggregator r : regions.values()) {
                for (UpdateRejectedException e : r.close()) {
                    if (late.stream().noneMatch(x -> x == e)) {
                        late.add(e);
                    }
                }
            }
            for (UpdateRejectedException e : late) {
                String region = siteRegions.get(e.siteId());
                Double a = siteWeights.remove(e.siteId());
                if (region != null && a != null) {
                    regionWeights.merge(region, -a, Double::sum);
                }
            }
        }
        return List.copyOf(late);
    }

    @Override
    public List<UpdateRejectedException> refusedLate() {
        List<UpdateRejectedException> out = new ArrayList<>(late);
        if (!closed) {
            for (Aggregator r : regions.values()) {
                out.addAll(r.refusedLate());
            }
        }
        return out;
    }

    @Override
    public Set<String> unsettled() {
        Set<String> out = new LinkedHashSet<>();
        for (Aggregator r : regions.values()) {
            out.addAll(r.unsettled());
        }
        return out;
    }

    /** The regions that took updates this round, each with its total weight W_r, in region-id order. */
    public Map<String, Double> regionWeights() {
        Map<String, Double> out = new TreeMap<>();
        for (String r : regions.keySet()) {
            out.put(r, regionWeights.getOrDefault(r, 0.0));
        }
        return out;
    }

    @Override
    public ModelParameters result() {
        close();
        double total = 0;
        double[] acc = new double[global.size()];
        for (Map.Entry<String, Aggregator> e : regions.entrySet()) {
            double w = regionWeights.getOrDefault(e.getKey(), 0.0);
            if (!(w > 0)) {
                continue;
            }
            float[] mean = e.getValue().result().flat();
            for (int i = 0; i < acc.length; i++) {
                acc[i] += w * mean[i];
            }
            total += w;
        }
        if (!(total > 0)) {
            throw new IllegalStateException("no update with positive weight was aggregated");
        }
        float[] out = new float[acc.length];
        for (int i = 0; i < acc.length; i++) {
            out[i] = (float) (acc[i] / total);
        }
        return ModelParameters.ofFlat(global.layout(), out);
    }
}
