package org.fedmed.plan;

import java.util.Locale;

/** What a site sends back after local training: its full weights, or their change from the global model. */
public enum SendMode {
    /** The locally trained parameters. */
    WEIGHTS,
    /** The trained parameters minus the global model the site was sent. */
    DELTA;

    /** The name the mode has in configs ({@code weights}, {@code delta}). */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
