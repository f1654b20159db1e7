package org.fedmed.ml;

import java.util.ArrayList;
import java.util.List;
import org.fedmed.core.FitConfig;
import org.fedmed.core.LocalTerm;

/**
 * The {@link LocalTerm}s of one fit, bound to the global parameters the fit started from: the one gradient seam every
 * site trainer calls at every step, after the model's (or DP-SGD's clipped and noised) mini-batch gradient and before
 * the optimizer's step. Each term adds the gradient of its part of the local objective to {@code grad}, in the
 * fit's order: FedProx's {@code mu (w - w_global)} and SCAFFOLD's constant {@code c - c_i}. A fit with no term, or
 * only terms that are zero ({@code prox_mu = 0}), binds to {@link #NONE}, which
 * touches nothing, so such a fit trains bit for bit as plain training does. The terms are data-independent: they add
 * no privacy cost to DP-SGD. The reported training loss stays the model's loss, without the terms. The
 * personalizations ({@link LocalTerm.Ditto}, {@link LocalTerm.PersonalLayers}) add nothing here: they are the site
 * client's behaviour around its training, not a gradient term.
 *
 * <p>A bound instance keeps its own copy of the global parameters; it is not thread-safe, like the fit it serves.
 */
public final class LocalTerms {

    /** No local term: plain training. */
    public static final LocalTerms NONE = new LocalTerms(new GradientTerm[0]);

    /** One term's gradient, added in place. */
    private interface GradientTerm {
        void addTo(float[] params, float[] grad);
    }

    private final GradientTerm[] terms;

    private LocalTerms(GradientTerm[] terms) {
        this.terms = terms;
    }

    /**
     * The terms of {@code config} bound to {@code global}, the parameters the fit starts from (copied here, so the
     * caller may train {@code global} in place).
     *
     * @throws IllegalArgumentException if the fit asks for SCAFFOLD's control-variate term, which needs the site's
     *                                  control variate: a site that keeps one binds with
     *                                  {@link #bind(FitConfig, float[], float[])}
     */
    public static LocalTerms bind(FitConfig config, float[] global) {
        return bind(config, global, null);
    }

    /**
     * As {@link #bind(FitConfig, float[])}, for a site that keeps a SCAFFOLD control variate c_i: {@code correction}
     * is {@code c - c_i}, added to every step's gradient when the fit carries {@link LocalTerm.ControlVariates}.
     *
     * @param correction c - c_i, one value per parameter (copied here), or null for a site that keeps none
     * @throws IllegalArgumentException if the fit asks for the control-variate term and there is no correction, or
     *                                  a correction is given for a fit without the term
     */
    public static LocalTerms bind(FitConfig config, float[] global, float[] correction) {
        List<GradientTerm> bound = new ArrayList<>();
        boolean corrected = false;
        for (LocalTerm term : config.terms()) {
            switch (term) {
                case LocalTerm.Proximal p -> {
                    if (p.mu() != 0) {
                        bound.add(new ProximalGradient(p.mu(), global.clone()));
                    }
                }
                case LocalTerm.ControlVariates cv -> {
                    if (correction == null) {
                        throw new IllegalArgumentException("the fit asks for local term '" + cv.describe()
                                + "' (SCAFFOLD), which needs a control variate this trainer does not keep");
                    }
                    if (correction.length != global.length) {
                        throw new IllegalArgumentException("the SCAFFOLD correction has " + correction.length
                                + " values but the model has " + global.length);
                    }
                    bound.add(new ControlCorrection(correction.clone()));
                    corrected = true;
                }
                // personalizations: the site client keeps the personal model around its training, the gradient of
                // the model it trains here is unchanged (see TrainingSiteClient)
                case LocalTerm.Ditto d -> {
                }
                case LocalTerm.PersonalLayers p -> {
                }
                // applied by the site to the update after training (clip, then noise), not to the gradient
                case LocalTerm.UpdateNoise n -> {
                }
            }
        }
        if (correction != null && !corrected) {
            throw new IllegalArgumentException("a SCAFFOLD correction was given for a fit without the '"
                    + LocalTerm.ControlVariates.NAME + "' term " + config.terms());
        }
        return bound.isEmpty() ? NONE : new LocalTerms(bound.toArray(GradientTerm[]::new));
    }

    /** Whether this is plain training, with nothing to add. */
    public boolean isNone() {
        return terms.length == 0;
    }

    /** Adds every term's gradient at {@code params} to {@code grad}. */
    public void addTo(float[] params, float[] grad) {
        for (GradientTerm t : terms) {
            t.addTo(params, grad);
        }
    }

    /**
     * FedProx: the gradient of {@code mu/2 ||w - w_global||^2} is {@code mu (w - w_global)}, computed in double per
     * coordinate and rounded once to float when added.
     */
    private record ProximalGradient(double mu, float[] global) implements GradientTerm {
        @Override
        public void addTo(float[] params, float[] grad) {
            if (params.length != global.length || grad.length != global.length) {
                throw new IllegalArgumentException("the proximal term is bound to " + global.length
                        + " parameters but got " + params.length + " parameters and " + grad.length + " gradients");
            }
            double m = mu;
            float[] g = global;
            for (int i = 0; i < g.length; i++) {
                grad[i] = (float) (grad[i] + m * ((double) params[i] - g[i]));
            }
        }
    }

    /** SCAFFOLD: the gradient gains the constant {@code c - c_i}, added in float per coordinate. */
    private record ControlCorrection(float[] correction) implements GradientTerm {
        @Override
        public void addTo(float[] params, float[] grad) {
            if (grad.length != correction.length) {
                throw new IllegalArgumentException("the SCAFFOLD correction holds " + correction.length
                        + " values but got " + grad.length + " gradients");
            }
            float[] d = correction;
            for (int i = 0; i < d.length; i++) {
                grad[i] += d[i];
            }
        }
    }
}
