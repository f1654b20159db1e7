package org.fedmed.data.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fedmed.data.TestData;
import org.fedmed.data.definition.DatasetDefinition;
import org.fedmed.data.definition.DefinitionReader;
import org.fedmed.data.definition.FileBase;
import org.fedmed.data.definition.SiteFiles;
import org.fedmed.data.definition.SiteLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetRegistryTest {

    private static final String CONTENT = "x,y\n1,neg\n2,pos\n";
    private static final String CONTENT_SHA = "bb8f9ebf2ed6b0a6f2da8c4bdc8b4e2d92f5a1e2f8d71d6fe95cc8fbf1d0b2e1";

    private static DatasetDefinition toy(String sha) {
        return shipped("toy", "toy.csv", sha, "aliases: [toy-alias]\ndescription: a toy dataset\nlicence: CC0\n"
                + "citation: Nobody (2024). Toy.\nurl: https://example.org/toy.zip\n");
    }

    /** A definition as fedmed ships them: files in the data roots, one file with a checksum. */
    private static DatasetDefinition shipped(String name, String file, String sha, String extra) {
        return DefinitionReader.parse("name: " + name + "\n" + extra
                + "columns: [{name: x, type: numeric}]\n"
                + "label: {column: y, kind: binary, positive: [pos], negative: [neg]}\n"
                + "sites: {file: " + file + ", sha256: " + sha + "}\n", name + ".yaml", new FileBase.DataRoots(name));
    }

    private static String realSha(Path dir) {
        return Sha256.of(TestData.write(dir.resolve("probe"), "toy.csv", CONTENT.strip().split("\n")));
    }

    @Test
    void missingDatasetMessageSaysWhereItLookedWhereToGetItAndWhatToDo(@TempDir Path root) {
        DatasetRegistry reg = new DatasetRegistry(List.of(root.resolve("a"), root.resolve("b")), List.of(toy(CONTENT_SHA)));
        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class, () -> reg.resolve("toy"));
        String m = e.getMessage();
        assertTrue(m.contains(root.resolve("a").resolve("toy").toString()), m);
        assertTrue(m.contains(root.resolve("b").resolve("toy").toString()), m);
        assertTrue(m.contains("https://example.org/toy.zip"), m);
        assertTrue(m.contains("CC0"), m);
        assertTrue(m.contains("FEDMED_DATA") && m.contains("~/.cache/fedmed/toy/"), m);
        assertTrue(m.contains("toy.csv"), m);
    }

    @Test
    void checksumMismatchNamesFileExpectedAndActual(@TempDir Path root) {
        Path file = TestData.write(root.resolve("toy"), "toy.csv", CONTENT.strip().split("\n"));
        String actual = Sha256.of(file);
        DatasetRegistry reg = new DatasetRegistry(List.of(root), List.of(toy(CONTENT_SHA)));
        ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class, () -> reg.resolve("toy"));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(CONTENT_SHA), e.getMessage());
        assertTrue(e.getMessage().contains(actual), e.getMessage());
        assertEquals(actual, e.actual());
    }

    @Test
    void laterRootIsSearchedAndAliasResolves(@TempDir Path root) {
        String sha = realSha(root);
        Path file = TestData.write(root.resolve("second").resolve("toy"), "toy.csv", CONTENT.strip().split("\n"));
        DatasetRegistry reg = new DatasetRegistry(List.of(root.resolve("first"), root.resolve("second")), List.of(toy(sha)));
        ResolvedDataset r = reg.resolve("TOY-ALIAS");
        assertEquals(file, r.files().get("toy.csv"));
        assertEquals(Map.of("toy.csv", sha), r.checksums());
    }

    @Test
    void listingReportsPresentMissingAndCorrupt(@TempDir Path root) {
        String sha = realSha(root);
        TestData.write(root.resolve("data").resolve("toy"), "toy.csv", CONTENT.strip().split("\n"));
        DatasetDefinition other = shipped("other", "o.csv", sha, "");
        DatasetDefinition corrupt = shipped("bad", "toy.csv", CONTENT_SHA, "");
        TestData.write(root.resolve("data").resolve("bad"), "toy.csv", CONTENT.strip().split("\n"));
        DatasetRegistry reg = new DatasetRegistry(List.of(root.resolve("data")), List.of(toy(sha), other, corrupt));
        List<Availability> got = reg.list().stream().map(DatasetStatus::availability).toList();
        assertEquals(List.of(Availability.PRESENT, Availability.MISSING, Availability.CHECKSUM_MISMATCH), got);
    }

    @Test
    void unknownDatasetListsKnownNames() {
        DatasetRegistry reg = new DatasetRegistry(List.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> reg.entry("mnist"));
        assertTrue(e.getMessage().contains("heart-disease"), e.getMessage());
    }

    @Test
    void builtInEntriesDescribeTheirSites() {
        DatasetRegistry reg = new DatasetRegistry(List.of());
        DatasetDefinition heart = reg.entry("fed-heart-disease");
        assertEquals("heart-disease", heart.name());
        assertEquals(List.of("cleveland", "hungary", "switzerland", "va"),
                ((SiteLayout.FilePerSite) heart.sites()).sites().stream().map(SiteFiles::id).toList());
        assertTrue(reg.entry("pima-diabetes").partitioned());
        assertTrue(reg.entry("breast-cancer-wisconsin").partitioned());
        assertEquals(List.of("Id"), reg.entry("breast-cancer-wisconsin").schema().ignore());
    }

    @Test
    void environmentRootsAreDataFolderThenCache() {
        assertEquals(List.of(Path.of("/d"), Path.of("/h", ".cache", "fedmed")), DatasetRegistry.defaultRoots("/d", "/h"));
        assertEquals(List.of(Path.of("/h", ".cache", "fedmed")), DatasetRegistry.defaultRoots(null, "/h"));
    }
}
