package org.fedmed.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.fedmed.config.ConfigException;
import org.fedmed.secagg.graph.ThreatModel;
import org.junit.jupiter.api.Test;

class SecAggSettingsTest {

    @Test
    void threatModelKeysAreReadWithDefaultsForTheOnesLeftOut() {
        SimulationConfig c = ConfigLoader.parse("secure_aggregation: {dropout_fraction: 0.3, security_bits: 50}\n",
                "sim.yaml", Map.of());
        ThreatModel t = c.secureAggregation().threatModel();
        assertEquals(0.3, t.dropoutFraction());
        assertEquals(0.05, t.corruptFraction());
        assertEquals(50, t.securityBits());
        assertEquals(20, t.correctnessBits());
        assertEquals(ThreatModel.ServerModel.SEMI_MALICIOUS, t.server());
        assertEquals(c, ConfigLoader.parse("", "again", ConfigLoader.toMap(c)));
    }

    @Test
    void aSectionWithoutThreatModelKeysKeepsTheFixedRule() {
        SimulationConfig c = ConfigLoader.parse("secure_aggregation: {topology: secagg_plus}\n", "sim.yaml", Map.of());
        assertNull(c.secureAggregation().threatModel());
        assertEquals(0, c.secureAggregation().degree());
    }

    @Test
    void explicitDegreeAndThresholdAreReadAndWrittenBack() {
        SimulationConfig c = ConfigLoader.parse("""
                secure_aggregation: {degree: 20, threshold: 12, server: honest_but_curious}
                """, "sim.yaml", Map.of());
        assertEquals(20, c.secureAggregation().degree());
        assertEquals(12, c.secureAggregation().threshold());
        assertEquals(ThreatModel.ServerModel.HONEST_BUT_CURIOUS, c.secureAggregation().threatModel().server());
        assertEquals(c, ConfigLoader.parse("", "again", ConfigLoader.toMap(c)));
    }

    @Test
    void aFractionOutOfRangeIsRefusedNamingTheKey() {
        var e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(
                "secure_aggregation: {dropout_fraction: 1.5}\n", "sim.yaml", Map.of()));
        assertTrue(e.getMessage().contains("secure_aggregation.dropout_fraction must be in [0, 1), got 1.5"),
                e.getMessage());
    }

    @Test
    void fewerThanThreeSitesARoundIsRefusedNamingTheKey() {
        var e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(
                "sites_per_round: 2\nsecure_aggregation: {clip_bound: 2}\n", "sim.yaml", Map.of()));
        assertTrue(e.getMessage().contains("config key 'sites_per_round' must be at least 3 with 'secure_aggregation' (the"
                + " protocol's smallest round), got 2"), e.getMessage());
        var dp = assertThrows(ConfigException.class, () -> ConfigLoader.parse("""
                dp: {noise: distributed, noise_multiplier: 1.0, sampling: fixed, sites_per_round: 2}
                secure_aggregation: {clip_bound: 2}
                """, "sim.yaml", Map.of()));
        assertTrue(dp.getMessage().contains("config key 'dp.sites_per_round' must be at least 3"), dp.getMessage());
        assertEquals(3, ConfigLoader.parse("sites_per_round: 3\nsecure_aggregation: {clip_bound: 2}\n", "sim.yaml",
                Map.of()).sitesPerRound());
    }

    @Test
    void aDegreeWithoutThresholdIsRefusedUnderAThreatModel() {
        var e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(
                "secure_aggregation: {degree: 20, corrupt_fraction: 0.1}\n", "sim.yaml", Map.of()));
        assertTrue(e.getMessage().contains("secure_aggregation.threshold"), e.getMessage());
    }
}
