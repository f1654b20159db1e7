package org.fedmed.data.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fedmed.data.TestData;
import org.fedmed.data.schema.DatasetSchema;
import org.fedmed.data.schema.FeatureSpec;
import org.fedmed.data.schema.LabelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetRegistryTest {

    private static final String CONTENT = "x,y\n1,neg\n2,pos\n";
    private static final String CONTENT_SHA = "bb8f9ebf2ed6b0a6f2da8c4bdc8b4e2d92f5a1e2f8d71d6fe95cc8fbf1d0b2e1";

    private static DatasetEntry toy(String sha) {
        return new DatasetEntry("toy", List.of("toy-alias"), "a toy dataset",
                List.of(new DataFile("toy.csv", sha)), "CC0", "Nobody (2024). Toy.", "https://example.org/toy.zip",
                DatasetSchema.of(LabelSpec.mapping("y", Map.of("neg", 0, "pos", 1)), FeatureSpec.numeric("x")), List.of());
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
        assertEquals(file, r.file("toy.csv"));
        assertEquals(Map.of("toy.csv", sha), r.checksums());
    }

    @Test
    void listingReportsPresentMissingAndCorrupt(@TempDir Path root) {
        String sha = realSha(root);
        TestData.write(root.resolve("data").resolve("toy"), "toy.csv", CONTENT.strip().split("\n"));
        DatasetEntry other = new DatasetEntry("other", List.of(), "d", List.of(new DataFile("o.csv", sha)), "l", "c", "u",
                toy(sha).schema(), List.of());
        DatasetEntry corrupt = new DatasetEntry("bad", List.of(), "d", List.of(new DataFile("toy.csv", CONTENT_SHA)), "l", "c",
                "u", toy(sha).schema(), List.of());
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
        DatasetEntry heart = reg.entry("fed-heart-disease");
        assertEquals("heart-disease", heart.name());
        assertEquals(List.of("cleveland", "hungary", "switzerland", "va"),
                heart.naturalSites().stream().map(SiteFile::siteId).toList());
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
