package org.fedmed.plan;

import java.util.Locale;
import java.util.Set;

/**
 * The {@code secure_aggregation:} section of a simulation config: the federated regime's server learns only the
 * sum of the sites' deltas. {@code topology} is {@code secagg_plus} (O(log n) neighbours per site) or
 * {@code classic}; each delta value is clipped to [-clip_bound, clip_bound] and encoded in a ring of
 * {@code ring_bits} bits.
 */
public record SecAggSettings(String topology, Double clipBound, Integer ringBits) {

    public SecAggSettings {
        topology = topology == null ? "secagg_plus" : topology.toLowerCase(Locale.ROOT);
        clipBound = clipBound == null ? 1.0 : clipBound;
        ringBits = ringBits == null ? 32 : ringBits;
        if (!Set.of("secagg_plus", "classic").contains(topology)) {
            throw new IllegalArgumentException("config key 'secure_aggregation.topology': unknown value '" + topology
                    + "' (allowed: [classic, secagg_plus])");
        }
        if (!(clipBound > 0) || !Double.isFinite(clipBound)) {
            throw new IllegalArgumentException("config key 'secure_aggregation.clip_bound' must be > 0, got " + clipBound);
        }
        if (ringBits < 8 || ringBits > 62) {
            throw new IllegalArgumentException("config key 'secure_aggregation.ring_bits' must be in [8, 62], got " + ringBits);
        }
    }
}
