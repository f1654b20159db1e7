package org.fedmed.data.prep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.fedmed.core.LabeledData;
import org.fedmed.data.csv.CsvLoader;
import org.fedmed.data.csv.RawTable;
import org.fedmed.data.schema.DatasetSchema;
import org.fedmed.data.schema.FeatureSpec;
import org.fedmed.data.schema.LabelSpec;
import org.junit.jupiter.api.Test;

/** Each preprocessing option against numbers worked out by hand on tiny tables. */
class PreprocessingOptionsTest {

    private static final DatasetSchema SCHEMA = DatasetSchema.of(LabelSpec.threshold("y", 0),
            FeatureSpec.numeric("x"), FeatureSpec.categorical("c", "a", "b", "z"), FeatureSpec.numeric("w"));

    /** x = {1, 2, 3, 4}, c = {a, b, z, a}, w = {5, missing, 7, 9}. */
    private static final RawTable T = CsvLoader.load("""
            x,c,w,y
            1,a,5,0
            2,b,,1
            3,z,7,0
            4,a,9,1
            """, "t.csv", SCHEMA);

    private static final PreprocessOptions PLAIN =
            new PreprocessOptions(MissingPolicy.MEAN, false, false, StatsMode.FEDERATED, 64);

    private static Preprocessor fitOne(RawTable t, PreprocessOptions o) {
        return Preprocessing.fit(List.of(t), o).getFirst();
    }

    private static float[] row(LabeledData d, int r) {
        float[] out = new float[d.cols()];
        System.arraycopy(d.features(), r * d.cols(), out, 0, d.cols());
        return out;
    }

    @Test
    void unbiasedAndPopulationStandardDeviationsOfOneToFourAreTheTextbookValues() {
        ColumnTransform pop = fitOne(T, PLAIN.withStandardize(true)).columns().getFirst();
        ColumnTransform unb = fitOne(T, PLAIN.withStandardize(true).withSd(StandardDeviation.UNBIASED)).columns().getFirst();
        assertEquals(2.5, pop.center(), 1e-12);
        assertEquals(1.1180, pop.scale(), 1e-4);
        assertEquals(1.2910, unb.scale(), 1e-4);
        float[] x4 = row(fitOne(T, PLAIN.withStandardize(true).withSd(StandardDeviation.UNBIASED)).transform(T), 3);
        assertEquals((4 - 2.5) / 1.2909944, x4[0], 1e-6);
    }

    @Test
    void anUnbiasedDeviationOfASingleValueLeavesTheColumnUnscaled() {
        RawTable one = CsvLoader.load("x,c,w,y\n3,a,1,1\n", "one.csv", SCHEMA);
        ColumnTransform t = fitOne(one, PLAIN.withStandardize(true).withSd(StandardDeviation.UNBIASED)).columns().getFirst();
        assertEquals(3, t.center());
        assertEquals(1, t.scale());
    }

    @Test
    void dropFirstLeavesOneColumnPerLevelButTheFirstAndEncodesTheFirstAsZeros() {
        Preprocessor p = fitOne(T, PLAIN.withOneHot(OneHot.DROP_FIRST));
        assertEquals(List.of("x", "c=b", "c=z", "w"), p.featureNames());
        LabeledData d = p.transform(T);
        assertArrayEquals(new float[] {1, 0, 0, 5}, row(d, 0));
        assertArrayEquals(new float[] {2, 1, 0, 7}, row(d, 1));
        assertArrayEquals(new float[] {3, 0, 1, 7}, row(d, 2));
        assertEquals(List.of("x", "c=a", "c=b", "c=z", "w"), fitOne(T, PLAIN).featureNames());
        assertEquals(List.of("x", "c=b", "c=z", "w"),
                Preprocessing.featureNamesWithoutIndicators(SCHEMA, OneHot.DROP_FIRST));
    }

