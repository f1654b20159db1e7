package org.fedmed.deploy.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fedmed.privacy.dpsgd.BatchSampling;
import org.fedmed.privacy.dpsgd.DpSgdConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code privacy.dp_sgd} section of a site config: its defaults, and every mistake named with file and key. */
class SiteConfigPrivacyTest {

    @TempDir
    Path dir;

    static final String MINIMAL = SiteConfigTest.MINIMAL;

    Path write(String text) throws IOException {
        Path file = dir.resolve("site.yaml");
        Files.writeString(file, text);
        return file;
    }

    SiteConfig load(String text) throws IOException {
        return SiteConfig.load(write(text));
    }

    IllegalArgumentException refused(String text) throws IOException {
        Path file = write(text);
        var e = assertThrows(IllegalArgumentException.class, () -> SiteConfig.load(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        return e;
    }

    static String dpSgd(String body) {
        return MINIMAL + "privacy:\n  dp_sgd:\n" + body.indent(4);
    }

    @Test
    void withoutAPrivacySectionTheSiteHasNoDpSgd() throws IOException {
        SiteConfig c = load(MINIMAL);
        assertTrue(c.dpSgdSettings().isEmpty());
        assertNull(c.dpSgd());
    }

    @Test
    void dpSgdGetsTheDocumentedDefaults() throws IOException {
        DpSgdSettings dp = load(dpSgd("clip_norm: 1.0\nnoise_multiplier: 1.1")).dpSgdSettings().orElseThrow();
        assertEquals(1.0, dp.clipNorm());
        assertEquals(1.1, dp.noiseMultiplier());
        assertEquals(1e-5, dp.delta());
        assertTrue(dp.budget().isEmpty());
        assertTrue(dp.noiseSeed().isEmpty());
        assertEquals(new DpSgdConfig(1.0, 1.1, BatchSampling.POISSON, 1e-5, Double.POSITIVE_INFINITY), dp.config());
        assertTrue(dp.describe().contains("secure randomness"), dp.describe());
    }

    @Test
    void everyDpSgdKeyIsRead() throws IOException {
        DpSgdSettings dp = load(dpSgd("""
                clip_norm: 0.5
                noise_multiplier: 0
                delta: 1e-6
                max_epsilon: 8.0
                seed: 42""")).dpSgdSettings().orElseThrow();
        assertEquals(new DpSgdSettings(0.5, 0.0, 1e-6, 8.0, 42L), dp);
        assertEquals(8.0, dp.config().maxEpsilon());
        assertTrue(dp.describe().contains("seeded noise (seed 42)") && dp.describe().contains("no privacy guarantee"),
                dp.describe());
    }

    @Test
    void unknownDpSgdKeyListsTheKnownOnes() throws IOException {
        var e = refused(dpSgd("clip_norm: 1.0\nnoise_multiplier: 1.1\nepsilon: 3"));
        assertTrue(e.getMessage().contains("unknown key 'privacy.dp_sgd.epsilon'"), e.getMessage());
        assertTrue(e.getMessage().contains("clip_norm, delta, max_epsilon, noise_multiplier, seed"), e.getMessage());
    }

    @Test
    void unknownPrivacyKeyListsDpSgd() throws IOException {
        var e = refused(MINIMAL + "privacy:\n  dp_fedavg: {clip_norm: 1.0}\n");
        assertTrue(e.getMessage().contains("unknown key 'privacy.dp_fedavg'") && e.getMessage().contains("dp_sgd"),
                e.getMessage());
    }

    @Test
    void missingRequiredDpSgdKeysAreNamed() throws IOException {
        var clip = refused(dpSgd("noise_multiplier: 1.1"));
        assertTrue(clip.getMessage().contains("missing required key 'privacy.dp_sgd.clip_norm'"), clip.getMessage());
        var noise = refused(dpSgd("clip_norm: 1.0"));
        assertTrue(noise.getMessage().contains("missing required key 'privacy.dp_sgd.noise_multiplier'"),
                noise.getMessage());
    }

    @Test
    void outOfRangeDpSgdValuesAreNamed() throws IOException {
        assertTrue(refused(dpSgd("clip_norm: 0\nnoise_multiplier: 1.1")).getMessage()
                .contains("privacy.dp_sgd.clip_norm must be a positive finite number, got 0.0"));
        assertTrue(refused(dpSgd("clip_norm: 1\nnoise_multiplier: -1")).getMessage()
                .contains("privacy.dp_sgd.noise_multiplier must be a finite number >= 0, got -1.0"));
        assertTrue(refused(dpSgd("clip_norm: 1\nnoise_multiplier: 1\ndelta: 1")).getMessage()
                .contains("privacy.dp_sgd.delta must lie in (0, 1), got 1.0"));
        assertTrue(refused(dpSgd("clip_norm: 1\nnoise_multiplier: 1\nmax_epsilon: 0")).getMessage()
                .contains("privacy.dp_sgd.max_epsilon must be a positive finite number, got 0.0"));
    }

    @Test
    void wrongTypeIsNamedWithTheKey() throws IOException {
        var e = refused(dpSgd("clip_norm: 1\nnoise_multiplier: 1\nseed: lucky"));
        assertTrue(e.getMessage().contains("key 'privacy.dp_sgd.seed' expects an integer"), e.getMessage());
    }

    @Test
    void emptyDpSgdIsAnErrorRatherThanNoPrivacy() throws IOException {
        var e = refused(MINIMAL + "privacy:\n  dp_sgd:\n");
        assertTrue(e.getMessage().contains("key 'privacy.dp_sgd' is empty"), e.getMessage());
        var empty = refused(MINIMAL + "privacy:\n");
        assertTrue(empty.getMessage().contains("key 'privacy' is empty"), empty.getMessage());
    }

    @Test
    void dpSgdWithSeveralModelSpecsIsRefusedNamingBothKeys() throws IOException {
        var e = refused(dpSgd("clip_norm: 1.0\nnoise_multiplier: 1.1").replace("    - {type: logistic}\n",
                "    - {type: logistic}\n    - {type: mlp, hidden: [4]}\n"));
        assertTrue(e.getMessage().contains("'privacy.dp_sgd' needs exactly one model spec in 'allow.model_specs', got 2"),
                e.getMessage());
    }
}
