package org.fedmed.ml;

import org.fedmed.core.LocalTerm;

/**
 * One site's SCAFFOLD control variate c_i ({@link LocalTerm.ControlVariates}), kept by the site for its whole life
 * and zero before its first SCAFFOLD fit. It gives the correction {@code c - c_i} a fit adds to every local step's
 * gradient, and after the fit moves c_i by option II of Karimireddy et al. 2020,
 * {@code c_i+ = c_i - c + (x - y) / (K lr)}, computed per coordinate in double precision and rounded once to float;
 * the change {@code Delta c = c_i+ - c_i} (the float difference) is what the site sends back. c_i moves only when
 * {@link #advance} is called, which the site does once its fit has trained successfully. Not thread-safe: the site's
 * fits run one at a time.
 */
public final class SiteControlVariate {

    private float[] value;

    /** c_i as it stands, a copy: {@code size} zeros before the first fit. */
    public float[] value(int size) {
        return value == null ? new float[size] : value.clone();
    }

    /** {@code c - c_i}, per coordinate in double and rounded once. */
    public float[] correction(float[] c) {
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
    public float[] advance(float[] x, float[] y, float[] c, long steps, double lr) {
        if (x.length != c.length || y.length != c.length) {
            throw new IllegalArgumentException("SCAFFOLD update: x, y and c hold " + x.length + ", " + y.length
                    + " and " + c.length + " values");
        }
        if (steps < 1 || !(lr > 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("SCAFFOLD update needs K >= 1 local steps and lr > 0, got K = "
                    + steps + ", lr = " + lr);
        }
        float[] ci = valueOf(c.length);
        double scale = 1.0 / (steps * lr);
        float[] delta = new float[c.length];
        for (int i = 0; i < c.length; i++) {
            float next = (float) ((double) ci[i] - c[i] + ((double) x[i] - y[i]) * scale);
            delta[i] = next - ci[i];
            ci[i] = next;
        }
        return delta;
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
}
