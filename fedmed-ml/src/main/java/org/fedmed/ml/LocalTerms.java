package org.fedmed.ml;

import java.util.ArrayList;
import java.util.List;
import org.fedmed.core.FitConfig;
import org.fedmed.core.LocalTerm;

/**
 * The {@link LocalTerm}s of one fit, bound to the global parameters the fit started from: the one gradient seam every
 * site trainer calls at every step, after the model's (or DP-SGD's clipped and noised) mini-batch gradient and before
 * the optimizer's step. Each term adds the gradient of its part of the local objective to {@code grad}, in the
 * fit's order. A fit with no term, or only terms that are zero ({@code prox_mu = 0}), binds to {@link #NONE}, which
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
     */
    public static LocalTerms bind(FitConfig config, float[] global) {
        List<GradientTerm> bound = new ArrayList<>();
        for (LocalTerm term : config.terms()) {
            switch (term) {
                case LocalTerm.Proximal p -> {
                    if (p.mu() != 0) {
                        bound.add(new ProximalGradient(p.mu(), global.clone()));
                    }
                }
                // personalizations: the site client keeps the personal model around its training, the gradient of
                // the model it trains here is unchanged (see TrainingSiteClient)
                case LocalTerm.Ditto d -> {
                }
                case LocalTerm.PersonalLayers p -> {
                }
            }
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
}