    @Test
    void oneConstantFillsEveryNumericColumnAndIndicatorsMarkTheGap() {
        Preprocessor p = fitOne(T, PLAIN.withFill(ConstantFill.of(-1)).withIndicators(true));
        assertEquals(List.of("x", "c=a", "c=b", "c=z", "w", "w_missing"), p.featureNames());
        assertArrayEquals(new float[] {2, 0, 1, 0, -1, 1}, row(p.transform(T), 1));
        assertArrayEquals(new float[] {1, 1, 0, 0, 5, 0}, row(p.transform(T), 0));
    }

    @Test
    void aPerColumnConstantWinsOverTheOneForEveryColumn() {
        ConstantFill fill = new ConstantFill(java.util.OptionalDouble.of(0), Map.of("w", 100.0));
        Preprocessor p = fitOne(T, PLAIN.withFill(fill));
        assertEquals(100, p.columns().get(2).fill());
        assertEquals(0, p.columns().get(0).fill());
        assertEquals(100f, row(p.transform(T), 1)[4]);
    }

    @Test
    void aConstantPolicyThatLeavesANumericColumnWithoutAValueIsRefusedNamingIt() {
        var o = PLAIN.withFill(ConstantFill.perColumn(Map.of("x", 1.0)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fitOne(T, o));
        assertTrue(e.getMessage().contains("no value for numeric column 'w'"), e.getMessage());
        var cat = PLAIN.withFill(new ConstantFill(java.util.OptionalDouble.of(0), Map.of("c", 1.0)));
        e = assertThrows(IllegalArgumentException.class, () -> fitOne(T, cat));
        assertTrue(e.getMessage().contains("'fill.c'") && e.getMessage().contains("categorical"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PLAIN.withMissing(MissingPolicy.CONSTANT));
        assertTrue(e.getMessage().contains("'fill'"), e.getMessage());
    }

    @Test
    void dropKeepsOnlyRowsCompleteInTheFeatureColumnsInUseNotInIgnoredOnes() {
        DatasetSchema withNote = SCHEMA.ignoring("note");
        RawTable t = CsvLoader.load("""
                x,c,w,note,y
                1,a,5,,0
                2,b,,kept?,1
                3,,7,x,0
                4,a,9,,1
                """, "n.csv", withNote);
        Preprocessor p = fitOne(t, PLAIN.withMissing(MissingPolicy.DROP));
        LabeledData d = p.transform(t);
        assertEquals(2, d.rows());
        assertArrayEquals(new float[] {1, 1, 0, 0, 5}, row(d, 0));
        assertArrayEquals(new float[] {4, 1, 0, 0, 9}, row(d, 1));
    }

    @Test
    void perSiteClippingUsesTheSitesExactQuantilesAndStandardizesTheClippedValues() {
        RawTable t = CsvLoader.load("x,c,w,y\n" + "1,a,1,0\n2,a,1,1\n3,a,1,0\n4,a,1,1\n5,a,1,0\n"
                + "6,a,1,1\n7,a,1,0\n8,a,1,1\n9,a,1,0\n100,a,1,1\n", "c.csv", SCHEMA);
        var o = PLAIN.withClip(new Clipping.AtQuantiles(0.1, 0.9)).withStats(StatsMode.PER_SITE);
        ColumnTransform x = fitOne(t, o).columns().getFirst();
        // type-7 quantiles of {1..9, 100}: 1 + 0.9 * (2 - 1) and 9 + 0.1 * (100 - 9)
        assertEquals(1.9, x.lower(), 1e-12);
        assertEquals(18.1, x.upper(), 1e-12);
        ColumnTransform z = fitOne(t, o.withStandardize(true)).columns().getFirst();
        // mean of the clipped values {1.9, 2, ..., 9, 18.1} = 64 / 10
        assertEquals(6.4, z.center(), 1e-12);
        float[] top = row(fitOne(t, o.withStandardize(true)).transform(t), 9);
        assertEquals((18.1 - 6.4) / z.scale(), top[0], 1e-5);
    }

    @Test
    void federatedClippingBoundsLieWithinOneBinOfThePooledExactQuantiles() {
        StringBuilder a = new StringBuilder("x,c,w,y\n");
        StringBuilder b = new StringBuilder("x,c,w,y\n");
        double[] pooled = new double[1000];
        for (int i = 0; i < 1000; i++) {
            double v = (i * 37 % 1000) + (i % 7 == 0 ? 0.5 : 0);
            pooled[i] = v;
            (i < 300 ? a : b).append(v).append(",a,1,").append(i % 2).append('\n');
        }
        RawTable ta = CsvLoader.load(a.toString(), "a.csv", SCHEMA);
        RawTable tb = CsvLoader.load(b.toString(), "b.csv", SCHEMA);
        int bins = 64;
        var o = PLAIN.withClip(new Clipping.AtQuantiles(0.01, 0.99)).withHistogramBins(bins);
        List<Preprocessor> ps = Preprocessing.fit(List.of(ta, tb), o);
        assertEquals(ps.get(0), ps.get(1));
        ColumnTransform x = ps.getFirst().columns().getFirst();
        double width = (999.0 - 0.0) / bins;
        assertEquals(FederatedStatistics.exactQuantile(pooled, 0.01), x.lower(), width);
        assertEquals(FederatedStatistics.exactQuantile(pooled, 0.99), x.upper(), width);
        assertTrue(x.upper() - x.lower() > 900, x.lower() + " .. " + x.upper());
    }

    @Test
    void aKnownHistogramsQuantileIsWithinOneBinOfTheExactQuantile() {
        // 10 values 0.5, 1.5, ..., 9.5 in 10 bins of width 1 over [0, 10]
        double[] values = {0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5};
        Histogram h = Histogram.of(values, 0, 10, 10);
        assertArrayEquals(new long[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, h.counts());
        assertEquals(1.0, h.quantile(0.1), 1e-12);
        assertEquals(0.5 + 0.9 * 1, FederatedStatistics.exactQuantile(values, 0.1), 1e-12);
        assertEquals(FederatedStatistics.exactQuantile(values, 0.1), h.quantile(0.1), 1.0);
        assertEquals(FederatedStatistics.exactQuantile(values, 0.9), h.quantile(0.9), 1.0);
    }

    @Test
    void aMissingValueGetsItsConstantUnclippedWhileAPresentOneIsClipped() {
        var o = PLAIN.withFill(ConstantFill.of(-50)).withClip(new Clipping.AtQuantiles(0.25, 0.75))
                .withStats(StatsMode.PER_SITE);
        Preprocessor p = fitOne(T, o);
        ColumnTransform w = p.columns().get(2);
        // w present {5, 7, 9}: quantiles 0.25 and 0.75 at 6 and 8
        assertEquals(6, w.lower(), 1e-12);
        assertEquals(8, w.upper(), 1e-12);
        LabeledData d = p.transform(T);
        assertEquals(6f, row(d, 0)[4]);
        assertEquals(-50f, row(d, 1)[4]);
        assertEquals(8f, row(d, 3)[4]);
    }

    @Test
    void defaultOptionsLeaveEveryTransformUnclippedWithFullOneHot() {
        Preprocessor p = fitOne(T, PreprocessOptions.defaults());
        assertEquals(OneHot.FULL, p.oneHot());
        p.columns().forEach(c -> assertTrue(!c.clips(), c.toString()));
        assertEquals(StandardDeviation.POPULATION, PreprocessOptions.defaults().sd());
        assertEquals(Clipping.NONE, PreprocessOptions.defaults().clip());
    }

    @Test
    void configSpellingsAreParsedAndABadOneIsRefusedNamingTheKey() {
        assertEquals(OneHot.DROP_FIRST, OneHot.fromKey("one_hot", "drop_first"));
        assertEquals(StandardDeviation.UNBIASED, StandardDeviation.fromKey("sd", "unbiased"));
        assertEquals(MissingPolicy.CONSTANT, MissingPolicy.fromKey("missing", "constant"));
        assertEquals(new Clipping.AtQuantiles(0.01, 0.99), Clipping.fromKey(List.of(0.01, 0.99)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OneHot.fromKey("one_hot", "last"));
        assertTrue(e.getMessage().contains("'one_hot'") && e.getMessage().contains("drop_first"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Clipping.fromKey(List.of(0.9, 0.1)));
        assertTrue(e.getMessage().contains("clip_quantiles"), e.getMessage());
    }
}
