package org.fedmed.deploy.site;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Optional;
import org.fedmed.data.csv.CsvLoader;
import org.fedmed.data.csv.RawTable;
import org.fedmed.data.prep.Clipping;
import org.fedmed.data.prep.ConstantFill;
import org.fedmed.data.prep.MissingPolicy;
import org.fedmed.data.prep.OneHot;
import org.fedmed.data.prep.PreprocessingJson;
import org.fedmed.data.prep.Preprocessor;
import org.fedmed.data.prep.StandardDeviation;
import org.fedmed.data.registry.DatasetRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The preprocessing a site writes at start reads back as the one it encoded its own rows with. */
class SitePreprocessingFileTest {

    @Test
    void theFileBesideTheAuditLogReadsBackAsTheSitesOwnPreprocessing(@TempDir Path dir) throws Exception {
        DatasetRegistry registry = SiteDataLoaderTest.heartDiseaseRegistry();
        DataSettings settings = new DataSettings(SiteDataLoaderTest.HEART, null, 0.25, MissingPolicy.MEAN, true, 42,
                DataSettings.DEFAULT_MIN_ROWS, ConstantFill.NONE, OneHot.DROP_FIRST, StandardDeviation.UNBIASED,
                new Clipping.AtQuantiles(0.01, 0.99));
        LocalData data = SiteDataLoader.load(settings, "cleveland", registry);
        Path file = SitePreprocessingFile.beside(dir.resolve("audit.jsonl"));
        assertEquals(dir.resolve("audit-preprocessing.json"), file);
        SitePreprocessingFile.write(data, settings, file);

        Preprocessor back = PreprocessingJson.read(new ObjectMapper().readTree(file.toFile()), Optional.empty());
        Preprocessor own = data.site().preprocessor().orElseThrow();
        assertEquals(data.featureNames(), back.featureNames());
        assertEquals(own.columns(), back.columns());
        Path csv = registry.resolve(SiteDataLoaderTest.HEART).file("cleveland.csv");
        RawTable rows = CsvLoader.load(csv, own.schema());
        assertArrayEquals(own.transform(rows).features(),
                back.transform(CsvLoader.load(csv, back.schema())).features());
    }
}
