package org.fedmed.deploy.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.fedmed.data.prep.MissingPolicy;
import org.fedmed.ml.ModelSpec;
import org.fedmed.transport.TaskKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A site config file is read with its defaults, and every mistake in it is named with the file and the key. */
class SiteConfigTest {

    @TempDir
    Path dir;

    static final String MINIMAL = """
            kit: ../federation/sites/cleveland
            data:
              dataset: heart-disease
            allow:
              strategies: [fedavg]
              model_specs:
                - {type: logistic}
            """;

    Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    @Test
    void minimalConfigGetsTheDocumentedDefaults() throws IOException {
        SiteConfig c = SiteConfig.load(write("site/site.yaml", MINIMAL));
        assertEquals("heart-disease", c.data().dataset());
        assertTrue(c.data().csvFile().isEmpty());
        assertEquals(0.25, c.data().testFraction());
        assertEquals(MissingPolicy.MEAN, c.data().missing());
        assertTrue(c.data().standardize());
        assertEquals(42L, c.data().seed());
        assertEquals(Set.of(TaskKind.FIT, TaskKind.EVALUATE), c.allow().tasks());
        assertEquals(List.of("fedavg"), c.allow().strategies());
        assertEquals(List.of(ModelSpec.logistic()), c.allow().modelSpecs());
        assertEquals(100, c.allow().maxLocalEpochs());
        assertEquals(10_000_000L, c.allow().maxParameters());
        assertEquals(dir.resolve("site/audit.jsonl").toAbsolutePath(), c.auditLog());
    }

    @Test
    void aDefinitionFileAndItsSiteTakeThePlaceOfARegisteredDataset() throws IOException {
        SiteConfig c = SiteConfig.load(write("site/site.yaml", MINIMAL.replace("dataset: heart-disease",
                "definition: ../defs/trial.yaml\n  site: b")));
        assertEquals(dir.resolve("defs/trial.yaml").toAbsolutePath().normalize(), c.data().definition());
        assertEquals("b", c.data().site());
        assertEquals(null, c.data().dataset());
        var both = assertThrows(IllegalArgumentException.class, () -> SiteConfig.load(write("site/both.yaml",
                MINIMAL.replace("dataset: heart-disease", "dataset: heart-disease\n  definition: d.yaml"))));
        assertTrue(both.getMessage().contains("exactly one of 'dataset'") && both.getMessage().contains("both.yaml"),
                both.getMessage());
    }

    @Test
    void relativePathsResolveAgainstTheConfigFilesDirectory() throws IOException {
        SiteConfig c = SiteConfig.load(write("hospital/conf/site.yaml", """
                kit: ../kit
                data: {dataset: heart-disease, csv: data/cleveland.csv}
                allow: {strategies: [fedavg], model_specs: [{type: logistic}]}
                audit_log: audit/site-audit.jsonl
                """));
        Path conf = dir.resolve("hospital/conf").toAbsolutePath();
        assertEquals(dir.resolve("hospital/kit").toAbsolutePath(), c.kit());
        assertEquals(conf.resolve("data/cleveland.csv"), c.data().csv());
        assertEquals(conf.resolve("audit/site-audit.jsonl"), c.auditLog());
    }

    @Test
    void absolutePathsAreKept() throws IOException {
        Path kit = dir.resolve("elsewhere/kit").toAbsolutePath();
        SiteConfig c = SiteConfig.load(write("site.yaml", MINIMAL.replace("../federation/sites/cleveland", kit.toString())));
        assertEquals(kit, c.kit());
    }

    @Test
    void everyKeyIsRead() throws IOException {
        SiteConfig c = SiteConfig.load(write("site.yaml", """
                kit: kit
                data:
                  dataset: heart-disease
                  csv: cleveland.csv
                  test_fraction: 0.3
                  missing: median
                  standardize: false
                  seed: 7
                allow:
                  tasks: [evaluate]
                  strategies: [fedavg, uniform]
                  model_specs:
                    - {type: logistic}
                    - {type: mlp, hidden: [8], optimizer: {type: adam}}
                  max_local_epochs: 20
                  max_parameters: 5000
                audit_log: a.jsonl
                """));
        assertEquals(0.3, c.data().testFraction());
        assertEquals(MissingPolicy.MEDIAN, c.data().missing());
        assertFalse(c.data().standardize());
        assertEquals(7L, c.data().seed());
        assertEquals(Set.of(TaskKind.EVALUATE), c.allow().tasks());
        assertEquals(List.of("fedavg", "uniform"), c.allow().strategies());
        assertEquals(ModelSpec.parse("type: mlp\nhidden: [8]\noptimizer: {type: adam}"), c.allow().modelSpecs().get(1));
        assertEquals(20, c.allow().maxLocalEpochs());
        assertEquals(5000L, c.allow().maxParameters());
    }

