package org.fedmed.core.strategy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.fedmed.core.ModelParameters;

/**
 * The one server step of every strategy: it turns a round's aggregate (a weighted mean, a median, a secure sum
 * divided by its weight) into the next global model by the rule of its {@link ServerOptimizerSettings}, keeping
 * the rule's moments from round to round. Moments are float vectors updated coordinate by coordinate in double
 * precision and rounded once, so the same aggregates in the same order give bit-identical models, and a run
 * restored from {@link #state()} continues exactly as if it had never stopped. Not thread-safe: one strategy
 * calls it once per completed round.
 */
public final class ServerOptimizer {

    /** The prefix of every name in an optimizer's {@link #state()}. */
    public static final String STATE_PREFIX = "server_optimizer.";

    private static final String M = STATE_PREFIX + "m";
    private static final String V = STATE_PREFIX + "v";
    private static final String STEPS = STATE_PREFIX + "steps";

    private final ServerOptimizerSettings settings;
    private float[] m;
    private float[] v;
    private long steps;

    ServerOptimizer(ServerOptimizerSettings settings) {
        this.settings = settings;
    }

    public ServerOptimizerSettings settings() {
        return settings;
    }

    /** How many steps this optimizer has taken (rounds completed). */
    public long steps() {
        return steps;
    }

    /**
     * The next global model from the round's {@code global} model and its {@code aggregate}. SGD at learning rate 1
     * returns {@code aggregate} itself.
     *
     * @throws IllegalArgumentException if the two have different layouts
     */
    public ModelParameters step(ModelParameters global, ModelParameters aggregate) {
        if (!global.layout().equals(aggregate.layout())) {
            throw new IllegalArgumentException("server step: the aggregate's layout " + aggregate.layout().entries()
                    + " is not the global model's " + global.layout().entries());
        }
        steps++;
        if (settings.isIdentity()) {
            return aggregate;
        }
        float[] x = global.flat();
        float[] a = aggregate.flat();
        float[] next = new float[x.length];
        double lr = settings.learningRate();
        switch (settings.kind()) {
            case SGD -> {
                for (int i = 0; i < x.length; i++) {
                    next[i] = (float) (x[i] + lr * ((double) a[i] - x[i]));
                }
            }
            case MOMENTUM -> {
                float[] mom = moments(x.length);
                double beta = settings.momentum();
                for (int i = 0; i < x.length; i++) {
                    mom[i] = (float) (beta * mom[i] + ((double) a[i] - x[i]));
                    next[i] = (float) (x[i] + lr * mom[i]);
                }
            }
            case ADAM, YOGI, ADAGRAD -> adaptive(x, a, next);
        }
        return ModelParameters.ofFlat(global.layout(), next);
    }

    private void adaptive(float[] x, float[] a, float[] next) {
        double tau = settings.tau();
        float[] first = moments(x.length);
        if (v == null) {
            v = new float[x.length];
            java.util.Arrays.fill(v, (float) (tau * tau));
        }
        checkSize(v, x.length);
        double b1 = settings.beta1();
        double b2 = settings.beta2();
        double lr = settings.learningRate();
        ServerOptimizerSettings.Kind kind = settings.kind();
        for (int i = 0; i < x.length; i++) {
            double d = (double) a[i] - x[i];
            double d2 = d * d;
            first[i] = (float) (b1 * first[i] + (1 - b1) * d);
            double vi = v[i];
            v[i] = (float) switch (kind) {
                case ADAM -> b2 * vi + (1 - b2) * d2;
                case YOGI -> vi - (1 - b2) * d2 * Math.signum(vi - d2);
                default -> vi + d2;
            };
            next[i] = (float) (x[i] + lr * first[i] / (Math.sqrt(v[i]) + tau));
        }
    }

    private float[] moments(int size) {
        if (m == null) {
            m = new float[size];
        }
        checkSize(m, size);
        return m;
    }

    private static void checkSize(float[] moment, int size) {
        if (moment.length != size) {
            throw new IllegalArgumentException("server optimizer state holds " + moment.length
                    + " values but the model has " + size);
        }
    }

    /**
     * The moments and step count, for a checkpoint; empty vectors are left out, and plain FedAvg's identity step,
     * which keeps nothing, has the empty state.
     */
    public StrategyState state() {
        if (settings.isIdentity()) {
            return StrategyState.EMPTY;
        }
        Map<String, float[]> vectors = new LinkedHashMap<>();
        if (m != null) {
            vectors.put(M, m.clone());
        }
        if (v != null) {
            vectors.put(V, v.clone());
        }
        return new StrategyState(vectors, Map.of(STEPS, Long.toString(steps)));
    }

    /**
     * Continues from a {@link #state()} taken earlier by an optimizer with the same settings.
     *
     * @throws IllegalArgumentException if the state holds no step count or a malformed one
     */
    public void restore(StrategyState state) {
        if (settings.isIdentity() && state.isEmpty()) {
            return;
        }
        String count = state.values().get(STEPS);
        if (count == null) {
            throw new IllegalArgumentException("strategy state has no '" + STEPS + "': it was not written by a"
                    + " server optimizer");
        }
        try {
            steps = Long.parseLong(count);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("strategy state '" + STEPS + "' is not a count: '" + count + "'");
        }
        float[] savedM = state.vectors().get(M);
        float[] savedV = state.vectors().get(V);
        m = savedM == null ? null : savedM.clone();
        v = savedV == null ? null : savedV.clone();
    }
}
