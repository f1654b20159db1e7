package org.fedmed.data.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.fedmed.data.DataFormatException;
import org.fedmed.data.TestData;
import org.fedmed.data.partition.PartitionerKind;
import org.fedmed.data.schema.ColumnType;
import org.fedmed.data.schema.LabelKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefinitionReaderTest {

    private static final String WARD = """
            name: ward-7
            description: readmissions at three wards
            columns:
              - {name: pid, role: drop}
              - {name: age_years, type: integer}
              - {name: lactate, type: numeric, missing: ["?", "-1"]}
              - {name: smoker, type: binary, levels: [no, yes]}
              - {name: triage, type: categorical, levels: [green, yellow, red], missing_indicator: true}
            label: {column: readmitted, kind: binary, positive: [Y], negative: [N]}
            sites: {file: all.csv, sha256: %s, column: ward, ids: [north, south, east]}
            split: {column: cohort, train: [dev], test: [holdout]}
            """.formatted("ab".repeat(32));

    private static DatasetDefinition parse(String yaml) {
        return DefinitionReader.parse(yaml, "def.yaml", new FileBase.Folder(Path.of("defs")));
    }

    private static String error(String yaml) {
        return assertThrows(DataFormatException.class, () -> parse(yaml)).getMessage();
    }

    @Test
    void anImageDefinitionIsToldApartFromATabularOneNamingItsFormatKey() {
        assertEquals("def.yaml: key 'format' (line 2, column 9): makes this an image dataset definition, which a plan"
                + " with an image model (type cnn or resnet) trains and fedmed-imaging reads; a tabular definition has"
                + " 'columns' instead", error("name: xray\nformat: folder\ntrain: {folder: train}\n"));
    }

    @Test
    void readsColumnsLabelSiteColumnAndSplitColumn() {
        DatasetDefinition d = parse(WARD);
        assertEquals("ward-7", d.name());
        assertEquals(List.of("age_years", "lactate", "smoker", "triage"), d.schema().featureNames());
        assertEquals(List.of("pid", "ward", "cohort"), d.schema().ignore());
        assertEquals(ColumnType.INTEGER, d.columns().get(1).type());
        assertEquals(List.of("?", "-1"), d.columns().get(2).missing());
        assertEquals(List.of("no", "yes"), d.columns().get(3).levels());
        assertTrue(d.columns().get(4).missingIndicator());
        assertEquals(new LabelRule.BinaryValues("readmitted", List.of("Y"), List.of("N")), d.label());
        assertEquals(LabelKind.MAPPING, d.schema().label().kind());
        SiteLayout.SiteColumn sites = assertInstanceOf(SiteLayout.SiteColumn.class, d.sites());
        assertEquals("ward", sites.column());
        assertEquals(List.of("north", "south", "east"), sites.ids());
        assertEquals("ab".repeat(32), sites.file().sha256());
        assertEquals(new SplitRule.Column("cohort", List.of("dev"), List.of("holdout")), d.split());
        assertEquals(Path.of("defs").toAbsolutePath().normalize(), ((FileBase.Folder) d.base()).folder());
    }

    @Test
    void readsSeparateTrainAndTestFilesAndAPartitionAndAFractionSplit() {
        DatasetDefinition files = parse("""
                name: two
                columns: [{name: x, type: numeric}]
                label: {column: y, kind: continuous}
                sites:
                  - {id: a, train: a-train.csv, test: a-test.csv}
                  - {id: b, train: b-train.csv, test: b-test.csv, test_sha256: %s}
                """.formatted("0".repeat(64)));
        assertInstanceOf(SplitRule.Files.class, files.split());
        assertEquals(List.of("a-train.csv", "a-test.csv", "b-train.csv", "b-test.csv"),
                files.files().stream().map(FileRef::path).toList());
        assertEquals(List.of("sites", 1, "test"), files.files().get(3).key());
        DatasetDefinition part = parse("""
                name: one
                columns: [{name: x, type: numeric}]
                label: {column: y, kind: multiclass, levels: [a, b, c]}
                sites: {file: one.csv, partition: {kind: dirichlet, sites: 6, alpha: 0.3}}
                split: {test_fraction: 0.34, seed: 7}
                """);
        assertEquals(new SiteLayout.Partition(PartitionerKind.DIRICHLET, 6, 0.3),
                ((SiteLayout.Partitioned) part.sites()).partition());
        assertEquals(new SplitRule.Fraction(0.34, 7L), part.split());
        assertEquals(3, part.classes());
    }

    @Test
    void unknownKeyNamesFileLineColumnAndKey() {
        assertEquals("def.yaml: key 'columns[2].levls' (line 6, column 36): unknown key; known keys here: name, type,"
                + " levels, missing, role, missing_indicator", error(WARD.replace("missing: [\"?\", \"-1\"]", "levls: [a]")));
        assertEquals("def.yaml: key 'labell' (line 9, column 1): unknown key; known keys here: name, aliases,"
                + " description, licence, citation, url, data_folder, columns, label, sites, split", error(WARD.replace("label:", "labell:")));
    }

    @Test
    void columnTypeThatDoesNotParseNamesTheKeyAndTheKnownTypes() {
        String m = error(WARD.replace("type: integer", "type: nummeric"));
        assertTrue(m.startsWith("def.yaml: key 'columns[1].type' (line 5, column 29): unknown type 'nummeric'"), m);
        assertTrue(m.contains("numeric") && m.contains("categorical"), m);
    }

    @Test
    void levelThatDoesNotParseNamesTheLevel() {
        assertEquals("def.yaml: key 'columns[4].levels[1]' (line 8, column 55): expects a plain value (text or number),"
                + " got a list", error(WARD.replace("[green, yellow, red]", "[green, [yellow], red]")));
        assertEquals("def.yaml: key 'columns[3].levels' (line 7, column 42): feature 'smoker': field 'levels' of a binary"
                + " column must list exactly two values, got [no, yes, maybe]", error(WARD.replace("[no, yes]", "[no, yes, maybe]")));
        assertEquals("def.yaml: key 'columns[4].levels[2]' (line 8, column 63): value 'green' is listed twice",
                error(WARD.replace("[green, yellow, red]", "[green, yellow, green]")));
    }

    @Test
    void missingRequiredKeyAndWrongValueTypeAreNamed() {
        assertEquals("def.yaml: key 'label.column' (line 9, column 1): is required",
                error(WARD.replace("column: readmitted, ", "")));
        assertEquals("def.yaml: key 'split.test_fraction' (line 4, column 24): expects a number, got 'half'", error("""
                name: n
                columns: [{name: x, type: numeric}]
                label: {column: y, kind: continuous}
                split: {test_fraction: half}
                sites: {file: f.csv}
                """));
        assertEquals("def.yaml: key 'label.levels' (line 9, column 58): not allowed for label kind binary (keys for it:"
                + " column, kind, positive_above, positive, negative)", error(WARD.replace("negative: [N]", "levels: [N]")));
    }

    @Test
    void aKeyGivenTwiceIsRefusedWithItsLine() {
        String m = error(WARD.replace("name: ward-7\n", "name: ward-7\nname: ward-8\n"));
        assertTrue(m.startsWith("def.yaml: not valid YAML at line 2, column "), m);
        assertTrue(m.contains("Duplicate field 'name'"), m);
    }

    @Test
    void yamlSyntaxErrorNamesTheLine() {
        String m = error("name: x\ncolumns: [{name: a\nlabel: b\n");
        assertTrue(m.startsWith("def.yaml: not valid YAML at line "), m);
    }

    @Test
    void survivalLabelParsesWithItsEventColumnAsAKeyColumnAndTimeAndEventLayout() {
        DatasetDefinition d = parse("""
                name: surv
                columns: [{name: x, type: numeric}]
                label: {kind: survival, time: days, event: died, event_values: [yes], censored_values: [no]}
                sites: {file: s.csv}
                """);
        assertEquals(new LabelRule.Survival("days", "died", List.of("yes"), List.of("no")), d.label());
        assertEquals(List.of("died"), d.keyColumns());
        assertEquals(org.fedmed.core.objective.LabelLayout.TIME_AND_EVENT, d.labelLayout());
    }

    @Test
    void builtInDefinitionsReadTheirResourcesWithChecksums() {
        DatasetDefinition heart = DefinitionReader.fromResource("/org/fedmed/data/definitions/heart-disease.yaml");
        assertInstanceOf(FileBase.DataRoots.class, heart.base());
        assertEquals(List.of("age", "sex", "cp", "trestbps", "chol", "fbs", "restecg", "thalach", "exang", "oldpeak", "slope",
                "ca", "thal"), heart.schema().featureNames());
        assertEquals(List.of("0"), heart.columns().get(4).missing());
        assertEquals(new LabelRule.BinaryAbove("num", 0), heart.label());
        assertFalse(heart.files().stream().anyMatch(f -> f.sha256() == null), "every built-in file has its SHA-256");
    }

    @Test
    void relativeFilesOfADefinitionFileResolveAgainstItsFolder(@TempDir Path dir) {
        Path def = TestData.write(dir.resolve("sub"), "d.yaml", "name: d", "columns: [{name: x, type: numeric}]",
                "label: {column: y, kind: continuous}", "sites: [{id: a, file: ../data/a.csv}]");
        DatasetDefinition d = DefinitionReader.read(def);
        assertEquals(dir.resolve("sub").toAbsolutePath(), ((FileBase.Folder) d.base()).folder());
        assertEquals(def.toString(), d.source().name());
    }

    @Test
    void aSiteColumnFromALookupFileWithSitesGatheringSeveralValues() {
        DatasetDefinition d = parse("""
                name: joined
                columns: [{name: pid, role: drop}, {name: x, type: numeric}]
                label: {kind: survival, time: t, event: e}
                sites:
                  file: data.csv
                  column: fold2
                  ids: {north: [train_0, test_0], south: [train_1, test_1]}
                  lookup: {file: split.csv, key: pid}
                split: {column: fold, train: [train], test: [test]}
                """);
        SiteLayout.SiteColumn sites = (SiteLayout.SiteColumn) d.sites();
        assertEquals(List.of("north", "south"), sites.ids());
        assertEquals("south", sites.siteOf("test_1"));
        assertEquals(null, sites.siteOf("train_2"));
        assertEquals(new SiteLayout.Lookup(new FileRef("split.csv", null, List.of("sites", "lookup", "file")), "pid"),
                sites.lookup());
        assertEquals(List.of("data.csv", "split.csv"), d.files().stream().map(FileRef::path).toList(),
                "both files are resolved and checksummed");
    }

    @Test
    void aLookupKeyMustBeADroppedColumnAndAValueNamesOneSite() {
        String undeclared = error("""
                name: joined
                columns: [{name: x, type: numeric}]
                label: {column: y, kind: continuous}
                sites: {file: data.csv, column: site, lookup: {file: split.csv, key: pid}}
                """);
        assertTrue(undeclared.contains("sites.lookup.key 'pid' must be declared in columns with role: drop"),
                undeclared);
        String twice = error("""
                name: joined
                columns: [{name: x, type: numeric}]
                label: {column: y, kind: continuous}
                sites: {file: data.csv, column: site, ids: {a: [v1, v2], b: [v2]}}
                """);
        assertTrue(twice.contains("value 'v2' of 'site' is listed for both 'a' and 'b'"), twice);
        String stray = error("""
                name: joined
                columns: [{name: x, type: numeric}]
                label: {column: y, kind: continuous}
                sites: {file: data.csv, lookup: {file: split.csv, key: pid}}
                """);
        assertTrue(stray.contains("'sites.lookup'") && stray.contains("goes with 'column' (the site column)"), stray);
    }
}