    @Test
    void unknownKeyIsNamedWithTheFileAndTheKnownKeys() throws IOException {
        Path file = write("site.yaml", MINIMAL + "  max_epochs: 3\n");
        var e = assertThrows(IllegalArgumentException.class, () -> SiteConfig.load(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("unknown key 'allow.max_epochs'"), e.getMessage());
        assertTrue(e.getMessage().contains("max_local_epochs") && e.getMessage().contains("model_specs"), e.getMessage());
    }

    @Test
    void unknownTopLevelKeyListsTheTopLevelKeys() throws IOException {
        Path file = write("site.yaml", MINIMAL + "server: localhost:9000\n");
        var e = assertThrows(IllegalArgumentException.class, () -> SiteConfig.load(file));
        assertTrue(e.getMessage().contains("unknown key 'server'"), e.getMessage());
        assertTrue(e.getMessage().contains("audit_log, data, kit"), e.getMessage());
    }

    @Test
    void missingStrategiesIsNamed() throws IOException {
        Path file = write("site.yaml", MINIMAL.replace("  strategies: [fedavg]\n", ""));
        var e = assertThrows(IllegalArgumentException.class, () -> SiteConfig.load(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("missing required key 'allow.strategies'"), e.getMessage());
    }

    @Test
    void emptyStrategiesIsRefused() throws IOException {
        Path file = write("site.yaml", MINIMAL.replace("[fedavg]", "[]"));
        var e = assertThrows(IllegalArgumentException.class, () -> SiteConfig.load(file));
        assertTrue(e.getMessage().contains("allow.strategies must list at least one strategy"), e.getMessage());
    }

    @Test
    void missingKitAndDatasetAreNamed() throws IOException {
        var noKit = assertThrows(IllegalArgumentException.class,
                () -> SiteConfig.load(write("a.yaml", MINIMAL.replace("kit: ../federation/sites/cleveland\n", ""))));
        assertTrue(noKit.getMessage().contains("missing required key 'kit'"), noKit.getMessage());
        var noDataset = assertThrows(IllegalArgumentException.class,
                () -> SiteConfig.load(write("b.yaml", MINIMAL.replace("  dataset: heart-disease\n", "  seed: 1\n"))));
        assertTrue(noDataset.getMessage().contains("missing required key 'data.dataset'"), noDataset.getMessage());
    }

    @Test
    void badModelSpecIsNamedByItsIndex() throws IOException {
        Path file = write("site.yaml", MINIMAL + "    - {type: mlp, hidden: [8], wings: 2}\n");
        var e = assertThrows(IllegalArgumentException.class, () -> SiteConfig.load(file));
        assertTrue(e.getMessage().contains("allow.model_specs[1]") && e.getMessage().contains("wings"), e.getMessage());
    }

    @Test
    void outOfRangeAndUnknownValuesAreNamed() throws IOException {
        var fraction = assertThrows(IllegalArgumentException.class, () -> SiteConfig.load(write("a.yaml",
                MINIMAL.replace("dataset: heart-disease", "dataset: heart-disease\n  test_fraction: 1.0"))));
        assertTrue(fraction.getMessage().contains("data.test_fraction must lie in (0, 1)"), fraction.getMessage());
        var missing = assertThrows(IllegalArgumentException.class, () -> SiteConfig.load(write("b.yaml",
                MINIMAL.replace("dataset: heart-disease", "dataset: heart-disease\n  missing: zero"))));
        assertTrue(missing.getMessage().contains("data.missing: unknown policy 'zero'"), missing.getMessage());
        var task = assertThrows(IllegalArgumentException.class, () -> SiteConfig.load(write("c.yaml",
                MINIMAL.replace("allow:\n", "allow:\n  tasks: [fit, predict]\n"))));
        assertTrue(task.getMessage().contains("unknown task kind 'predict'"), task.getMessage());
        // each names where the value is, as a binding error would
        assertTrue(fraction.getMessage().endsWith("(line 4, column 18)"), fraction.getMessage());
        assertTrue(missing.getMessage().endsWith("(line 4, column 12)"), missing.getMessage());
        assertTrue(task.getMessage().endsWith("(line 5, column 10)"), task.getMessage());
    }

    @Test
    void preprocessingKeysOfTheDataSectionAreReadAndABadOneIsNamed() throws IOException {
        SiteConfig c = SiteConfig.load(write("p.yaml", MINIMAL.replace("dataset: heart-disease", "dataset: heart-disease\n"
                + "  missing: constant\n  fill: {\"*\": 0, chol: 200}\n  one_hot: drop_first\n  sd: unbiased\n"
                + "  clip_quantiles: [0.01, 0.99]")));
        var o = c.data().options().preprocessing();
        assertEquals(org.fedmed.data.prep.MissingPolicy.CONSTANT, o.missing());
        assertEquals(200.0, o.fill().valueFor("chol").getAsDouble());
        assertEquals(0.0, o.fill().valueFor("age").getAsDouble());
        assertEquals(org.fedmed.data.prep.OneHot.DROP_FIRST, o.oneHot());
        assertEquals(org.fedmed.data.prep.StandardDeviation.UNBIASED, o.sd());
        assertEquals(new org.fedmed.data.prep.Clipping.AtQuantiles(0.01, 0.99), o.clip());
        assertEquals(org.fedmed.data.prep.StatsMode.FEDERATED, o.stats(), "the simulation's default");
        assertTrue(o.indicators(), "the simulation's default");
        assertEquals(5, c.data().minCell());
        SiteConfig own = SiteConfig.load(write("o.yaml", MINIMAL.replace("dataset: heart-disease", "dataset: heart-disease\n"
                + "  stats: per_site\n  missing_indicators: false\n  k: 11")));
        assertEquals(org.fedmed.data.prep.StatsMode.PER_SITE, own.data().options().preprocessing().stats());
        assertFalse(own.data().needsMergedStatistics());
        assertEquals(11, own.data().minCell());
        var stats = assertThrows(IllegalArgumentException.class, () -> SiteConfig.load(write("s.yaml",
                MINIMAL.replace("dataset: heart-disease", "dataset: heart-disease\n  stats: pooled"))));
        assertTrue(stats.getMessage().contains("data.stats: unknown value 'pooled' (known: federated, per_site)"),
                stats.getMessage());
        var sd = assertThrows(IllegalArgumentException.class, () -> SiteConfig.load(write("q.yaml",
                MINIMAL.replace("dataset: heart-disease", "dataset: heart-disease\n  sd: sample"))));
        assertTrue(sd.getMessage().contains("key 'data.sd': unknown value 'sample'"), sd.getMessage());
        var fill = assertThrows(IllegalArgumentException.class, () -> SiteConfig.load(write("r.yaml",
                MINIMAL.replace("dataset: heart-disease", "dataset: heart-disease\n  missing: constant"))));
        assertTrue(fill.getMessage().contains("key 'data.fill' gives no value"), fill.getMessage());
    }

    @Test
    void wrongTypeIsNamedWithTheKey() throws IOException {
        Path file = write("site.yaml", MINIMAL.replace("allow:\n", "allow:\n  max_local_epochs: many\n"));
        var e = assertThrows(IllegalArgumentException.class, () -> SiteConfig.load(file));
        assertTrue(e.getMessage().contains("key 'allow.max_local_epochs' expects an integer"), e.getMessage());
    }

    @Test
    void maxLocalStepsIsReadAndDefaultsToTenThousand() throws IOException {
        SiteConfig set = SiteConfig.load(write("site.yaml", MINIMAL.replace("allow:\n", "allow:\n  max_local_steps: 250\n")));
        assertEquals(250, set.allow().maxLocalSteps());
        assertEquals(10_000, SiteConfig.load(write("site2.yaml", MINIMAL)).allow().maxLocalSteps());
        var e = assertThrows(IllegalArgumentException.class, () -> SiteConfig.load(write("site3.yaml",
                MINIMAL.replace("allow:\n", "allow:\n  max_local_steps: 0\n"))));
        assertTrue(e.getMessage().contains("allow.max_local_steps must be >= 1, got 0"), e.getMessage());
    }

    @Test
    void maxProxMuIsReadAndDefaultsToOne() throws IOException {
        SiteConfig set = SiteConfig.load(write("site.yaml", MINIMAL.replace("allow:\n", "allow:\n  max_prox_mu: 0.1\n")));
        assertEquals(0.1, set.allow().maxProxMu());
        assertEquals(1.0, SiteConfig.load(write("site2.yaml", MINIMAL)).allow().maxProxMu());
        assertEquals(0.0, SiteConfig.load(write("site3.yaml",
                MINIMAL.replace("allow:\n", "allow:\n  max_prox_mu: 0\n"))).allow().maxProxMu());
        Path negative = write("site4.yaml", MINIMAL.replace("allow:\n", "allow:\n  max_prox_mu: -0.5\n"));
        var e = assertThrows(IllegalArgumentException.class, () -> SiteConfig.load(negative));
        assertTrue(e.getMessage().contains(negative.toString())
                && e.getMessage().contains("allow.max_prox_mu must be a finite number >= 0, got -0.5"), e.getMessage());
        var word = assertThrows(IllegalArgumentException.class, () -> SiteConfig.load(write("site5.yaml",
                MINIMAL.replace("allow:\n", "allow:\n  max_prox_mu: lots\n"))));
        assertTrue(word.getMessage().contains("allow.max_prox_mu"), word.getMessage());
    }

    @Test
    void personalizationCapsAreReadAndDefaultToDittoUpToTwoAndPersonalLayersAllowed() throws IOException {
        SiteConfig set = SiteConfig.load(write("site.yaml", MINIMAL.replace("allow:\n",
                "allow:\n  max_ditto_lambda: 0.5\n  personal_layers: false\n")));
        assertEquals(0.5, set.allow().maxDittoLambda());
        assertEquals(false, set.allow().personalLayers());
        SiteConfig defaults = SiteConfig.load(write("site2.yaml", MINIMAL));
        assertEquals(2.0, defaults.allow().maxDittoLambda());
        assertEquals(true, defaults.allow().personalLayers());
        Path negative = write("site3.yaml", MINIMAL.replace("allow:\n", "allow:\n  max_ditto_lambda: -1\n"));
        var e = assertThrows(IllegalArgumentException.class, () -> SiteConfig.load(negative));
        assertTrue(e.getMessage().contains(negative.toString())
                && e.getMessage().contains("allow.max_ditto_lambda must be a finite number >= 0, got -1.0"),
                e.getMessage());
        var word = assertThrows(IllegalArgumentException.class, () -> SiteConfig.load(write("site4.yaml",
                MINIMAL.replace("allow:\n", "allow:\n  personal_layers: maybe\n"))));
        assertTrue(word.getMessage().contains("personal_layers"), word.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        Path file = dir.resolve("nope.yaml");
        var e = assertThrows(IllegalArgumentException.class, () -> SiteConfig.load(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void unknownKeyIsReportedAtItsOwnLineNotTheNext() throws IOException {
        Path file = write("site.yaml", """
                kit: k
                data:
                  dataset: heart-disease
                  bogus: 1
                allow:
                  strategies: [fedavg]
                  model_specs:
                    - {type: logistic}
                """);
        var e = assertThrows(IllegalArgumentException.class, () -> SiteConfig.load(file));
        assertTrue(e.getMessage().startsWith(file + ": unknown key 'data.bogus' (line 4, column 3) (known keys: "),
                e.getMessage());
        Path top = write("top.yaml", "kit: k\nbogus: 1\n" + MINIMAL.substring(MINIMAL.indexOf("data:")));
        var e2 = assertThrows(IllegalArgumentException.class, () -> SiteConfig.load(top));
        assertTrue(e2.getMessage().startsWith(top + ": unknown key 'bogus' (line 2, column 1)"), e2.getMessage());
    }

    @Test
    void valueOfTheWrongTypeIsReportedAtTheValue() throws IOException {
        Path file = write("site.yaml", MINIMAL.replace("  strategies: [fedavg]", "  strategies: fedavg"));
        var e = assertThrows(IllegalArgumentException.class, () -> SiteConfig.load(file));
        assertEquals(file + ": key 'allow.strategies' expects a list (line 5, column 15)", e.getMessage());
    }

    @Test
    void syntaxErrorGivesTheLineAndColumnOfTheProblem() throws IOException {
        Path file = write("site.yaml", "kit: k\ndata:\n  dataset: heart-disease\n   bad: [\n");
        var e = assertThrows(IllegalArgumentException.class, () -> SiteConfig.load(file));
        assertEquals(file + ": not valid YAML at line 4, column 7: mapping values are not allowed here", e.getMessage());
    }
}
