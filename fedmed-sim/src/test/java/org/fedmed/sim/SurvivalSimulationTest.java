package org.fedmed.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.fedmed.core.LabeledData;
import org.fedmed.core.objective.LabelLayout;
import org.fedmed.core.objective.Objective;
import org.fedmed.data.federated.FederatedDataset;
import org.fedmed.data.federated.SiteData;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.plan.ConfigLoader;
import org.fedmed.plan.PlanSettings;
import org.fedmed.plan.SimulationConfig;
import org.fedmed.sim.report.ComparisonReport;
import org.fedmed.sim.report.ComparisonTable;
import org.fedmed.sim.report.RegimeResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Survival end to end in {@code simulate}: a hospital's own CSV with a time column and an event column, declared by a
 * dataset definition with {@code label.kind: survival}, trained as a Cox model ({@code model: {type: cox}}) in the
 * three regimes, and reported with Harrell's C-index and the Breslow loss per site and pooled. The reported C-index
 * is checked against a brute-force count over all pairs in this test, which shares no code with the report.
 */
class SurvivalSimulationTest {

    /**
     * Three clinics of one CSV; hazard exp(0.9 marker + 0.6 smoker), exponential times, uniform censoring, so about
     * two thirds of the rows are events and the marker ranks patients well.
     */
    private static Path writeCohort(Path dir) throws IOException {
        Random rnd = new Random(20261203);
        StringBuilder csv = new StringBuilder("marker,smoker,age,clinic,days,status\n");
        String[] clinics = {"north", "south", "east"};
        int[] rows = {220, 120, 160};
        for (int c = 0; c < clinics.length; c++) {
            for (int i = 0; i < rows[c]; i++) {
                double marker = rnd.nextGaussian();
                int smoker = rnd.nextDouble() < 0.3 ? 1 : 0;
                double age = 60 + 10 * rnd.nextGaussian();
                double hazard = 0.002 * Math.exp(0.9 * marker + 0.6 * smoker);
                double event = -Math.log(1 - rnd.nextDouble()) / hazard;
                double censor = 2000 * rnd.nextDouble();
                boolean died = event <= censor;
                csv.append(String.format(Locale.ROOT, "%.4f,%s,%.1f,%s,%d,%s%n", marker, smoker == 1 ? "yes" : "no",
                        age, clinics[c], Math.round(Math.min(event, censor)), died ? "dead" : "alive"));
            }
        }
        Files.writeString(dir.resolve("clinics.csv"), csv);
        Path definition = dir.resolve("clinics.yaml");
        Files.writeString(definition, """
                name: clinic-survival
                description: time to death at three clinics (generated)
                columns:
                  - {name: marker, type: numeric}
                  - {name: smoker, type: binary, levels: ["no", "yes"]}
                  - {name: age, type: numeric}
                label: {kind: survival, time: days, event: status, event_values: [dead], censored_values: [alive]}
                sites: {file: clinics.csv, column: clinic, ids: [north, south, east]}
                split: {test_fraction: 0.3, seed: 7}
                """);
        return definition;
    }

    private static SimulationConfig config(Path definition, String model) {
        return ConfigLoader.parse("dataset: " + definition + "\nrounds: 8\nlocal_epochs: 2\nbatch_size: 64\n"
                + "lr: 0.1\nmodel: " + model + "\n", "test", Map.of());
    }

