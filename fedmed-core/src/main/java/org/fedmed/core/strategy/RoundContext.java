package org.fedmed.core.strategy;

import java.util.List;
import org.fedmed.core.ModelParameters;

/** What a strategy may know when it plans a round: the round number, the global model, the sites online, the run seed. */
public record RoundContext(int round, ModelParameters global, List<String> availableSites, long seed) {
    public RoundContext {
        availableSites = List.copyOf(availableSites);
    }
}
