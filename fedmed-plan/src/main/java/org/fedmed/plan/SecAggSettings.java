package org.fedmed.plan;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import org.fedmed.secagg.SecureSumConfig;
import org.fedmed.secagg.graph.ThreatModel;

/**
 * The {@code secure_aggregation:} section of a simulation config: the federated regime's server learns only the
 * sum of the sites' deltas. {@code topology} is {@code secagg_plus} (O(log n) neighbours per site) or
 * {@code classic}; each delta value is clipped to [-clip_bound, clip_bound] and encoded in a ring of
 * {@code ring_bits} bits. Every value is present and checked; it is bound from, and written as, a private
 * document of optional keys.
 *
 * <p>SecAgg+ is sized by a threat model when any of {@code corrupt_fraction}, {@code dropout_fraction},
 * {@code security_bits}, {@code correctness_bits} or {@code server} is given (defaults 0.05, 0.1, 40, 20,
 * {@code semi_malicious}); {@code degree} and {@code threshold} (both or neither) fix the pair instead, checked
 * against the threat model when there is one. With none of these keys the fixed rule applies, as before.
 *
 * <p>{@code stage_deadline_seconds} (default 30) bounds each of the protocol's four stages (advertise keys, share
 * keys, masked input, unmask): a site that has not answered a stage by then has dropped out at that stage.
 *
 * @param threatModel null when no threat-model key is given
 * @param degree      0 when not given
 * @param threshold   0 when not given
 * @param stageDeadlineSeconds how long each stage waits for the sites, &gt; 0
 */
public record SecAggSettings(SecureSumConfig.Topology topology, double clipBound, int ringBits,
                             ThreatModel threatModel, int degree, int threshold, double stageDeadlineSeconds) {

    /** Assumed corrupt fraction when only other threat-model keys are given. */
    public static final double DEFAULT_CORRUPT_FRACTION = 0.05;
    /** Assumed dropout fraction when only other threat-model keys are given. */
    public static final double DEFAULT_DROPOUT_FRACTION = 0.1;
    /** How long each stage waits for the sites when {@code stage_deadline_seconds} is not given. */
    public static final double DEFAULT_STAGE_DEADLINE_SECONDS = 30;

    public SecAggSettings {
        Objects.requireNonNull(topology, "topology");
        Choices.require(clipBound > 0 && Double.isFinite(clipBound), "secure_aggregation.clip_bound",
                "must be > 0, got " + clipBound);
        Choices.require(ringBits >= 8 && ringBits <= 62, "secure_aggregation.ring_bits",
                "must be in [8, 62], got " + ringBits);
        Choices.require(degree >= 0, "secure_aggregation.degree", "must be >= 2, got " + degree);
        Choices.require(threshold >= 0, "secure_aggregation.threshold", "must be >= 2, got " + threshold);
        Choices.require((degree > 0) == (threshold > 0) || threatModel == null, "secure_aggregation.threshold",
                "give degree and threshold together (or neither, to have them chosen from the threat model)");
        Choices.require(stageDeadlineSeconds > 0 && Double.isFinite(stageDeadlineSeconds),
                "secure_aggregation.stage_deadline_seconds", "must be > 0, got " + stageDeadlineSeconds);
    }

    /** With the default stage deadline. */
    public SecAggSettings(SecureSumConfig.Topology topology, double clipBound, int ringBits, ThreatModel threatModel,
                          int degree, int threshold) {
        this(topology, clipBound, ringBits, threatModel, degree, threshold, DEFAULT_STAGE_DEADLINE_SECONDS);
    }

    /** How long each stage of the protocol waits for the sites. */
    public java.time.Duration stageDeadline() {
        return java.time.Duration.ofMillis(Math.round(stageDeadlineSeconds * 1000));
    }

    /** The section without threat model or explicit degree: the fixed SecAgg+ rule. */
    public SecAggSettings(SecureSumConfig.Topology topology, double clipBound, int ringBits) {
        this(topology, clipBound, ringBits, null, 0, 0);
    }

    /** A server model's name in configs. */
    static String key(ThreatModel.ServerModel m) {
        return switch (m) {
            case HONEST_BUT_CURIOUS -> "honest_but_curious";
            case SEMI_MALICIOUS -> "semi_malicious";
        };
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
        ThreatModel threat = null;
        if (d.corruptFraction() != null || d.dropoutFraction() != null || d.securityBits() != null
                || d.correctnessBits() != null || d.server() != null) {
            try {
                threat = new ThreatModel(d.corruptFraction() == null ? DEFAULT_CORRUPT_FRACTION : d.corruptFraction(),
                        d.dropoutFraction() == null ? DEFAULT_DROPOUT_FRACTION : d.dropoutFraction(),
                        Choices.of("secure_aggregation.server", d.server(), ThreatModel.ServerModel.SEMI_MALICIOUS,
                                ThreatModel.ServerModel.values(), SecAggSettings::key),
                        d.securityBits() == null ? ThreatModel.DEFAULT_SECURITY_BITS : d.securityBits(),
                        d.correctnessBits() == null ? ThreatModel.DEFAULT_CORRECTNESS_BITS : d.correctnessBits());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("secure_aggregation." + e.getMessage(), e);
            }
        }
        return new SecAggSettings(Choices.of("secure_aggregation.topology", d.topology(),
                SecureSumConfig.Topology.SEC_AGG_PLUS, SecureSumConfig.Topology.values(), SecAggSettings::key),
                d.clipBound() == null ? 1.0 : d.clipBound(), d.ringBits() == null ? 32 : d.ringBits(), threat,
                d.degree() == null ? 0 : d.degree(), d.threshold() == null ? 0 : d.threshold(),
                d.stageDeadlineSeconds() == null ? DEFAULT_STAGE_DEADLINE_SECONDS : d.stageDeadlineSeconds());
    }

    @JsonValue
    private Document document() {
        return new Document(key(topology), clipBound, ringBits,
                threatModel == null ? null : threatModel.corruptFraction(),
                threatModel == null ? null : threatModel.dropoutFraction(),
                threatModel == null ? null : threatModel.securityBits(),
                threatModel == null ? null : threatModel.correctnessBits(),
                threatModel == null ? null : key(threatModel.server()),
                degree == 0 ? null : degree, threshold == 0 ? null : threshold,
                stageDeadlineSeconds == DEFAULT_STAGE_DEADLINE_SECONDS ? null : stageDeadlineSeconds);
    }

    /** The section as written in YAML: every key optional. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record Document(String topology, Double clipBound, Integer ringBits, Double corruptFraction,
                            Double dropoutFraction, Double securityBits, Double correctnessBits, String server,
                            Integer degree, Integer threshold, Double stageDeadlineSeconds) {
    }
}
