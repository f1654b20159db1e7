package org.fedmed.core;

import java.util.List;

/**
 * A term a site adds to its local objective when it trains a fit, on top of the model's loss, a personalization
 * the site applies around its training, or a privacy mechanism it applies to its update before the update leaves:
 * the closed list of site-side training options a {@link FitConfig} may carry. {@link Proximal} changes every step's
 * gradient; {@link Ditto} and {@link PersonalLayers} make the site keep a personal model of its own for the run, which
 * never leaves it; {@link UpdateNoise} has the site clip its update and add Gaussian noise to it. Each member has a wire {@link #name()}, a
 * {@link #version()} of its meaning and its {@link #values() numbers}; the transport carries exactly these three, and a
 * site that does not know a name and version refuses the fit rather than train without the term.
 *
 * <p>A new kind of term is a new member here; the places that must handle it (the trainer's gradient seam, the wire
 * codec, a site's allow-list) switch over this sealed type, so they do not compile until they do. A term whose
 * meaning changes gets a new version, never a silent reinterpretation of the old one.
 */
public sealed interface LocalTerm extends java.io.Serializable permits LocalTerm.Proximal, LocalTerm.Ditto,
        LocalTerm.PersonalLayers, LocalTerm.ControlVariates, LocalTerm.UpdateNoise {

    /** The term's name on the wire and in messages, e.g. {@code proximal}. */
    String name();

    /** The version of the term's meaning, >= 1. */
    int version();

    /** The term's numbers in their wire order. */
    List<Double> values();

    /** For messages: "proximal v1 [0.01]". */
    default String describe() {
        return name() + " v" + version() + " " + values();
    }

    /**
     * FedProx's proximal term (Li et al. 2020): the site minimizes {@code F_k(w) + mu/2 ||w - w_global||^2}, where
     * {@code w_global} are the parameters the fit started from, so every local step's gradient gains
     * {@code mu (w - w_global)}. {@code mu = 0} is plain local training (FedAvg). Config key {@code prox_mu}; wire
     * name {@code proximal}, version 1, values {@code [mu]}.
     *
     * @param mu the proximal weight, finite and >= 0
     */
    record Proximal(double mu) implements LocalTerm {

        /** The wire name of this term. */
        public static final String NAME = "proximal";
        /** The version of this term's meaning. */
        public static final int VERSION = 1;
        /** The config and allow-list key of mu. */
        public static final String KEY = "prox_mu";

        public Proximal {
            if (!(mu >= 0) || !Double.isFinite(mu)) {
                throw new IllegalArgumentException(KEY + " must be a finite number >= 0, got " + mu);
            }
        }

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public int version() {
            return VERSION;
        }

        @Override
        public List<Double> values() {
            return List.of(mu);
        }
    }

    /**
     * Ditto (Li et al. 2021): besides training the global model as plain local training (the update it returns), the
     * site trains a personal model {@code v} of its own for the same local work on
     * {@code F_k(v) + lambda/2 ||v - w_global||^2}, where {@code w_global} are the parameters the fit started from, so
     * each of v's steps' gradients gains {@code lambda (v - w_global)}. {@code v} starts from the first global model
     * the site sees and stays at the site. Config key {@code personalization.lambda}; wire name {@code ditto},
     * version 1, values {@code [lambda]}.
     *
     * @param lambda the weight pulling the personal model toward the global one, finite and > 0
     */
    record Ditto(double lambda) implements LocalTerm {

        /** The wire name of this term. */
        public static final String NAME = "ditto";
        /** The version of this term's meaning. */
        public static final int VERSION = 1;
        /** The config key of lambda. */
        public static final String KEY = "personalization.lambda";

        public Ditto {
            if (!(lambda > 0) || !Double.isFinite(lambda)) {
                throw new IllegalArgumentException(KEY + " must be a finite number > 0, got " + lambda);
            }
        }

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public int version() {
            return VERSION;
        }

        @Override
        public List<Double> values() {
            return List.of(lambda);
        }
    }

    /**
     * FedPer (Arivazhagan et al. 2019): the tensors at these indices of the task's parameter layout are personal
     * layers (a model's head, say) that each site keeps for itself. The site replaces them in the received global
     * model with its own (taken from the first global model it sees), trains, keeps the trained values, and returns
     * the received global's values for them, so the server learns nothing about a site's personal layers and the
     * global model's copy of them stays as it was. Config key {@code personalization.personal_layers} (tensor-name
     * prefixes, resolved against the model's layout); wire name {@code personal_layers}, version 1, values the tensor
     * indices in increasing order.
     *
     * @param tensors indices into the layout's tensors, distinct, >= 0, at least one; kept sorted
     */
    record PersonalLayers(List<Integer> tensors) implements LocalTerm {

        /** The wire name of this term. */
        public static final String NAME = "personal_layers";
        /** The version of this term's meaning. */
        public static final int VERSION = 1;
        /** The config key of the personal layers. */
        public static final String KEY = "personalization.personal_layers";

        public PersonalLayers {
            if (tensors == null || tensors.isEmpty()) {
                throw new IllegalArgumentException(KEY + " must name at least one tensor, got " + tensors);
            }
            java.util.TreeSet<Integer> sorted = new java.util.TreeSet<>();
            for (Integer t : tensors) {
                if (t == null || t < 0) {
                    throw new IllegalArgumentException(KEY + " must be tensor indices >= 0, got " + tensors);
                }
                if (!sorted.add(t)) {
                    throw new IllegalArgumentException(KEY + " must not repeat a tensor, got " + tensors);
                }
            }
            tensors = List.copyOf(sorted);
        }

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public int version() {
            return VERSION;
        }

        @Override
        public List<Double> values() {
            return tensors.stream().map(Integer::doubleValue).toList();
        }
    }

    /**
     * SCAFFOLD's control-variate correction (Karimireddy et al. 2020): every local step's gradient gains
     * {@code c - c_i}, where {@code c} is the server's control variate, sent with the fit as the task's auxiliary
     * vector {@value #SERVER_CONTROL}, and {@code c_i} is the site's own, which the site keeps from fit to fit
     * (zero before its first). After K local steps at learning rate lr from x to y the site sets (option II)
     * {@code c_i+ = c_i - c + (x - y) / (K lr)} and returns {@code Delta c = c_i+ - c_i} as the result's auxiliary
     * vector {@value #CONTROL_DELTA}. Option II assumes plain local SGD, so a site whose model trains with momentum or
     * Adam refuses the fit, as does a site that cannot keep a control variate. The term has no numbers: the vectors
     * travel as auxiliary vectors. Wire name {@code scaffold}, version 1, values {@code []}.
     */
    record ControlVariates() implements LocalTerm {

        /** The wire name of this term. */
        public static final String NAME = "scaffold";
        /** The version of this term's meaning. */
        public static final int VERSION = 1;
        /** The fit task's auxiliary vector holding the server control variate c. */
        public static final String SERVER_CONTROL = "scaffold.c";
        /** The fit result's auxiliary vector holding the site's Delta c = c_i+ - c_i. */
        public static final String CONTROL_DELTA = "scaffold.delta_c";

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public int version() {
            return VERSION;
        }

        @Override
        public List<Double> values() {
            return List.of();
        }
    }

    /**
     * DP-FedAvg's noise added at the site ({@code dp.noise: local} or {@code distributed}): after training, the site
     * takes its update as a delta from the task's global model, clips it to L2 norm {@code clipNorm} (C), and adds
     * independent Gaussian noise of standard deviation {@code noiseMultiplier * clipNorm / sqrt(shares)} to every
     * coordinate, before the update leaves the site. With {@code shares = 1} (local noise) each site's release is a
     * Gaussian mechanism with multiplier z on its own; with {@code shares = m}, the expected number of sites in a round
     * (distributed noise, under secure aggregation), each site adds its share, so that the sum carries the central
     * mechanism's noise of multiplier z. The training itself is unchanged: the trainer's gradient ignores this term.
     * The noise is drawn from the site's own randomness; the server never learns it. Config keys {@code dp.clip_norm},
     * {@code dp.noise_multiplier} and {@code dp.noise}; wire name {@code update_noise}, version 1, values
     * {@code [clip_norm, noise_multiplier, shares]}.
     *
     * @param clipNorm        C, the bound on the update's L2 norm, finite and > 0
     * @param noiseMultiplier z, the mechanism's noise multiplier the server accounts, finite and > 0
     * @param shares          how many sites' noise makes up the mechanism's: 1 for local noise, the expected number of
     *                        sites per round for distributed noise; finite and >= 1
     */
    record UpdateNoise(double clipNorm, double noiseMultiplier, double shares) implements LocalTerm {

        /** The wire name of this term. */
        public static final String NAME = "update_noise";
        /** The version of this term's meaning. */
        public static final int VERSION = 1;

        public UpdateNoise {
            if (!(clipNorm > 0) || !Double.isFinite(clipNorm)) {
                throw new IllegalArgumentException("dp.clip_norm must be a finite number > 0, got " + clipNorm);
            }
            if (!(noiseMultiplier > 0) || !Double.isFinite(noiseMultiplier)) {
                throw new IllegalArgumentException("dp.noise_multiplier must be a finite number > 0, got "
                        + noiseMultiplier);
            }
            if (!(shares >= 1) || !Double.isFinite(shares)) {
                throw new IllegalArgumentException("the noise shares of local term '" + NAME + "' must be a finite"
                        + " number >= 1 (1 for local noise), got " + shares);
            }
        }

        /** The noise multiplier of this site's own noise: z / sqrt(shares) (z itself for local noise). */
        public double siteNoiseMultiplier() {
            return noiseMultiplier / Math.sqrt(shares);
        }

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public int version() {
            return VERSION;
        }

        @Override
        public List<Double> values() {
            return List.of(clipNorm, noiseMultiplier, shares);
        }
    }
}
