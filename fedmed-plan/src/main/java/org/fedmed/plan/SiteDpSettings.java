package org.fedmed.plan;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The {@code site_dp:} section of a simulation config: every site trains with DP-SGD (per-example clipping to
 * {@code clip_norm}, Gaussian noise with multiplier {@code noise_multiplier}) and keeps its own accountant, which
 * reports the example-level epsilon at {@code delta} it has spent over the run. It goes with every strategy's local
 * terms (FedProx, SCAFFOLD) and every personalization; docs/privacy.md says what each costs. Every value is present
 * and checked; it is bound from, and written as, a private document of optional keys.
 */
public record SiteDpSettings(double clipNorm, double noiseMultiplier, double delta) {

    public SiteDpSettings {
        Choices.require(clipNorm > 0 && Double.isFinite(clipNorm), "site_dp.clip_norm", "must be > 0, got " + clipNorm);
        Choices.require(noiseMultiplier > 0 && Double.isFinite(noiseMultiplier), "site_dp.noise_multiplier",
                "must be > 0, got " + noiseMultiplier);
        Choices.require(delta > 0 && delta < 1, "site_dp.delta", "must be in (0, 1), got " + delta);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    private static SiteDpSettings of(Document d) {
        return new SiteDpSettings(d.clipNorm() == null ? 1.0 : d.clipNorm(),
                d.noiseMultiplier() == null ? 1.0 : d.noiseMultiplier(), d.delta() == null ? 1e-5 : d.delta());
    }

    @JsonValue
    private Document document() {
        return new Document(clipNorm, noiseMultiplier, delta);
    }

    /** The section as written in YAML: every key optional. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record Document(Double clipNorm, Double noiseMultiplier, Double delta) {
    }
}
