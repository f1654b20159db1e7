package org.fedmed.plan;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import org.fedmed.secagg.SecureSumConfig;

/**
 * The {@code secure_aggregation:} section of a simulation config: the federated regime's server learns only the
 * sum of the sites' deltas. {@code topology} is {@code secagg_plus} (O(log n) neighbours per site) or
 * {@code classic}; each delta value is clipped to [-clip_bound, clip_bound] and encoded in a ring of
 * {@code ring_bits} bits. Every value is present and checked; it is bound from, and written as, a private
 * document of optional keys.
 */
public record SecAggSettings(SecureSumConfig.Topology topology, double clipBound, int ringBits) {

    public SecAggSettings {
        Objects.requireNonNull(topology, "topology");
        Choices.require(clipBound > 0 && Double.isFinite(clipBound), "secure_aggregation.clip_bound",
                "must be > 0, got " + clipBound);
        Choices.require(ringBits >= 8 && ringBits <= 62, "secure_aggregation.ring_bits",
                "must be in [8, 62], got " + ringBits);
    }

    /** A topology's name in configs: {@code classic} or {@code secagg_plus}. */
    static String key(SecureSumConfig.Topology t) {
        return switch (t) {
            case CLASSIC -> "classic";
            case SEC_AGG_PLUS -> "secagg_plus";
        };
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    private static SecAggSettings of(Document d) {
        return new SecAggSettings(Choices.of("secure_aggregation.topology", d.topology(),
                SecureSumConfig.Topology.SEC_AGG_PLUS, SecureSumConfig.Topology.values(), SecAggSettings::key),
                d.clipBound() == null ? 1.0 : d.clipBound(), d.ringBits() == null ? 32 : d.ringBits());
    }

    @JsonValue
    private Document document() {
        return new Document(key(topology), clipBound, ringBits);
    }

    /** The section as written in YAML: every key optional. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record Document(String topology, Double clipBound, Integer ringBits) {
    }
}