    @Test
    void coxModelReportsACIndexPerSiteAndPooledThatMatchesABruteForceCount(@TempDir Path dir) throws IOException {
        SimulationConfig cfg = config(writeCohort(dir), "{type: cox, loss: breslow}");
        FederatedDataset data = SimulationData.load(cfg, new DatasetRegistry(List.of()));
        assertEquals(LabelLayout.TIME_AND_EVENT, data.labelLayout());
        ComparisonReport report = new ComparisonExperiment(cfg, null).run(data);

        assertTrue(report.objective() instanceof Objective.Survival, report.objective().toString());
        assertEquals("cox_loss", PlanSettings.engineConfig(cfg, report.objective()).lossMetric());
        assertEquals(List.of("local", "federated", "centralized"), List.copyOf(report.regimes().keySet()));
        for (RegimeResult r : report.regimes().values()) {
            assertEquals(List.of("c_index", "cox_loss"), List.copyOf(r.pooled().keySet()), r.regime());
            assertEquals(data.siteIds(), List.copyOf(r.sites().keySet()), r.regime());
        }
        float[] beta = report.federated().finalModel().flat();
        assertEquals(3, beta.length, "one coefficient per column (marker, smoker, age), no intercept");
        RegimeResult federated = report.regimes().get("federated");
        for (SiteData site : data.sites()) {
            assertEquals(bruteForceCIndex(beta, site.test()), federated.sites().get(site.siteId()).get("c_index"),
                    1e-12, "federated C-index at " + site.siteId());
        }
        LabeledData pooled = data.pooledTest();
        assertEquals(bruteForceCIndex(beta, pooled), federated.pooled().get("c_index"), 1e-12, "pooled C-index");
        for (RegimeResult r : report.regimes().values()) {
            assertTrue(r.pooled().get("c_index") > 0.65, r.regime() + " ranks the patients: " + r.pooled());
        }
        assertTrue(beta[0] > 0, "a higher marker means a higher hazard: beta " + java.util.Arrays.toString(beta));
        assertTrue(ComparisonTable.render(report).contains("c_index"), ComparisonTable.render(report));
    }

    @Test
    void flambyBatchLossTrainsTooAndReproducesFromTheSeed(@TempDir Path dir) throws IOException {
        SimulationConfig cfg = config(writeCohort(dir), "{type: cox, loss: flamby_batch}");
        FederatedDataset data = SimulationData.load(cfg, new DatasetRegistry(List.of()));
        ComparisonReport a = new ComparisonExperiment(cfg, null).run(data);
        ComparisonReport b = new ComparisonExperiment(cfg, null).run(data);
        assertEquals(a.federated().finalModel(), b.federated().finalModel());
        assertTrue(a.regimes().get("federated").pooled().get("c_index") > 0.65, a.regimes().toString());
    }

    @Test
    void aDenseModelOnASurvivalLabelIsRefusedNamingCox(@TempDir Path dir) throws IOException {
        SimulationConfig cfg = config(writeCohort(dir), "{type: logistic}");
        FederatedDataset data = SimulationData.load(cfg, new DatasetRegistry(List.of()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ComparisonExperiment(cfg, null).run(data));
        assertEquals("model spec: type 'logistic' does not train on a survival label (a time and an event column);"
                + " use model type 'cox'", e.getMessage());
    }

    /**
     * Harrell's C-index over all ordered pairs: (i, j) counts when i is an event and j outlived it (a later time, or
     * the same time and censored); concordant when i's risk beta^T x is higher, half when equal. Risks in double.
     */
    private static double bruteForceCIndex(float[] beta, LabeledData data) {
        int n = data.rows();
        int d = data.cols();
        float[] risk = new float[n];
        for (int r = 0; r < n; r++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += (double) beta[j] * data.features()[r * d + j];
            }
            risk[r] = (float) s; // the model reports its predictions in float32, as every model does
        }
        float[] y = data.labels();
        double score = 0;
        long pairs = 0;
        for (int i = 0; i < n; i++) {
            if (y[2 * i + 1] != 1f) {
                continue;
            }
            for (int j = 0; j < n; j++) {
                boolean outlived = y[2 * j] > y[2 * i] || (y[2 * j] == y[2 * i] && y[2 * j + 1] == 0f);
                if (j == i || !outlived) {
                    continue;
                }
                pairs++;
                score += risk[i] > risk[j] ? 1 : risk[i] == risk[j] ? 0.5 : 0;
            }
        }
        return score / pairs;
    }
}
