package org.fedmed.data.federated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.fedmed.data.TestData;
import org.fedmed.data.partition.PartitionerKind;
import org.fedmed.data.registry.Availability;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.data.registry.DatasetStatus;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RealDatasetsTest {

    private static DatasetRegistry registry;

    @BeforeAll
    static void findData() {
        Optional<Path> root = TestData.sharedData();
        Assumptions.assumeTrue(root.isPresent(), "shared data folder not found; set FEDMED_DATA");
        registry = new DatasetRegistry(List.of(root.get()));
    }

    private static int rows(SiteData s) {
        return s.train().rows() + s.test().rows();
    }

    private static int positives(SiteData s) {
        return s.train().classCounts()[1] + s.test().classCounts()[1];
    }

    @Test
    void fedHeartDiseaseHasFourHospitalsWithTheirRowCounts() {
        Assumptions.assumeTrue(registry.list().getFirst().availability() == Availability.PRESENT, "heart-disease absent");
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
        for (String name : List.of("pima-diabetes", "breast-cancer-wisconsin")) {
            Assumptions.assumeTrue(registry.list().stream().filter(s -> s.entry().name().equals(name))
                    .map(DatasetStatus::availability).findFirst().orElseThrow() == Availability.PRESENT, name + " absent");
            FederatedDataset fd = FederatedDatasets.load(registry,
                    DataOptions.defaults(name).withSites(5).withPartitioner(PartitionerKind.DIRICHLET, 1.0));
            assertEquals(5, fd.sites().size());
            int expected = name.equals("pima-diabetes") ? 768 : 699;
            assertEquals(expected, fd.sites().stream().mapToInt(RealDatasetsTest::rows).sum(), name);
        }
    }
}
