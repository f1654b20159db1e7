package org.fedmed.deploy.site;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fedmed.core.LabeledData;
import org.fedmed.data.TestData;
import org.fedmed.data.definition.SiteLayout;
import org.fedmed.data.federated.FederatedDataset;
import org.fedmed.data.federated.FederatedDatasets;
import org.fedmed.data.federated.SiteData;
import org.fedmed.data.prep.MissingPolicy;
import org.fedmed.data.registry.BuiltInDatasets;
import org.fedmed.data.registry.ChecksumMismatchException;
import org.fedmed.data.registry.DatasetRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A site loads its own data alone exactly as the simulation prepares that site, and names site and file on errors. */
class SiteDataLoaderTest {

    static final String HEART = BuiltInDatasets.HEART_DISEASE;

    @TempDir
    Path dir;

    static DatasetRegistry heartDiseaseRegistry() {
        return TestData.requireDataset(HEART);
    }

    static DataSettings settings(Path csv, MissingPolicy missing, boolean standardize, long seed) {
        return new DataSettings(HEART, csv, 0.25, missing, standardize, seed);
    }

    @ParameterizedTest
    @CsvSource({"cleveland, MEAN, true, 42", "hungary, MEAN, true, 42", "switzerland, MEDIAN, true, 7",
            "cleveland, MEDIAN, false, 3", "va, MEAN, true, 42"})
    void siteLoadedAloneMatchesTheSimulationBitForBit(String siteId, MissingPolicy missing, boolean standardize,
                                                      long seed) {
        DatasetRegistry registry = heartDiseaseRegistry();
        DataSettings settings = settings(null, missing, standardize, seed);
        FederatedDataset simulated = FederatedDatasets.load(registry, settings.options().withSites(4));

        LocalData local = SiteDataLoader.load(settings, siteId, registry);

        SiteData expected = simulated.site(siteId);
        assertEquals(siteId, local.siteId());
        assertSame(expected.train(), local.site().train());
        assertSame(expected.test(), local.site().test());
        assertEquals(expected.quality(), local.site().quality());
        assertEquals(simulated.featureNames(), local.featureNames());
        assertEquals(simulated.classes(), local.classes());
        String file = ((SiteLayout.FilePerSite) registry.entry(HEART).sites()).sites().stream()
                .filter(s -> s.id().equals(siteId)).findFirst().orElseThrow().file().path();
        assertEquals(registry.resolve(HEART).file(file).toString(), local.source());
    }

    static void assertSame(LabeledData expected, LabeledData actual) {
        assertEquals(expected.rows(), actual.rows());
        assertEquals(expected.cols(), actual.cols());
        assertEquals(expected.classes(), actual.classes());
        assertEquals(expected.featureNames(), actual.featureNames());
        assertArrayEquals(expected.features(), actual.features());
        assertArrayEquals(expected.labels(), actual.labels());
    }

    @Test
    void configuredCsvIsReadInsteadOfTheRegistryFile() {
        DatasetRegistry registry = heartDiseaseRegistry();
        Path cleveland = registry.resolve(HEART).file("cleveland.csv");
        DataSettings explicit = settings(cleveland, MissingPolicy.MEAN, true, 42);
        LocalData fromFile = SiteDataLoader.load(explicit, "cleveland", new DatasetRegistry(List.of(dir)));
        LocalData fromRegistry = SiteDataLoader.load(settings(null, MissingPolicy.MEAN, true, 42), "cleveland", registry);
        assertSame(fromRegistry.site().train(), fromFile.site().train());
        assertEquals(cleveland.toString(), fromFile.source());
    }

    @Test
    void missingFileIsNamedWithTheSite() {
        Path csv = dir.resolve("absent.csv");
        var e = assertThrows(IllegalArgumentException.class, () -> SiteDataLoader.load(
                settings(csv, MissingPolicy.MEAN, true, 42), "cleveland", new DatasetRegistry(List.of(dir))));
        assertTrue(e.getMessage().contains("site 'cleveland'") && e.getMessage().contains(csv.toString()), e.getMessage());
        assertTrue(e.getMessage().endsWith("does not exist (key 'data.csv' in its site config)"), e.getMessage());
    }

