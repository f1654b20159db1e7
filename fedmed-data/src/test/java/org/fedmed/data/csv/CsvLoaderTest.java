package org.fedmed.data.csv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.fedmed.data.DataFormatException;
import org.fedmed.data.TestData;
import org.fedmed.data.schema.DatasetSchema;
import org.fedmed.data.schema.FeatureSpec;
import org.fedmed.data.schema.LabelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvLoaderTest {

    private static final DatasetSchema HEART = DatasetSchema.of(LabelSpec.threshold("num", 0),
            FeatureSpec.numeric("age"),
            FeatureSpec.categorical("cp", "1", "2", "3", "4"),
            FeatureSpec.numeric("chol").withMissing("0"));

    private static final DatasetSchema PIMA = DatasetSchema.of(LabelSpec.mapping("diabetes", Map.of("neg", 0, "pos", 1)),
            FeatureSpec.numeric("glucose"), FeatureSpec.numeric("mass")).ignoring("id");

    @Test
    void readsValuesMissingCellsLevelsAndThresholdLabel(@TempDir Path dir) {
        Path f = TestData.write(dir, "site.csv",
                "age,cp,chol,num",
                "63.0,1.0,233,0",
                "67,4,,2",
                "41,,0,1");
        RawTable t = CsvLoader.load(f, HEART);
        assertEquals(3, t.rows());
        assertEquals("site.csv", t.source());
        assertArrayEquals(new double[] {63, 0, 233}, t.values()[0]);
        assertEquals(3.0, t.values()[1][1]);
        assertTrue(Double.isNaN(t.values()[1][2]), "empty cell is missing");
        assertTrue(Double.isNaN(t.values()[2][1]), "empty categorical is missing");
        assertTrue(Double.isNaN(t.values()[2][2]), "chol 0 is missing under missing marker 0");
        assertArrayEquals(new double[] {0, 1, 1}, t.labels());
        assertEquals(1 - 3.0 / 9, t.quality(), 1e-12);
    }

    @Test
    void mappedLabelAndIgnoredColumnInAnyOrder() {
        RawTable t = CsvLoader.load("diabetes,id,mass,glucose\npos,7,33.6,148\nneg,8,26.6,\n", "p.csv", PIMA);
        assertArrayEquals(new double[] {148, 33.6}, t.values()[0]);
        assertArrayEquals(new double[] {1, 0}, t.labels());
        assertEquals(1, t.missingCells());
    }

    @Test
    void blankLinesAreSkippedAndLineNumbersStayTrue() {
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> CsvLoader.load("glucose,mass,diabetes,id\n1,2,neg,1\n\n3,x,pos,2\n", "p.csv", PIMA));
        assertTrue(e.getMessage().startsWith("p.csv line 4, column 'mass'"), e.getMessage());
    }

    @Test
    void malformedRowNamesFileAndLine(@TempDir Path dir) {
        Path f = TestData.write(dir, "cleveland.csv", "age,cp,chol,num", "63,1,233,0", "67,4,286");
        DataFormatException e = assertThrows(DataFormatException.class, () -> CsvLoader.load(f, HEART));
        assertTrue(e.getMessage().contains("cleveland.csv"), e.getMessage());
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
        assertTrue(e.getMessage().contains("expected 4 fields"), e.getMessage());
    }

    @Test
    void missingHeaderColumnIsNamed() {
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> CsvLoader.load("age,cp,num\n63,1,0\n", "h.csv", HEART));
        assertTrue(e.getMessage().contains("h.csv line 1") && e.getMessage().contains("missing column 'chol'"), e.getMessage());
    }

    @Test
    void undeclaredHeaderColumnIsNamed() {
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> CsvLoader.load("age,cp,chol,extra,num\n63,1,200,5,0\n", "h.csv", HEART));
        assertTrue(e.getMessage().contains("'extra'") && e.getMessage().contains("role: drop"), e.getMessage());
    }

    @Test
    void labelOutsideTheSchemaIsNamed() {
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> CsvLoader.load("glucose,mass,diabetes,id\n1,2,neg,1\n3,4,maybe,2\n", "p.csv", PIMA));
        assertTrue(e.getMessage().contains("p.csv line 3, column 'diabetes'"), e.getMessage());
        assertTrue(e.getMessage().contains("'maybe'") && e.getMessage().contains("outside the definition"), e.getMessage());
    }

    @Test
    void missingLabelIsAnError() {
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> CsvLoader.load("age,cp,chol,num\n63,1,233,\n", "m.csv", HEART));
        assertTrue(e.getMessage().contains("m.csv line 2, column 'num'") && e.getMessage().contains("missing label"),
                e.getMessage());
    }

    @Test
    void undeclaredCategoryIsNamed() {
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> CsvLoader.load("age,cp,chol,num\n63,5,233,0\n", "c.csv", HEART));
        assertTrue(e.getMessage().contains("c.csv line 2, column 'cp'") && e.getMessage().contains("'5'"), e.getMessage());
    }

    @Test
    void unparsableNumberIsNamed() {
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> CsvLoader.load("age,cp,chol,num\n63,1,?,0\n", "q.csv", HEART));
        assertTrue(e.getMessage().contains("q.csv line 2, column 'chol'") && e.getMessage().contains("'?'"), e.getMessage());
    }

    @Test
    void literalNanAndInfinityAreRejected() {
        for (String bad : new String[] {"NaN", "nan", "Infinity", "-Inf", "inf"}) {
            DataFormatException e = assertThrows(DataFormatException.class,
                    () -> CsvLoader.load("age,cp,chol,num\n63,1," + bad + ",0\n", "n.csv", HEART), bad);
            assertTrue(e.getMessage().contains("n.csv line 2, column 'chol'") && e.getMessage().contains("empty"),
                    e.getMessage());
        }
    }

    @Test
    void headerOnlyFileGivesAnEmptyTable() {
        RawTable t = CsvLoader.load("age,cp,chol,num\n", "e.csv", HEART);
        assertEquals(0, t.rows());
        assertEquals(0.0, t.quality());
    }
}
