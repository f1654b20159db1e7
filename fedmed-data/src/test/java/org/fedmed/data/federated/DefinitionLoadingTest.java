package org.fedmed.data.federated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.fedmed.data.DataFormatException;
import org.fedmed.data.TestData;
import org.fedmed.data.registry.ChecksumMismatchException;
import org.fedmed.data.registry.DatasetNotFoundException;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.data.registry.Sha256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A user's own definition, written here with its own column names and label, loaded from generated files. */
class DefinitionLoadingTest {

    private static final String COLUMNS = """
            columns:
              - {name: mrn, role: drop}
              - {name: bmi, type: numeric, missing: ["?"]}
              - {name: visits, type: integer}
              - {name: insured, type: binary, levels: [no, yes]}
              - {name: ward_type, type: categorical, levels: [icu, general]}
            label: {column: outcome, kind: binary, positive: [relapse], negative: [remission]}
            """;

    /** Rows with the columns above, seeded; every seventh bmi is '?', outcomes alternate. */
    private static List<String> rows(int n, long seed, String extraHeader, java.util.function.IntFunction<String> extra) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<String> lines = new ArrayList<>();
        lines.add("mrn,bmi,visits,insured,ward_type,outcome" + extraHeader);
        for (int i = 0; i < n; i++) {
            String bmi = i % 7 == 0 ? "?" : String.format("%.1f", 25 + 4 * rng.nextGaussian());
            lines.add("m" + i + "," + bmi + "," + rng.nextInt(10) + "," + (rng.nextBoolean() ? "yes" : "no") + ","
                    + (rng.nextBoolean() ? "icu" : "general") + "," + (i % 2 == 0 ? "relapse" : "remission")
                    + extra.apply(i));
        }
        return lines;
    }

    private static Path write(Path dir, String name, List<String> lines) {
        return TestData.write(dir, name, lines.toArray(new String[0]));
    }

    private static FederatedDataset load(Path def) {
        return FederatedDatasets.load(new DatasetRegistry(List.of()), DataOptions.defaults(def.toString()));
    }

    @Test
    void aSiteColumnAndASplitColumnMakeTheSitesAndTheirTestRowsAndEveryFileIsChecksummed(@TempDir Path dir) {
        Path data = write(dir.resolve("data"), "cohort.csv", rows(90, 1, ",hospital,set",
                i -> "," + (i % 3 == 0 ? "north" : i % 3 == 1 ? "south" : "east") + "," + (i % 5 == 0 ? "test" : "train")));
        Path def = TestData.write(dir.resolve("defs"), "cohort.yaml", "name: cohort\n" + COLUMNS
                + "sites: {file: ../data/cohort.csv, column: hospital}\n"
                + "split: {column: set, train: [train], test: [test]}");

        FederatedDataset fd = load(def);

        assertEquals("cohort", fd.name());
        assertEquals(List.of("north", "south", "east"), fd.siteIds());
        for (String site : fd.siteIds()) {
            assertEquals(30, fd.site(site).train().rows() + fd.site(site).test().rows(), site);
            assertEquals(6, fd.site(site).test().rows(), site + ": rows 0, 15, 30, ... of each site are test rows");
        }
        assertEquals(List.of("bmi", "visits", "insured", "ward_type=icu", "ward_type=general", "bmi_missing"),
                fd.featureNames());
        assertEquals(Map.of("../data/cohort.csv", Sha256.of(data), def.toString(), Sha256.of(def)), fd.checksums());
    }

    @Test
    void listedTestRowsAreExactlyTheTestRowsCountedInTheFileBeforeIncompleteRowsAreDropped(@TempDir Path dir) {
        write(dir, "a.csv", rows(20, 4, "", i -> ""));
        write(dir, "b.csv", rows(12, 5, "", i -> ""));
        Path def = TestData.write(dir, "listed.yaml", "name: listed\n" + COLUMNS
                + "sites: [{id: a, file: a.csv}, {id: b, file: b.csv}]\n"
                + "split:\n  test_rows:\n    a: [0, 3, 5, 19]\n    b: [1, 2]\n");

        FederatedDataset fd = load(def);

        assertEquals(4, fd.site("a").test().rows());
        assertEquals(16, fd.site("a").train().rows());
        assertEquals(2, fd.site("b").test().rows());
        assertEquals(10, fd.site("b").train().rows());
        // row 0 of each file has bmi '?' (every seventh row does), so its indicator is 1 among the test rows of a only
        int missing = fd.featureNames().indexOf("bmi_missing");
        float[] x = fd.site("a").test().features();
        int width = fd.featureNames().size();
        assertEquals(1f, x[missing], "a's first test row is its row 0, whose bmi is missing");
        assertEquals(0f, x[width + missing], "a's second test row is its row 3");
    }

    @Test
    void listedTestRowsBeyondTheFileOrForAnUnknownSiteAreNamedWithTheirKey(@TempDir Path dir) {
        write(dir, "a.csv", rows(10, 4, "", i -> ""));
        Path beyond = TestData.write(dir, "beyond.yaml", "name: beyond\n" + COLUMNS
                + "sites: [{id: a, file: a.csv}]\nsplit:\n  test_rows:\n    a: [1, 10]\n");
        var e = assertThrows(DataFormatException.class, () -> load(beyond));
        assertEquals(beyond + ": key 'split.test_rows.a' (line 12, column 8): lists row 10, but a.csv holds rows 0..9 of"
                + " site 'a'", e.getMessage());

        Path unknown = TestData.write(dir, "unknown.yaml", "name: unknown\n" + COLUMNS
                + "sites: [{id: a, file: a.csv}]\nsplit:\n  test_rows:\n    a: [1]\n    z: [2]\n");
        var u = assertThrows(DataFormatException.class, () -> load(unknown));
        assertTrue(u.getMessage().startsWith(unknown + ": key 'split.test_rows' (line 12, column 5): split.test_rows"
                + " lists site 'z', which is not one of the sites [a]"), u.getMessage());
    }

    @Test
    void aSiteColumnSiteWithoutListedTestRowsIsNamedWithItsFileLineAndColumn(@TempDir Path dir) {
        write(dir, "all.csv", rows(6, 7, ",ward", i -> "," + (i < 3 ? "north" : "south")));
        Path def = TestData.write(dir, "ward.yaml", "name: ward\n" + COLUMNS
                + "sites: {file: all.csv, column: ward}\nsplit:\n  test_rows:\n    north: [0]\n");
        var e = assertThrows(DataFormatException.class, () -> load(def));
        assertTrue(e.getMessage().contains("line 5") && e.getMessage().contains("'ward'")
                && e.getMessage().contains("site 'south' has no list under split.test_rows"), e.getMessage());
    }

    @Test
    void aDataFolderReadsFilesFromTheDataRootsInsteadOfTheDefinitionsFolder(@TempDir Path dir) {
        Path data = write(dir.resolve("roots").resolve("shared-cohort"), "a.csv", rows(30, 6, "", i -> ""));
        Path def = TestData.write(dir.resolve("defs"), "own.yaml", "name: own\ndata_folder: shared-cohort\n" + COLUMNS
                + "sites: [{id: a, file: a.csv}]\n");

        FederatedDataset fd = FederatedDatasets.load(new DatasetRegistry(List.of(dir.resolve("roots"))),
                DataOptions.defaults(def.toString()));

        assertEquals(30, fd.site("a").train().rows() + fd.site("a").test().rows());
        assertEquals(Sha256.of(data), fd.checksums().get("a.csv"));
    }

    @Test
    void separateTrainAndTestFilesAreTakenAsGiven(@TempDir Path dir) {
        write(dir, "a-train.csv", rows(40, 2, "", i -> ""));
        write(dir, "a-test.csv", rows(11, 3, "", i -> ""));
        write(dir, "b-train.csv", rows(24, 4, "", i -> ""));
        write(dir, "b-test.csv", rows(7, 5, "", i -> ""));
        Path def = TestData.write(dir, "split.yaml", "name: split\n" + COLUMNS + "sites:\n"
                + "  - {id: a, train: a-train.csv, test: a-test.csv}\n  - {id: b, train: b-train.csv, test: b-test.csv}");

        FederatedDataset fd = load(def);

        assertEquals(40, fd.site("a").train().rows());
        assertEquals(11, fd.site("a").test().rows());
        assertEquals(24, fd.site("b").train().rows());
        assertEquals(7, fd.site("b").test().rows());
        assertEquals(List.of("a-train.csv", "a-test.csv", "b-train.csv", "b-test.csv", def.toString()),
                List.copyOf(fd.checksums().keySet()));
    }

    @Test
    void aFractionAndSeedInTheDefinitionFixTheSplit(@TempDir Path dir) {
        write(dir, "a.csv", rows(100, 6, "", i -> ""));
        Path def = TestData.write(dir, "f.yaml", "name: f\n" + COLUMNS + "sites: [{id: a, file: a.csv}]\n"
                + "split: {test_fraction: 0.34, seed: 9}");
        FederatedDataset first = load(def);
        assertEquals(34, first.site("a").test().rows(), "17 of 50 per class");
        FederatedDataset otherRunSeed = FederatedDatasets.load(new DatasetRegistry(List.of()),
                DataOptions.defaults(def.toString()).withSeed(1234).withTestFraction(0.1));
        assertEquals(34, otherRunSeed.site("a").test().rows());
        assertTrue(java.util.Arrays.equals(first.site("a").test().labels(), otherRunSeed.site("a").test().labels()));
    }

    @Test
    void aLabelRuleThatMatchesNoRowNamesTheDefinitionLineAndKey(@TempDir Path dir) {
        write(dir, "a.csv", rows(20, 7, "", i -> ""));
        Path def = TestData.write(dir, "l.yaml", "name: l\n" + COLUMNS.replace("positive: [relapse]", "positive: [relapsed]")
                .replace(", negative: [remission]", "") + "sites: [{id: a, file: a.csv}]");
        DataFormatException e = assertThrows(DataFormatException.class, () -> load(def));
        assertEquals(def + ": key 'label.positive' (line 8, column 50): the label rule matches no row of class"
                + " 'relapsed' in any file (binary: positive when outcome is one of [relapsed], negative otherwise;"
                + " rows per class [20, 0])", e.getMessage());
    }

    @Test
    void aSplitThatLeavesASiteWithNoTestRowsNamesTheSplitKeyAndTheSite(@TempDir Path dir) {
        write(dir, "all.csv", rows(20, 8, ",site,part", i -> "," + (i < 10 ? "x" : "y") + "," + (i < 10 && i % 2 == 0
                ? "holdout" : "fit")));
        Path def = TestData.write(dir, "s.yaml", "name: s\n" + COLUMNS + "sites: {file: all.csv, column: site}\n"
                + "split: {column: part, train: [fit], test: [holdout]}");
        DataFormatException e = assertThrows(DataFormatException.class, () -> load(def));
        assertEquals(def + ": key 'split.test' (line 10, column 43): the split leaves site 'y' with no test rows: no row of"
                + " site 'y' has a test value [holdout] in column 'part'", e.getMessage());
    }

    @Test
    void aCellThatDoesNotFitNamesFileLineAndColumn(@TempDir Path dir) {
        List<String> lines = rows(10, 9, "", i -> "");
        lines.set(4, lines.get(4).replaceFirst(",\\d,", ",2.5,"));
        write(dir, "a.csv", lines);
        Path def = TestData.write(dir, "c.yaml", "name: c\n" + COLUMNS + "sites: [{id: a, file: a.csv}]");
        DataFormatException e = assertThrows(DataFormatException.class, () -> load(def));
        assertEquals("a.csv line 5, column 'visits': value '2.5' is not a whole number; the column is declared integer",
                e.getMessage());
        lines.set(4, lines.get(4).replace(",2.5,", ",3,").replace(",yes,", ",maybe,").replace(",no,", ",maybe,"));
        write(dir, "a.csv", lines);
        e = assertThrows(DataFormatException.class, () -> load(def));
        assertEquals("a.csv line 5, column 'insured': value 'maybe' is not one of the declared levels [no, yes]", e.getMessage());
    }

    @Test
    void aChecksumTheDefinitionGivesIsVerifiedAndAMissingFileIsNamedWithItsKey(@TempDir Path dir) {
        write(dir, "a.csv", rows(10, 10, "", i -> ""));
        Path def = TestData.write(dir, "k.yaml", "name: k\n" + COLUMNS + "sites: [{id: a, file: a.csv, sha256: "
                + "0".repeat(64) + "}]");
        ChecksumMismatchException bad = assertThrows(ChecksumMismatchException.class, () -> load(def));
        assertEquals(dir.resolve("a.csv"), bad.file());
        Path gone = TestData.write(dir, "g.yaml", "name: g\n" + COLUMNS + "sites: [{id: a, file: gone.csv}]");
        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class, () -> load(gone));
        assertEquals(gone + ": key 'sites[0].file' (line 9, column 23): file 'gone.csv' not found at " + dir.resolve("gone.csv")
                + " (relative paths are read from the definition's folder)", e.getMessage());
    }

    @Test
    void aSurvivalDefinitionLoadsEachRowsTimeAndEventFlagAndRefusesAnUnknownEventValue(@TempDir Path dir) {
        List<String> csv = new java.util.ArrayList<>(List.of("x,days,died"));
        for (int i = 0; i < 12; i++) {
            csv.add(i + "," + (10 * (i + 1)) + "," + (i % 3 == 0 ? "yes" : "no"));
        }
        write(dir, "s.csv", csv);
        Path def = TestData.write(dir, "surv.yaml", "name: surv\ncolumns: [{name: x, type: numeric}]\n"
                + "label: {kind: survival, time: days, event: died, event_values: [yes], censored_values: [no]}\n"
                + "sites: [{id: a, file: s.csv}]");
        FederatedDataset fd = load(def);
        assertEquals(org.fedmed.core.objective.LabelLayout.TIME_AND_EVENT, fd.labelLayout());
        org.fedmed.core.LabeledData all = org.fedmed.core.LabeledData.concat(List.of(fd.sites().getFirst().train(),
                fd.sites().getFirst().test()));
        assertEquals(12, all.rows());
        assertEquals(24, all.labels().length, "a time and an event flag per row");
        double events = 0;
        double times = 0;
        for (int r = 0; r < all.rows(); r++) {
            times += all.labels()[2 * r];
            events += all.labels()[2 * r + 1];
        }
        assertEquals(4, events, "rows 0, 3, 6 and 9 died");
        assertEquals(780, times, "10 + 20 + ... + 120, whatever the split");
        org.fedmed.core.LabeledData test = fd.sites().getFirst().test();
        assertEquals(3, test.rows(), "a quarter of the 8 censored rows and of the 4 events, each rounded");
        assertEquals(1f, test.labels()[1] + test.labels()[3] + test.labels()[5], "the split is stratified by event");
        SiteData tuning = fd.validationSplit(0.5, 3).sites().getFirst();
        assertEquals(fd.sites().getFirst().train().rows(), tuning.train().rows() + tuning.test().rows(),
                "a validation split carves the training rows, two label values each");
        assertEquals(org.fedmed.core.objective.LabelLayout.TIME_AND_EVENT, tuning.test().layout());

        write(dir, "s.csv", List.of("x,days,died", "1,10,yes", "2,20,maybe"));
        DataFormatException e = assertThrows(DataFormatException.class, () -> load(def));
        assertTrue(e.getMessage().contains("s.csv line 3, column 'died'"), e.getMessage());
        assertTrue(e.getMessage().contains("value 'maybe' is neither an event value [yes] nor a censored value [no]"),
                e.getMessage());
    }
}