    @Test
    void anUnknownDatasetIsNamedWithItsKey() {
        var e = assertThrows(IllegalArgumentException.class, () -> SiteDataLoader.load(new DataSettings(
                "heart-diseases", null, 0.25, MissingPolicy.MEAN, true, 42), "cleveland", heartDiseaseRegistry()));
        assertTrue(e.getMessage().startsWith("site 'cleveland': key 'data.dataset' in its site config: unknown dataset"
                + " 'heart-diseases'; known datasets: "), e.getMessage());
    }

    @Test
    void wrongColumnsAreNamedWithTheSiteAndTheFile() throws IOException {
        Path csv = dir.resolve("mine.csv");
        Files.writeString(csv, "age,weight,num\n63,80,1\n");
        var e = assertThrows(IllegalArgumentException.class, () -> SiteDataLoader.load(
                settings(csv, MissingPolicy.MEAN, true, 42), "st-mary", new DatasetRegistry(List.of(dir))));
        assertTrue(e.getMessage().contains("site 'st-mary'") && e.getMessage().contains(csv.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("weight"), e.getMessage());
    }

    @Test
    void siteThatIsNoNaturalSiteNeedsItsOwnCsv() {
        var e = assertThrows(IllegalArgumentException.class, () -> SiteDataLoader.load(
                settings(null, MissingPolicy.MEAN, true, 42), "st-mary", new DatasetRegistry(List.of(dir))));
        assertTrue(e.getMessage().contains("site 'st-mary' is not a natural site") && e.getMessage().contains("cleveland")
                && e.getMessage().contains("data.csv"), e.getMessage());
    }

    @Test
    void partitionedDatasetNeedsTheSitesOwnCsv() {
        DataSettings pima = new DataSettings(BuiltInDatasets.PIMA_DIABETES, null, 0.25, MissingPolicy.MEAN, true, 42);
        var e = assertThrows(IllegalArgumentException.class,
                () -> SiteDataLoader.load(pima, "site-0", new DatasetRegistry(List.of(dir))));
        assertTrue(e.getMessage().contains("has no natural sites") && e.getMessage().contains("data.csv"), e.getMessage());
    }

    @Test
    void naturalSiteFileAbsentFromTheRegistryIsNamedWithWhereItWasSought() {
        var e = assertThrows(IllegalArgumentException.class, () -> SiteDataLoader.load(
                settings(null, MissingPolicy.MEAN, true, 42), "hungary", new DatasetRegistry(List.of(dir))));
        assertTrue(e.getMessage().contains("site 'hungary'") && e.getMessage().contains("hungarian.csv")
                && e.getMessage().contains(dir.toString()), e.getMessage());
    }

    @Test
    void naturalSiteFileWithAWrongChecksumIsRefused() throws IOException {
        Path fake = dir.resolve(HEART).resolve("va.csv");
        Files.createDirectories(fake.getParent());
        Files.writeString(fake, "not the registered file\n");
        var e = assertThrows(ChecksumMismatchException.class, () -> SiteDataLoader.load(
                settings(null, MissingPolicy.MEAN, true, 42), "va", new DatasetRegistry(List.of(dir))));
        assertEquals(fake, e.file());
    }

    @Test
    void aSiteWhoseSplitsAreBelowMinRowsIsRefusedAtLoadNamingBothCounts() throws IOException {
        DatasetRegistry registry = heartDiseaseRegistry();
        Path full = Path.of(System.getenv("FEDMED_DATA"), HEART, "cleveland.csv");
        List<String> lines = Files.readAllLines(full);
        Path tiny = dir.resolve("tiny.csv");
        Files.write(tiny, lines.subList(0, 1 + 12));
        var entry = registry.entry(HEART);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SiteDataLoader.load(entry,
                "tiny", tiny, new DataSettings(HEART, tiny, 0.25, MissingPolicy.MEAN, true, 42, 10)));
        assertTrue(e.getMessage().startsWith("site 'tiny', data file " + tiny + ": 9 training and 3 test rows;"),
                e.getMessage());
        assertTrue(e.getMessage().contains("at least data.min_rows 10 rows"), e.getMessage());
        IllegalArgumentException k = assertThrows(IllegalArgumentException.class, () -> SiteDataLoader.load(entry,
                "tiny", tiny, new DataSettings(HEART, tiny, 0.25, MissingPolicy.MEAN, true, 42, 3)));
        assertTrue(k.getMessage().contains("9 training and 3 test rows; the site's data.k 5 forbids releasing any"
                + " count below it"), k.getMessage());
        LocalData allowed = SiteDataLoader.load(entry, "tiny", tiny, new DataSettings(HEART, tiny, 0.25,
                MissingPolicy.MEAN, true, 42, 3, org.fedmed.data.prep.ConstantFill.NONE, org.fedmed.data.prep.OneHot.FULL,
                org.fedmed.data.prep.StandardDeviation.POPULATION, org.fedmed.data.prep.Clipping.NONE, null, null,
                org.fedmed.data.prep.StatsMode.PER_SITE, false, 3));
        assertEquals(3, allowed.site().test().rows());
    }

