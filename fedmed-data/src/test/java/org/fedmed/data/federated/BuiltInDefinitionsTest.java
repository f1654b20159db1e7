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
}
