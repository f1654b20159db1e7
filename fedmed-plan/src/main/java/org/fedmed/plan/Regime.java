package org.fedmed.plan;

import java.util.Locale;

/**
 * One way {@code simulate} trains on the same splits and budget. A deployment trains the federated model only, so
 * this is a simulation-only choice ({@code regimes} is in {@link SimulationConfig#SIMULATION_ONLY_KEYS}).
 */
public enum Regime {
    /** Each site alone on its own training rows, tested on its own test rows. */
    LOCAL,
    /** The round engine over the sites, as a deployment runs it. */
    FEDERATED,
    /** One model on every site's training rows pooled: the reference no federation may reach for. */
    CENTRALIZED,
    /**
     * Each site's personal model ({@code personalization}: fine-tuned, FedPer's shared body with the site's head, or
     * Ditto's personal model), tested on its own test rows; needs a {@code personalization} section.
     */
    PERSONALIZED;

    /** The name the regime has in configs and reports ({@code local}, {@code federated}, {@code centralized},
     * {@code personalized}). */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
