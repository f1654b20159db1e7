package org.fedmed.data.federated;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.fedmed.data.TestData;
import org.fedmed.data.csv.CsvLoader;
import org.fedmed.data.csv.RawTable;
import org.fedmed.data.registry.BuiltInDatasets;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.data.registry.ResolvedDataset;
import org.junit.jupiter.api.Test;

/** The built-in definitions read the shared files to the same tables as the schemas they replace. */
class BuiltInDefinitionsTest {

    @Test
    void heartDiseaseLoadsItsFourHospitalsWithTheirRowCountsAndColumns() {
        DatasetRegistry registry = TestData.requireDataset(BuiltInDatasets.HEART_DISEASE);
        ResolvedDataset heart = registry.resolve(BuiltInDatasets.HEART_DISEASE);
        List<SiteTables> sites = SiteTables.read(heart.definition(), heart.files(), null);
        assertEquals(List.of("cleveland", "hungary", "switzerland", "va"), sites.stream().map(SiteTables::id).toList());
        assertEquals(List.of(303, 294, 123, 200), sites.stream().map(s -> s.all().rows()).toList());
        RawTable cleveland = sites.getFirst().all();
        assertEquals(List.of("age", "sex", "cp", "trestbps", "chol", "fbs", "restecg", "thalach", "exang", "oldpeak", "slope",
                "ca", "thal"), cleveland.schema().featureNames());
        assertEquals(CsvLoader.load(heart.file("cleveland.csv"), heart.definition().schema()).values()[0][0],
                cleveland.values()[0][0]);
        assertEquals(63.0, cleveland.values()[0][0], "the first Cleveland patient is 63");
        assertEquals(List.of(164, 139), java.util.Arrays.stream(cleveland.classCounts()).boxed().toList(), "num > 0");
        long zeroChol = java.util.Arrays.stream(sites.get(2).all().column(4)).filter(Double::isNaN).count();
        assertEquals(123, zeroChol, "Switzerland records chol as 0 throughout, read as missing");
        FederatedDataset fd = FederatedDatasets.load(registry, DataOptions.defaults(BuiltInDatasets.HEART_DISEASE));
        assertEquals(4, fd.checksums().size());
        assertEquals("c1a68b0099f13630967e05a357aa7f856bf0b784124f9ae4a01612d5378617a9", fd.checksums().get("cleveland.csv"));
    }

    @Test
    void pimaAndBreastCancerLoadTheirSingleFiles() {
        DatasetRegistry pima = TestData.requireDataset(BuiltInDatasets.PIMA_DIABETES);
        ResolvedDataset p = pima.resolve("pima");
        assertEquals(768, SiteTables.read(p.definition(), p.files(), null).getFirst().all().rows());
        DatasetRegistry bcw = TestData.requireDataset(BuiltInDatasets.BREAST_CANCER_WISCONSIN);
        ResolvedDataset b = bcw.resolve("bcw");
        RawTable all = SiteTables.read(b.definition(), b.files(), null).getFirst().all();
        assertEquals(699, all.rows());
        assertEquals(List.of("Id"), b.definition().schema().ignore());
        assertEquals(List.of(458, 241), java.util.Arrays.stream(all.classCounts()).boxed().toList(), "benign, malignant");
    }

    /**
     * TCGA-BRCA's six regions with the per-center train and test sizes of FLamby's Fed-TCGA-BRCA (its README:
     * "Records per center 248, 156, 164, 129, 129, 40", 866 training patients of 1,088), its 39 features as brca.csv
     * holds them, and time and event per row; the 8 patients train_test_split.csv does not list are not read.
     */
    @Test
    void tcgaBrcaLoadsSixRegionsWithFlambysSplitAndSurvivalLabels() {
        DatasetRegistry registry = TestData.requireDataset(BuiltInDatasets.TCGA_BRCA);
        ResolvedDataset tcga = registry.resolve("fed-tcga-brca");
        List<SiteTables> sites = SiteTables.read(tcga.definition(), tcga.files(), null);
        assertEquals(List.of("northeast", "south", "west", "midwest", "europe", "canada"),
                sites.stream().map(SiteTables::id).toList());
        assertEquals(List.of(248, 156, 164, 129, 129, 40), sites.stream().map(s -> s.train().rows()).toList());
        assertEquals(List.of(63, 40, 42, 33, 33, 11), sites.stream().map(s -> s.test().rows()).toList());
        RawTable northeast = sites.getFirst().train();
        assertEquals(39, northeast.cols());
        assertEquals("age_at_index", northeast.schema().featureNames().getFirst());
        assertEquals(org.fedmed.core.objective.LabelLayout.TIME_AND_EVENT, tcga.definition().labelLayout());
        int events = 0;
        for (SiteTables s : sites) {
            for (RawTable t : List.of(s.train(), s.test())) {
                for (boolean e : t.events()) {
                    events += e ? 1 : 0;
                }
            }
        }
        // brca.csv holds 151 events among its 1,096 rows; the split leaves out 8 patients
        assertEquals(events, countEventsOfListedPatients(tcga));
        assertEquals(java.util.Set.of("brca.csv", "train_test_split.csv"), FederatedDatasets.load(registry,
                DataOptions.defaults(BuiltInDatasets.TCGA_BRCA)).checksums().keySet(), "both files are checksummed");
    }

    /** Events among the patients train_test_split.csv lists, counted from the two files with plain string handling. */
    private static int countEventsOfListedPatients(ResolvedDataset tcga) {
        try {
            java.util.Set<String> listed = new java.util.HashSet<>();
            for (String line : java.nio.file.Files.readAllLines(tcga.file("train_test_split.csv")).subList(1, 1089)) {
                listed.add(line.split(",")[0]);
            }
            int events = 0;
            List<String> brca = java.nio.file.Files.readAllLines(tcga.file("brca.csv"));
            for (String line : brca.subList(1, brca.size())) {
                String[] f = line.split(",");
                if (listed.contains(f[0]) && Double.parseDouble(f[f.length - 2]) == 1.0) {
                    events++;
                }
            }
            return events;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
