package org.fedmed.ml;

import org.fedmed.core.LocalTerm;

/**
 * One site's SCAFFOLD control variate c_i ({@link LocalTerm.ControlVariates}), kept by the site for its whole life
 * and zero before its first SCAFFOLD fit. It gives the correction {@code c - c_i} a fit adds to every local step's
 * gradient, and after the fit moves c_i by option II of Karimireddy et al. 2020,
 * {@code c_i+ = c_i - c + (x - y) / (K lr)}, computed per coordinate in double precision and rounded once to float;
 * the change {@code Delta c = c_i+ - c_i} (the float difference) is what the site sends back. c_i moves only when
 * {@link #advance} is called, which the site does once its fit has trained successfully.
 *
 * <p>The new c_i is held as pending until a fit of a later round arrives, and only then becomes the value fits start
 * from. A fit of the same round again (the server was killed or stopped during that round and resumed from the
 * round before, so it runs the round again) starts from the c_i the round started from, so a resumed run computes
 * what an uninterrupted one does. {@link #state} and {@link #restore} carry c_i and a pending one, with its round,
 * across a restart of the site. Not thread-safe: the site's fits run one at a time.
 */
public final class SiteControlVariate {

    private float[] value;
    private float[] pending;
    private int pendingRound;

    /** c_i as it stands after the latest fit, a copy: {@code size} zeros before the first fit. */
    public float[] value(int size) {
        if (pending != null) {
            return pending.clone();
        }
        return value == null ? new float[size] : value.clone();
    }

    /** {@code c - c_i} for a fit of {@code round}, per coordinate in double and rounded once. */
    public float[] correction(float[] c, int round) {
        settle(round);
        float[] ci = valueOf(c.length);
        float[] out = new float[c.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) ((double) c[i] - ci[i]);
        }
        return out;
    }

    /**
     * Moves c_i after a fit that trained from {@code x} to {@code y} in {@code steps} local steps at learning rate
     * {@code lr} under server control variate {@code c}, and returns Delta c.
     *
     * @throws IllegalArgumentException if the vectors differ in length, or steps or lr are not positive
     */
    public float[] advance(float[] x, float[] y, float[] c, long steps, double lr, int round) {
        if (x.length != c.length || y.length != c.length) {
            throw new IllegalArgumentException("SCAFFOLD update: x, y and c hold " + x.length + ", " + y.length
                    + " and " + c.length + " values");
        }
        if (steps < 1 || !(lr > 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("SCAFFOLD update needs K >= 1 local steps and lr > 0, got K = "
                    + steps + ", lr = " + lr);
        }
        settle(round);
        float[] ci = valueOf(c.length);
        double scale = 1.0 / (steps * lr);
        float[] delta = new float[c.length];
        float[] next = new float[c.length];
        for (int i = 0; i < c.length; i++) {
            next[i] = (float) ((double) ci[i] - c[i] + ((double) x[i] - y[i]) * scale);
            delta[i] = next[i] - ci[i];
        }
        pending = next;
        pendingRound = round;
        return delta;
    }

    /** Before a fit of {@code round}: a pending c_i of an earlier round becomes the value; one of this round or a later one is dropped. */
    private void settle(int round) {
        if (pending == null) {
            return;
        }
        if (round > pendingRound) {
            value = pending;
        }
        pending = null;
    }

    private float[] valueOf(int size) {
        if (value == null) {
            value = new float[size];
        }
        if (value.length != size) {
            throw new IllegalArgumentException("the site's SCAFFOLD control variate holds " + value.length
                    + " values but the model has " + size);
        }
        return value;
    }

    /** The state's vector of c_i. */
    static final String VALUE = "scaffold.c_i";
    /** The state's vector of a pending c_i, and the value of its round. */
    static final String PENDING = "scaffold.c_i_pending";
    static final String PENDING_ROUND = "scaffold.c_i_pending_round";

    /** c_i and a pending c_i with its round, as {@link #restore} reads them: nothing before the first fit. */
    org.fedmed.core.strategy.StrategyState state() {
        java.util.Map<String, float[]> vectors = new java.util.LinkedHashMap<>();
        java.util.Map<String, String> values = new java.util.LinkedHashMap<>();
        if (value != null) {
            vectors.put(VALUE, value);
        }
        if (pending != null) {
            vectors.put(PENDING, pending);
            values.put(PENDING_ROUND, Integer.toString(pendingRound));
        }
        return new org.fedmed.core.strategy.StrategyState(vectors, values);
    }

    /**
     * Continues from a {@link #state()} of a control variate of {@code size} values.
     *
     * @throws IllegalArgumentException naming the vector, if one has another length or a pending one has no round
     */
    void restore(org.fedmed.core.strategy.StrategyState state, int size) {
        java.util.Map<String, float[]> v = state.vectors();
        for (String name : java.util.List.of(VALUE, PENDING)) {
            if (v.containsKey(name) && v.get(name).length != size) {
                throw new IllegalArgumentException("training state vector '" + name + "' holds " + v.get(name).length
                        + " values but the model has " + size);
            }
        }
        value = v.get(VALUE);
        pending = v.get(PENDING);
        pendingRound = pending == null ? 0 : Math.toIntExact(BatchCursor.number(state.values(), PENDING_ROUND));
    }
}
