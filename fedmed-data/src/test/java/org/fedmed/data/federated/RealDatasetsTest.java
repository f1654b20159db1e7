package org.fedmed.data.federated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.fedmed.data.TestData;
import org.fedmed.data.partition.PartitionerKind;
import org.fedmed.data.registry.BuiltInDatasets;
import org.fedmed.data.registry.DatasetRegistry;
import org.junit.jupiter.api.Test;

/** The real datasets in FEDMED_DATA load with their documented rows; without them these tests fail. */
class RealDatasetsTest {

    private static int rows(SiteData s) {
        return s.train().rows() + s.test().rows();
    }

    private static int positives(SiteData s) {
        return s.train().classCounts()[1] + s.test().classCounts()[1];
    }

    @Test
    void fedHeartDiseaseHasFourHospitalsWithTheirRowCounts() {
        DatasetRegistry registry = TestData.requireDataset(BuiltInDatasets.HEART_DISEASE);
        FederatedDataset fd = FederatedDatasets.load(registry, DataOptions.defaults("fed-heart-disease"));
        assertEquals(List.of("cleveland", "hungary", "switzerland", "va"), fd.siteIds());
        assertEquals(List.of(303, 294, 123, 200), fd.sites().stream().map(RealDatasetsTest::rows).toList());
        assertEquals(List.of(139, 106, 115, 149), fd.sites().stream().map(RealDatasetsTest::positives).toList(),
                "label is num > 0");
        assertEquals(4, fd.checksums().size());
        assertEquals(2, fd.classes());
        assertTrue(fd.featureNames().containsAll(List.of("cp=4", "thal=7", "chol_missing", "ca_missing")), fd.featureNames().toString());
        assertEquals(1.0, fd.site("cleveland").quality(), 0.01);
        assertTrue(fd.site("switzerland").quality() < 0.85, "switzerland lacks chol, ca and more");
        for (SiteData s : fd.sites()) {
            for (float v : s.train().features()) {
                assertTrue(Float.isFinite(v));
            }
        }
    }

    @Test
    void partitionedDatasetsLoadWithEveryRow() {
        for (String name : List.of(BuiltInDatasets.PIMA_DIABETES, BuiltInDatasets.BREAST_CANCER_WISCONSIN)) {
            DatasetRegistry registry = TestData.requireDataset(name);
            FederatedDataset fd = FederatedDatasets.load(registry,
                    DataOptions.defaults(name).withSites(5).withPartitioner(PartitionerKind.DIRICHLET, 1.0));
            assertEquals(5, fd.sites().size());
            int expected = name.equals("pima-diabetes") ? 768 : 699;
            assertEquals(expected, fd.sites().stream().mapToInt(RealDatasetsTest::rows).sum(), name);
        }
    }
}
