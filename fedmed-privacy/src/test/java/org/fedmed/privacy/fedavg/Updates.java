package org.fedmed.privacy.fedavg;

import java.util.List;
import java.util.Map;
import org.fedmed.core.FitResult;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.Tensor;

/** Small models and site updates for the DP-FedAvg tests. */
final class Updates {

    private Updates() {
    }

    static ModelParameters model(float... values) {
        return ModelParameters.of(List.of(new Tensor("w", new int[]{values.length}, values)));
    }

    static ModelParameters zeros(int n) {
        return model(new float[n]);
    }

    static FitResult delta(String site, int round, float... values) {
        return new FitResult(site, "r" + round + "-fit-" + site, model(values), true, 10, 1.0, Map.of());
    }

    static FitResult weights(String site, int round, float... values) {
        return new FitResult(site, "r" + round + "-fit-" + site, model(values), false, 10, 1.0, Map.of());
    }
}
