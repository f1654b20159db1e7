package org.fedmed.privacy.fedavg;

import org.fedmed.core.ModelParameters;
import org.fedmed.core.filter.ModelFilter;

/**
 * The server step of FedAvg as a filter: {@code previous + lr * (aggregated - previous)}. Placed after the noise
 * filter it scales the noised average, which is post-processing and costs no privacy; lr = 1 leaves it as is.
 */
public final class ServerLearningRate implements ModelFilter {

    private final double learningRate;

    public ServerLearningRate(double learningRate) {
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("server_lr must be a positive finite number, got " + learningRate);
        }
        this.learningRate = learningRate;
    }

    @Override
    public ModelParameters apply(ModelParameters previous, ModelParameters aggregated, int round, int acceptedUpdates) {
        if (learningRate == 1) {
            return aggregated;
        }
        float[] p = previous.flat();
        float[] a = aggregated.flat();
        float[] next = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            next[i] = (float) (p[i] + learningRate * (a[i] - p[i]));
        }
        return ModelParameters.ofFlat(aggregated.layout(), next);
    }
}
