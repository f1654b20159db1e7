package org.fedmed.data.prep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.fedmed.data.csv.RawTable;
import org.fedmed.data.schema.DatasetSchema;
import org.fedmed.data.schema.FeatureSpec;
import org.fedmed.data.schema.LabelSpec;
import org.junit.jupiter.api.Test;

class FederatedStatisticsTest {

    private static final DatasetSchema SCHEMA = DatasetSchema.of(LabelSpec.threshold("y", 0),
            FeatureSpec.numeric("chol"), FeatureSpec.numeric("age"));

    /** Sites with different sizes, locations and missing rates, so a naive average of site means would be wrong. */
    private static List<RawTable> sites(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] sizes = {150, 37, 400, 9};
        double[] offsets = {240, 200, 300, 1e4};
        List<RawTable> out = new ArrayList<>();
        for (int s = 0; s < sizes.length; s++) {
            double[][] v = new double[sizes[s]][2];
            double[] y = new double[sizes[s]];
            for (int r = 0; r < sizes[s]; r++) {
                v[r][0] = rng.nextDouble() < 0.2 ? Double.NaN : offsets[s] + 40 * rng.nextGaussian();
                v[r][1] = 30 + 50 * rng.nextDouble();
                y[r] = r % 2;
            }
            out.add(new RawTable("site" + s, SCHEMA, v, y));
        }
        return out;
    }

    private static double[] pooledPresent(List<RawTable> sites, int col) {
        return sites.stream().flatMapToDouble(t -> java.util.Arrays.stream(t.column(col)))
                .filter(v -> !Double.isNaN(v)).toArray();
    }

    @Test
    void federatedMeanAndVarianceEqualPooled() {
        List<RawTable> sites = sites(7);
        List<ColumnMoments> merged = FederatedStatistics.mergeMoments(sites.stream().map(FederatedStatistics::moments).toList());
        for (int col = 0; col < 2; col++) {
            double[] pooled = pooledPresent(sites, col);
            double mean = java.util.Arrays.stream(pooled).sum() / pooled.length;
            double var = java.util.Arrays.stream(pooled).map(v -> (v - mean) * (v - mean)).sum() / pooled.length;
            ColumnMoments m = merged.get(col);
            assertEquals(pooled.length, m.count());
            assertEquals(mean, m.mean(), 1e-9 * Math.abs(mean), "mean of column " + col);
            assertEquals(var, m.variance(), 1e-9 * var, "variance of column " + col);
        }
        long missing = sites.stream().mapToLong(RawTable::missingCells).sum();
        assertEquals(missing, merged.get(0).missing() + merged.get(1).missing());
    }

    @Test
    void federatedMedianIsWithinOneBinOfPooledMedian() {
        List<RawTable> sites = sites(11);
        List<ColumnMoments> global = FederatedStatistics.mergeMoments(sites.stream().map(FederatedStatistics::moments).toList());
        int bins = 256;
        List<Histogram> merged = FederatedStatistics.mergeHistograms(
                sites.stream().map(t -> FederatedStatistics.histograms(t, global, bins)).toList());
        for (int col = 0; col < 2; col++) {
            double exact = FederatedStatistics.exactMedian(pooledPresent(sites, col));
            double width = (global.get(col).max() - global.get(col).min()) / bins;
            double approx = merged.get(col).quantile(0.5);
            assertTrue(Math.abs(approx - exact) <= width, "column " + col + ": " + approx + " vs " + exact + " (bin " + width + ")");
            assertEquals(global.get(col).count(), merged.get(col).total());
        }
    }

    @Test
    void exactMedianOfEvenCountAveragesTheMiddlePair() {
        assertEquals(2.5, FederatedStatistics.exactMedian(new double[] {4, Double.NaN, 1, 3, 2}));
        assertEquals(3.0, FederatedStatistics.exactMedian(new double[] {5, 3, 1}));
    }

    @Test
    void mergingWithNothingChangesNothing() {
        ColumnMoments m = ColumnMoments.of(new double[] {1, 2, Double.NaN, 6});
        assertEquals(m, m.merge(ColumnMoments.EMPTY));
        assertEquals(3.0, m.mean(), 1e-15);
        assertEquals(14.0 / 3, m.variance(), 1e-12);
    }
}
