package org.fedmed.core;

import java.util.List;

/**
 * A term a site adds to its local objective when it trains a fit, on top of the model's loss: the closed list of
 * site-side training options a {@link FitConfig} may carry. Each member has a wire {@link #name()}, a
 * {@link #version()} of its meaning and its {@link #values() numbers}; the transport carries exactly these three, and a
 * site that does not know a name and version refuses the fit rather than train without the term.
 *
 * <p>A new kind of term is a new member here; the places that must handle it (the trainer's gradient seam, the wire
 * codec, a site's allow-list) switch over this sealed type, so they do not compile until they do. A term whose
 * meaning changes gets a new version, never a silent reinterpretation of the old one.
 */
public sealed interface LocalTerm permits LocalTerm.Proximal, LocalTerm.ControlVariates {

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
}
