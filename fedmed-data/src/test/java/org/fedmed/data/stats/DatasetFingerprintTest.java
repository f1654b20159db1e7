package org.fedmed.data.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.fedmed.data.schema.DatasetSchema;
import org.fedmed.data.schema.FeatureSpec;
import org.fedmed.data.schema.LabelSpec;
import org.junit.jupiter.api.Test;

class DatasetFingerprintTest {

    static final DatasetSchema SCHEMA = DatasetSchema.of(LabelSpec.threshold("num", 0), FeatureSpec.numeric("age"),
            FeatureSpec.categorical("cp", "1", "2", "3", "4"), FeatureSpec.numeric("chol").withMissing("0"));

    @Test
    void theFingerprintIsTheSha256OfTheCanonicalLines() throws Exception {
        String lines = """
                feature age numeric missing=[] indicator=false
                feature cp categorical levels=[1|2|3|4] missing=[] indicator=false
                feature chol numeric missing=[0] indicator=false
                label num threshold > 0.0
                """;
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(lines.getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, DatasetFingerprint.of(SCHEMA).sha256());
        assertEquals(DatasetFingerprint.of(SCHEMA), DatasetFingerprint.of(DatasetSchema.of(LabelSpec.threshold("num", 0),
                FeatureSpec.numeric("age"), FeatureSpec.categorical("cp", "1", "2", "3", "4"),
                FeatureSpec.numeric("chol").withMissing("0"))));
    }

    @Test
    void aDifferenceInOneColumnsLevelsNamesThatColumn() {
        DatasetSchema other = DatasetSchema.of(LabelSpec.threshold("num", 0), FeatureSpec.numeric("age"),
                FeatureSpec.categorical("cp", "1", "2", "3"), FeatureSpec.numeric("chol").withMissing("0"));
        String why = DatasetFingerprint.of(SCHEMA).firstDifference(DatasetFingerprint.of(other)).orElseThrow();
        assertTrue(why.contains("column 2 'cp'"), why);
        assertTrue(why.contains("levels=[1|2|3]"), why);
        assertNotEquals(DatasetFingerprint.of(SCHEMA).sha256(), DatasetFingerprint.of(other).sha256());
        assertFalse(DatasetFingerprint.of(SCHEMA).firstDifference(DatasetFingerprint.of(SCHEMA)).isPresent());
    }

    @Test
    void aHashThatDoesNotMatchItsDescriptionsIsRefused() {
        var mine = DatasetFingerprint.of(SCHEMA);
        var forged = new DatasetFingerprint(List.of(new DatasetFingerprint.Column("age", "feature age numeric")),
                mine.sha256());
        String why = mine.firstDifference(forged).orElseThrow();
        assertTrue(why.contains("is not the SHA-256"), why);
    }

    @Test
    void aMissingColumnIsNamed() {
        DatasetSchema shorter = DatasetSchema.of(LabelSpec.threshold("num", 0), FeatureSpec.numeric("age"),
                FeatureSpec.categorical("cp", "1", "2", "3", "4"));
        String why = DatasetFingerprint.of(SCHEMA).firstDifference(DatasetFingerprint.of(shorter)).orElseThrow();
        assertTrue(why.contains("column 3 'chol'"), why);
    }
}
