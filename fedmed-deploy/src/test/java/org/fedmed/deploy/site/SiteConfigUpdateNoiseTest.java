package org.fedmed.deploy.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.fedmed.core.FitConfig;
import org.fedmed.core.LocalTerm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code privacy.update_noise} section of a site config: its defaults (add whatever noise a fit asks for, from
 * secure randomness), every key read, mistakes named with file and key, and the decisions its bounds give.
 */
class SiteConfigUpdateNoiseTest {

    @TempDir
    Path dir;

    static final FitConfig FIT = new FitConfig(1, 8, 0.1, true, 3);

    SiteConfig load(String text) throws IOException {
        Path file = dir.resolve("site.yaml");
        Files.writeString(file, text);
        return SiteConfig.load(file);
    }

    static String section(String body) {
        return SiteConfigTest.MINIMAL + "privacy:\n  update_noise:\n" + body.indent(4);
    }

    @Test
    void withoutTheSectionASiteAddsAnyRequestedNoiseFromSecureRandomness() throws IOException {
        UpdateNoiseSettings n = load(SiteConfigTest.MINIMAL).updateNoise();
        assertEquals(UpdateNoiseSettings.DEFAULT, n);
        assertEquals(new UpdateNoiseSettings(0, Double.POSITIVE_INFINITY, false, null), n);
        assertEquals(Optional.empty(), n.refusal(FIT.withTerms(List.of(new LocalTerm.UpdateNoise(100, 0.01, 50)))));
        assertEquals(Optional.empty(), n.refusal(FIT));
        assertTrue(n.describe().endsWith("noise from secure randomness"), n.describe());
    }

    @Test
    void everyKeyIsRead() throws IOException {
        UpdateNoiseSettings n = load(section("""
                min_noise_multiplier: 0.8
                max_clip_norm: 2.5
                required: true
                seed: 42""")).updateNoise();
        assertEquals(new UpdateNoiseSettings(0.8, 2.5, true, 42L), n);
        assertTrue(n.describe().contains("seeded noise (seed 42): reproducible, for experiments only"), n.describe());
    }

    @Test
    void aSiteThatRequiresNoiseRefusesAFitWithoutItAndBoundsAreInclusive() {
        UpdateNoiseSettings n = new UpdateNoiseSettings(0.5, 1.0, true, null);
        assertEquals(Optional.of("the fit asks for no noise on the site's update, and this site sends updates only"
                + " with DP-FedAvg noise added at the site (privacy.update_noise.required: true); the server's plan"
                + " needs dp.noise: local or distributed"), n.refusal(FIT));
        assertEquals(Optional.empty(), n.refusal(FIT.withTerms(List.of(new LocalTerm.UpdateNoise(1.0, 1.0, 4)))),
                "a share of 1.0 / sqrt(4) = 0.5 at clip norm 1.0 is within both bounds");
        assertTrue(n.refusal(FIT.withTerms(List.of(new LocalTerm.UpdateNoise(1.0, 1.0, 5)))).isPresent(),
                "1.0 / sqrt(5) is below 0.5");
    }

    @Test
    void unknownKeysAndBadValuesAreNamedWithTheFile() throws IOException {
        Path file = dir.resolve("site.yaml");
        Files.writeString(file, section("min_noise: 1"));
        var unknown = assertThrows(IllegalArgumentException.class, () -> SiteConfig.load(file));
        assertTrue(unknown.getMessage().startsWith(file.toString())
                && unknown.getMessage().contains("unknown key 'privacy.update_noise.min_noise'")
                && unknown.getMessage().contains("max_clip_norm, min_noise_multiplier, required, seed"),
                unknown.getMessage());
        Files.writeString(file, section("min_noise_multiplier: -1"));
        var negative = assertThrows(IllegalArgumentException.class, () -> SiteConfig.load(file));
        assertTrue(negative.getMessage().contains("privacy.update_noise.min_noise_multiplier must be a finite number"
                + " >= 0, got -1.0"), negative.getMessage());
        Files.writeString(file, section("max_clip_norm: 0"));
        var clip = assertThrows(IllegalArgumentException.class, () -> SiteConfig.load(file));
        assertTrue(clip.getMessage().contains("privacy.update_noise.max_clip_norm must be a number > 0, got 0.0"),
                clip.getMessage());
        Files.writeString(file, SiteConfigTest.MINIMAL + "privacy:\n  update_noise:\n");
        var empty = assertThrows(IllegalArgumentException.class, () -> SiteConfig.load(file));
        assertTrue(empty.getMessage().contains("key 'privacy.update_noise' is empty"), empty.getMessage());
    }
}
