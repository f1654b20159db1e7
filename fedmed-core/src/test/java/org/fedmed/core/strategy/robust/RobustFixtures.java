package org.fedmed.core.strategy.robust;

import java.util.List;
import java.util.Map;
import org.fedmed.core.FitResult;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.Tensor;

/** Tiny models and round-1 updates for the robust aggregation tests. */
final class RobustFixtures {
    private RobustFixtures() {
    }

    static ModelParameters params(float... v) {
        return ModelParameters.of(List.of(new Tensor("w", new int[]{v.length}, v)));
    }

    static FitResult weights(String site, float... v) {
        return new FitResult(site, "r1-fit-" + site, params(v), false, 10, 1.0, Map.of());
    }

    static FitResult claiming(String site, long examples, float... v) {
        return new FitResult(site, "r1-fit-" + site, params(v), false, examples, 1.0, Map.of());
    }

    static FitResult delta(String site, float... v) {
        return new FitResult(site, "r1-fit-" + site, params(v), true, 10, 1.0, Map.of());
    }

    /**
     * Five updates of three parameters around global (1, 2, 3): a = (1, 2, 3), b = (2, 2, 3), c = (1, 3, 3),
     * d = (1, 2, 5) sent as the delta (0, 0, 2), and the outlier e = (11, 12, 13) sent as the delta (10, 10, 10).
     * Squared distances: ab 1, ac 1, ad 4, bc 2, bd 5, cd 5, ae 300, be 281, ce 281, de 264.
     */
    static final ModelParameters GLOBAL = params(1, 2, 3);

    static List<FitResult> fiveAroundTheGlobal() {
        return List.of(weights("a", 1, 2, 3), weights("b", 2, 2, 3), weights("c", 1, 3, 3),
                delta("d", 0, 0, 2), delta("e", 10, 10, 10));
    }
}
