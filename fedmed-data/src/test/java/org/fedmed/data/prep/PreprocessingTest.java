package org.fedmed.data.prep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.fedmed.core.LabeledData;
import org.fedmed.data.csv.CsvLoader;
import org.fedmed.data.csv.RawTable;
import org.fedmed.data.schema.DatasetSchema;
import org.fedmed.data.schema.FeatureSpec;
import org.fedmed.data.schema.LabelSpec;
import org.junit.jupiter.api.Test;

class PreprocessingTest {

    private static final DatasetSchema SCHEMA = DatasetSchema.of(LabelSpec.threshold("y", 0),
            FeatureSpec.numeric("x"), FeatureSpec.categorical("c", "a", "b", "z"), FeatureSpec.numeric("w"));

    private static final RawTable A = CsvLoader.load("""
            x,c,w,y
            1,a,5,0
            2,b,5,1
            ,z,5,0
            9,,5,1
            """, "a.csv", SCHEMA);
    private static final RawTable B = CsvLoader.load("""
            x,c,w,y
            4,a,5,1
            6,b,5,0
            """, "b.csv", SCHEMA);

    private static final PreprocessOptions RAW = new PreprocessOptions(MissingPolicy.MEAN, false, false, StatsMode.FEDERATED, 64);

    private static float at(LabeledData d, int row, String column) {
        return d.features()[row * d.cols() + d.featureNames().indexOf(column)];
    }

    @Test
    void meanImputationUsesTheFederatedMeanOfPresentValues() {
        Preprocessor p = Preprocessing.fit(List.of(A, B), RAW).getFirst();
        LabeledData a = p.transform(A);
        assertEquals((1 + 2 + 9 + 4 + 6) / 5f, at(a, 2, "x"), 1e-6);
        assertEquals(9f, at(a, 3, "x"));
    }

    @Test
    void perSiteMedianImputationUsesTheSitesOwnMedian() {
        List<Preprocessor> ps = Preprocessing.fit(List.of(A, B), RAW.withMissing(MissingPolicy.MEDIAN).withStats(StatsMode.PER_SITE));
        assertEquals(2f, at(ps.get(0).transform(A), 2, "x"), 1e-6);
        assertNotEquals(ps.get(0), ps.get(1));
    }

    @Test
    void federatedMedianImputationIsCloseToThePooledMedian() {
        Preprocessor p = Preprocessing.fit(List.of(A, B), RAW.withMissing(MissingPolicy.MEDIAN)).getFirst();
        double binWidth = (9 - 1) / 64.0;
        assertEquals(4.0, at(p.transform(A), 2, "x"), binWidth);
    }

    @Test
    void oneHotEncodesDeclaredLevelsAndMissingAsAllZeros() {
        Preprocessor p = Preprocessing.fit(List.of(A, B), RAW).getFirst();
        LabeledData a = p.transform(A);
        assertEquals(List.of("x", "c=a", "c=b", "c=z", "w"), a.featureNames());
        assertArrayEquals(new float[] {1, 0, 0}, new float[] {at(a, 0, "c=a"), at(a, 0, "c=b"), at(a, 0, "c=z")});
        assertArrayEquals(new float[] {0, 0, 1}, new float[] {at(a, 2, "c=a"), at(a, 2, "c=b"), at(a, 2, "c=z")});
        assertArrayEquals(new float[] {0, 0, 0}, new float[] {at(a, 3, "c=a"), at(a, 3, "c=b"), at(a, 3, "c=z")});
    }

    @Test
    void indicatorsAreAddedForColumnsMissingAnywhereAndAreTheSameAtEverySite() {
        for (StatsMode mode : StatsMode.values()) {
            List<Preprocessor> ps = Preprocessing.fit(List.of(A, B), RAW.withIndicators(true).withStats(mode));
            LabeledData a = ps.get(0).transform(A);
            LabeledData b = ps.get(1).transform(B);
            List<String> expected = List.of("x", "c=a", "c=b", "c=z", "w", "x_missing", "c_missing");
            assertEquals(expected, a.featureNames(), mode.name());
            assertEquals(expected, b.featureNames(), mode.name() + ": site B has no missing value but gets the same columns");
            assertEquals(1f, at(a, 2, "x_missing"));
            assertEquals(0f, at(a, 3, "x_missing"));
            assertEquals(1f, at(a, 3, "c_missing"));
            assertEquals(0f, at(b, 0, "x_missing"));
        }
    }

    @Test
    void schemaCanRequireAnIndicatorForAColumnWithoutMissingValues() {
        DatasetSchema s = DatasetSchema.of(LabelSpec.threshold("y", 0), FeatureSpec.numeric("x").withMissingIndicator());
        RawTable t = CsvLoader.load("x,y\n1,0\n2,1\n", "t.csv", s);
        LabeledData d = Preprocessing.fit(List.of(t), RAW.withIndicators(true)).getFirst().transform(t);
        assertEquals(List.of("x", "x_missing"), d.featureNames());
    }

    @Test
    void standardizationGivesZeroMeanUnitVarianceOverTheFederation() {
        Preprocessor p = Preprocessing.fit(List.of(A.completeRows(), B), RAW.withStandardize(true)).getFirst();
        LabeledData pooled = LabeledData.concat(List.of(p.transform(A.completeRows()), p.transform(B)));
        int col = pooled.featureNames().indexOf("x");
        double sum = 0;
        double sq = 0;
        for (int r = 0; r < pooled.rows(); r++) {
            double v = pooled.features()[r * pooled.cols() + col];
            sum += v;
            sq += v * v;
        }
        assertEquals(0.0, sum / pooled.rows(), 1e-6);
        assertEquals(1.0, sq / pooled.rows(), 1e-6);
        assertEquals(0f, at(pooled, 0, "w"), "a constant column is centred, not blown up");
        assertEquals(1f, at(pooled, 0, "c=a"), "categoricals are not standardized");
    }

    @Test
    void dropPolicyDropsIncompleteRowsAndAddsNoIndicators() {
        Preprocessor p = Preprocessing.fit(List.of(A, B), RAW.withMissing(MissingPolicy.DROP).withIndicators(true)).getFirst();
        LabeledData a = p.transform(A);
        assertEquals(2, a.rows());
        assertEquals(List.of("x", "c=a", "c=b", "c=z", "w"), a.featureNames());
    }

    @Test
    void federatedModeSharesOnePreprocessorAcrossSites() {
        List<Preprocessor> ps = Preprocessing.fit(List.of(A, B), PreprocessOptions.defaults());
        assertSame(ps.get(0), ps.get(1));
    }
}