    /** Two sites of a definition written here, with their own column names; every fifth {@code score} is {@code ?}. */
    private Path ownDefinition() {
        for (String site : List.of("a", "b")) {
            List<String> lines = new java.util.ArrayList<>(List.of("score,arm,response"));
            java.util.SplittableRandom rng = new java.util.SplittableRandom(site.hashCode());
            for (int i = 0; i < 60; i++) {
                lines.add((i % 5 == 0 ? "?" : String.valueOf(rng.nextInt(100))) + "," + (rng.nextBoolean() ? "drug" : "placebo")
                        + "," + (i % 3 == 0 ? "yes" : "no"));
            }
            TestData.write(dir.resolve("files"), site + ".csv", lines.toArray(new String[0]));
        }
        return TestData.write(dir, "trial.yaml", "name: trial",
                "columns: [{name: score, type: integer, missing: [\"?\"]}, {name: arm, type: categorical, levels: [drug, placebo]}]",
                "label: {column: response, kind: binary, positive: [yes], negative: [no]}",
                "sites: [{id: a, file: files/a.csv}, {id: b, file: files/b.csv}]");
    }

    @Test
    void aSiteReadsItsRowsThroughADefinitionFileExactlyAsTheSimulationPreparesThatSite() {
        Path def = ownDefinition();
        DataSettings settings = new DataSettings(def, "b", null, 0.25, MissingPolicy.MEAN, true, 42, 3);
        LocalData local = SiteDataLoader.load(settings, "hospital-b", new DatasetRegistry(List.of()));
        FederatedDataset simulated = FederatedDatasets.load(new DatasetRegistry(List.of()), settings.options());
        assertEquals("hospital-b", local.siteId());
        assertSame(simulated.site("b").train(), local.site().train());
        assertSame(simulated.site("b").test(), local.site().test());
        assertEquals(List.of("score", "arm=drug", "arm=placebo"), local.featureNames());
        assertEquals(dir.resolve("files/b.csv").toString(), local.source());
    }

    @Test
    void aSiteFileThatDoesNotFitItsDefinitionStopsTheSiteNamingFileLineAndColumn() throws IOException {
        Path def = ownDefinition();
        Path own = dir.resolve("own.csv");
        Files.writeString(own, "score,arm,response\n10,drug,yes\n11,placbo,no\n");
        DataSettings settings = new DataSettings(def, null, own, 0.25, MissingPolicy.MEAN, true, 42, 1);
        var e = assertThrows(IllegalArgumentException.class, () -> SiteDataLoader.load(settings, "c", new DatasetRegistry(List.of())));
        assertTrue(e.getMessage().endsWith("own.csv line 3, column 'arm': value 'placbo' is not one of the declared levels"
                + " [drug, placebo]"), e.getMessage());
    }
}
