package org.fedmed.server.store;

import java.time.Instant;
import java.util.Optional;

/**
 * A stored run: its id and name, when it was created, the full config (JSON) and seed that make it reproducible,
 * its status, and when and why it stopped (empty while it runs).
 */
public record RunInfo(long id, String name, Instant created, String configJson, long seed, RunStatus status,
                      Optional<String> stopReason, Optional<Instant> finished) {
    public RunInfo {
        if (name == null || created == null || configJson == null || status == null || stopReason == null
                || finished == null) {
            throw new IllegalArgumentException("run " + id + ": name, created, configJson, status, stopReason and"
                    + " finished are required (use Optional.empty())");
        }
    }
}
