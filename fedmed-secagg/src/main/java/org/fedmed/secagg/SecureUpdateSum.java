package org.fedmed.secagg;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fedmed.core.FitResult;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.filter.UpdateFilter;
import org.fedmed.secagg.quant.RingQuantizer;

/**
 * The bridge from the core's fit results to secure aggregation: sums a cohort's model deltas with SecAgg or
 * SecAgg+ in process and returns the sum as {@link ModelParameters}, ready for a strategy or aggregator to
 * turn into a new global model. A site that sent full weights is converted to a delta from the global model.
 *
 * <p>Sites get protocol ids 1..n in the order of their site ids, so the same cohort always gets the same ids.
 * Errors name the site as well as its id.
 */
public final class SecureUpdateSum {

    private static final Pattern CLIENT_ID = Pattern.compile("client (\\d+)");

    private final SecureSumConfig config;
    private final RandomnessSource randomness;

    public SecureUpdateSum(SecureSumConfig config, RandomnessSource randomness) {
        this.config = config;
        this.randomness = randomness;
    }

    /** Whether each delta is weighted by its site's example count (rather than uniformly). */
    public boolean weighsByCount() {
        return config.weighting() != SecureSumConfig.Weighting.UNIFORM;
    }

    /**
     * Sums the cohort's deltas securely.
     *
     * @param updates  one fit result per site of the cohort (at least 3), all in the global model's layout
     * @param global   the model the round started from
     * @param dropouts sites that drop during the protocol, and where (simulation); empty for none
     * @param round    the round number, which names the session
     * @param seed     seeds the neighbour graph and stochastic rounding
     * @throws SecAggAbortedException  if too many sites dropped to unmask the sum (nothing is revealed)
     * @throws IllegalArgumentException if an update has another layout, a site appears twice, or a dropout names an
     *                                  unknown site
     */
    public SecureDeltaSum sum(List<FitResult> updates, ModelParameters global, Map<String, DropPoint> dropouts,
                              int round, long seed) {
        List<FitResult> cohort = new ArrayList<>(updates);
        cohort.sort(Comparator.comparing(FitResult::siteId));
        int n = cohort.size();
        Map<String, Integer> idOf = new HashMap<>();
        List<float[]> deltas = new ArrayList<>(n);
        long[] weights = new long[n];
        long totalWeight = 0;
        for (int i = 0; i < n; i++) {
            FitResult r = cohort.get(i);
            if (idOf.put(r.siteId(), i + 1) != null) {
                throw new IllegalArgumentException("site '" + r.siteId() + "' appears twice in the cohort");
            }
            if (!r.parameters().layout().equals(global.layout())) {
                throw new IllegalArgumentException("site '" + r.siteId() + "': parameter layout "
                        + r.parameters().layout().entries() + " does not match the global model's "
                        + global.layout().entries());
            }
            deltas.add(UpdateFilter.deltaOf(r, global));
            weights[i] = config.weighting() == SecureSumConfig.Weighting.UNIFORM ? 1 : r.numExamples();
            totalWeight += weights[i];
        }
        Map<Integer, DropPoint> drops = new HashMap<>();
        dropouts.forEach((site, point) -> {
            Integer id = idOf.get(site);
            if (id == null) {
                throw new IllegalArgumentException("dropout schedule names site '" + site + "', which is not in the cohort");
            }
            drops.put(id, point);
        });
        SecAggParameters parameters = config.parametersFor(n, global.size());
        RingQuantizer quantizer = new RingQuantizer(config.ringBits(), config.clipBound(), totalWeight,
                config.rounding());
        VectorSumResult result;
        try {
            result = new SecureVectorSum(parameters, quantizer, randomness)
                    .sum(deltas, weights, new DropoutSchedule(drops), "round-" + round, seed);
        } catch (SecAggAbortedException e) {
            throw new SecAggAbortedException(withSiteNames(e.reason(), cohort), e.client().orElse(0), e.survivors(),
                    e.threshold(), e);
        } catch (SecAggProtocolException e) {
            throw new SecAggProtocolException(withSiteNames(e.getMessage(), cohort), e.client().orElse(0), e);
        }
        return new SecureDeltaSum(ModelParameters.ofFlat(global.layout(), result.weightedSum()), result.totalWeight(),
                sitesOf(result.included(), cohort), sitesOf(result.dropped(), cohort), result.errorBound());
    }

    private static List<String> sitesOf(int[] ids, List<FitResult> cohort) {
        List<String> out = new ArrayList<>(ids.length);
        for (int id : ids) {
            out.add(cohort.get(id - 1).siteId());
        }
        return out;
    }

    /** Adds the site id after each "client k" in a message. */
    private static String withSiteNames(String message, List<FitResult> cohort) {
        Matcher m = CLIENT_ID.matcher(message);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            int id = Integer.parseInt(m.group(1));
            String label = id >= 1 && id <= cohort.size()
                    ? "client " + id + " (site '" + cohort.get(id - 1).siteId() + "')"
                    : m.group();
            m.appendReplacement(out, Matcher.quoteReplacement(label));
        }
        m.appendTail(out);
        return out.toString();
    }
}
