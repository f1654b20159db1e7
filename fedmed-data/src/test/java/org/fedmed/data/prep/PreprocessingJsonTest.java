package org.fedmed.data.prep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedmed.data.csv.CsvLoader;
import org.fedmed.data.csv.RawTable;
import org.fedmed.data.schema.DatasetSchema;
import org.fedmed.data.schema.FeatureSpec;
import org.fedmed.data.schema.LabelSpec;
import org.junit.jupiter.api.Test;

class PreprocessingJsonTest {

    private static final DatasetSchema SCHEMA = DatasetSchema.of(LabelSpec.threshold("y", 0),
            FeatureSpec.numeric("x"), FeatureSpec.categorical("c", "a", "b", "z"), FeatureSpec.numeric("w"));
    private static final RawTable A = CsvLoader.load("x,c,w,y\n1,a,5,0\n2,b,,1\n3,z,7,0\n", "a.csv", SCHEMA);
    private static final RawTable B = CsvLoader.load("x,c,w,y\n10,a,50,1\n20,b,60,0\n", "b.csv", SCHEMA);

    private static Map<String, Preprocessor> bySite(List<Preprocessor> ps) {
        Map<String, Preprocessor> m = new LinkedHashMap<>();
        m.put("a", ps.get(0));
        m.put("b", ps.get(1));
        return m;
    }

    private static float[] encode(Preprocessor p, double[] raw) {
        float[] out = new float[p.featureNames().size()];
        p.encode(raw, out, 0, "row");
        return out;
    }

    @Test
    void aWrittenSharedPreprocessorReadsBackAndEncodesBitForBit() {
        PreprocessOptions o = PreprocessOptions.defaults().withOneHot(OneHot.DROP_FIRST).withSd(StandardDeviation.UNBIASED)
                .withClip(new Clipping.AtQuantiles(0.1, 0.9));
        List<Preprocessor> ps = Preprocessing.fit(List.of(A, B), o);
        var section = PreprocessingJson.section(o, bySite(ps));
        assertTrue(section.has("shared") && !section.has("sites"), section.toString());
        assertEquals("drop_first", section.get("one_hot").asText());
        Preprocessor back = PreprocessingJson.read(section, Optional.empty());
        assertEquals(ps.getFirst().featureNames(), back.featureNames());
        assertEquals(ps.getFirst().columns(), back.columns());
        double[] raw = {17.25, 2, Double.NaN};
        assertArrayEquals(encode(ps.getFirst(), raw), encode(back, raw));
    }

    @Test
    void aBinaryColumnReadsBackWithItsTwoLevels() {
        DatasetSchema schema = DatasetSchema.of(LabelSpec.threshold("y", 0), FeatureSpec.numeric("x"),
                new FeatureSpec("smoker", org.fedmed.data.schema.ColumnType.BINARY, List.of("no", "yes"), List.of(),
                        false));
        RawTable t = CsvLoader.load("x,smoker,y\n1,no,0\n2,yes,1\n3,yes,0\n", "s.csv", schema);
        PreprocessOptions o = PreprocessOptions.defaults();
        List<Preprocessor> ps = Preprocessing.fit(List.of(t), o);
        Map<String, Preprocessor> one = new LinkedHashMap<>();
        one.put("s", ps.getFirst());
        var section = PreprocessingJson.section(o, one);
        Preprocessor back = PreprocessingJson.read(section, Optional.empty());
        assertEquals(List.of("no", "yes"), back.schema().features().get(1).levels());
        double[] raw = {2, 1};
        assertArrayEquals(encode(ps.getFirst(), raw), encode(back, raw));
    }

    @Test
    void perSiteNumbersAreStoredPerSiteAndReadingNeedsTheSiteNamed() {
        PreprocessOptions o = PreprocessOptions.defaults().withStats(StatsMode.PER_SITE);
        List<Preprocessor> ps = Preprocessing.fit(List.of(A, B), o);
        var section = PreprocessingJson.section(o, bySite(ps));
        assertEquals(List.of("a", "b"), PreprocessingJson.sites(section));
        assertEquals(ps.get(1).columns(), PreprocessingJson.read(section, Optional.of("b")).columns());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PreprocessingJson.read(section, Optional.empty()));
        assertTrue(e.getMessage().contains("per_site") && e.getMessage().contains("[a, b]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PreprocessingJson.read(section, Optional.of("c")));
        assertTrue(e.getMessage().contains("'c'"), e.getMessage());
    }
}
