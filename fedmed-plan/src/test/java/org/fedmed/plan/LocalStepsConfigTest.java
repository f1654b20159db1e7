package org.fedmed.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.fedmed.config.ConfigException;
import org.fedmed.core.LocalWork;
import org.junit.jupiter.api.Test;

/** local_steps is the alternative to local_epochs: exactly one of them, refused together with both keys named. */
class LocalStepsConfigTest {

    @Test
    void localStepsAloneGivesEverySiteThatManyStepsAndNoEpochs() {
        SimulationConfig c = ConfigLoader.parse("local_steps: 100\nbatch_size: 4\n", "sim.yaml", Map.of());
        assertEquals(LocalWork.steps(100), c.localWork());
        assertFalse(ConfigLoader.toMap(c).containsKey("local_epochs"), "written with local_steps only");
        assertEquals(100, ConfigLoader.toMap(c).get("local_steps"));
        assertEquals(LocalWork.steps(100), PlanSettings.fitConfig(c).work());
        assertEquals(4, PlanSettings.fitConfig(c).batchSize());
    }

    @Test
    void withNeitherKeySitesRunTwoLocalEpochsAsBefore() {
        SimulationConfig c = ConfigLoader.parse("rounds: 3\n", "sim.yaml", Map.of());
        assertEquals(LocalWork.epochs(2), c.localWork());
        assertEquals(2, ConfigLoader.toMap(c).get("local_epochs"));
        assertFalse(ConfigLoader.toMap(c).containsKey("local_steps"), "written with local_epochs only");
        assertEquals(LocalWork.epochs(2), PlanSettings.fitConfig(SimulationConfig.defaults()).work());
    }

    @Test
    void bothKeysAreRefusedNamingBothWithTheLine() {
        var e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("rounds: 3\nlocal_epochs: 2\nlocal_steps: 100\n",
                "sim.yaml", Map.of()));
        assertEquals("sim.yaml: config key 'local_steps' cannot be used with 'local_epochs': set exactly one of them "
                + "(local_epochs 2 runs whole passes over a site's rows, local_steps 100 a fixed number of mini-batch "
                + "steps per round) (line 3, column 14)", e.getMessage());
    }

    @Test
    void aVariantMadeFromTheConfigKeepsItsSteps() {
        SimulationConfig c = ConfigLoader.parse("local_steps: 7\n", "sim.yaml", Map.of());
        Map<String, Object> map = ConfigLoader.toMap(c);
        assertEquals(false, map.containsKey("local_epochs"), map.toString());
        assertEquals(c, ConfigLoader.parse("", "variant", map));
    }

    @Test
    void fewerThanOneStepIsRefusedNamingTheKey() {
        var e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("local_steps: 0\n", "sim.yaml", Map.of()));
        assertEquals("sim.yaml: config key 'local_steps' must be >= 1, got 0 (line 1, column 14)", e.getMessage());
        var frac = assertThrows(ConfigException.class, () -> ConfigLoader.parse("local_steps: 2.5\n", "sim.yaml", Map.of()));
        assertEquals("sim.yaml: key 'local_steps' expects an integer, got '2.5' (line 1, column 14)", frac.getMessage());
    }
}
