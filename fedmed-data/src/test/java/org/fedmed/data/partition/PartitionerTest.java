package org.fedmed.data.partition;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PartitionerTest {

    private static final int CLASSES = 3;

    /** 1200 rows, classes in proportions 50% / 30% / 20%. */
    private static int[] labels() {
        int[] y = new int[1200];
        for (int i = 0; i < y.length; i++) {
            y[i] = i < 600 ? 0 : i < 960 ? 1 : 2;
        }
        return y;
    }

    /** Mean over sites of the total-variation distance between a site's class mix and the global one. */
    private static double labelSkew(Partition p, int[] y) {
        int[][] counts = p.classCounts(y, CLASSES);
        double[] global = {0.5, 0.3, 0.2};
        double sum = 0;
        for (int[] site : counts) {
            int n = Arrays.stream(site).sum();
            double tv = 0;
            for (int c = 0; c < CLASSES; c++) {
                tv += Math.abs((double) site[c] / n - global[c]);
            }
            sum += tv / 2;
        }
        return sum / counts.length;
    }

    @Test
    void iidSizesDifferByAtMostOneAndClassMixMatches() {
        int[] y = labels();
        Partition p = new IidPartitioner().partition(y, CLASSES, 7, 1);
        int[] sizes = p.sizes();
        assertTrue(Arrays.stream(sizes).max().getAsInt() - Arrays.stream(sizes).min().getAsInt() <= 1, Arrays.toString(sizes));
        for (int c = 0; c < CLASSES; c++) {
            final int cls = c;
            int[] perSite = Arrays.stream(p.classCounts(y, CLASSES)).mapToInt(s -> s[cls]).toArray();
            assertTrue(Arrays.stream(perSite).max().getAsInt() - Arrays.stream(perSite).min().getAsInt() <= 1,
                    "class " + c + ": " + Arrays.toString(perSite));
        }
        assertTrue(labelSkew(p, y) < 0.01);
    }

    @Test
    void dirichletSmallAlphaSkewsLabelsLargeAlphaIsNearIid() {
        int[] y = labels();
        double skewed = labelSkew(new DirichletPartitioner(0.1, 10).partition(y, CLASSES, 5, 2), y);
        double mild = labelSkew(new DirichletPartitioner(1000, 10).partition(y, CLASSES, 5, 2), y);
        assertTrue(skewed > 0.25, "alpha 0.1 skew " + skewed);
        assertTrue(mild < 0.05, "alpha 1000 skew " + mild);
    }

    @Test
    void dirichletGivesEverySiteTheMinimumRows() {
        int[] y = labels();
        for (long seed = 0; seed < 20; seed++) {
            Partition p = new DirichletPartitioner(0.1, 25).partition(y, CLASSES, 8, seed);
            assertTrue(Arrays.stream(p.sizes()).min().getAsInt() >= 25, Arrays.toString(p.sizes()));
        }
    }

    @Test
    void quantitySkewVariesSizesButKeepsLabelsIid() {
        int[] y = labels();
        Partition p = new QuantitySkewPartitioner(0.5, 20).partition(y, CLASSES, 5, 4);
        int[] sizes = p.sizes();
        assertTrue(Arrays.stream(sizes).max().getAsInt() > 2 * Arrays.stream(sizes).min().getAsInt(), Arrays.toString(sizes));
        assertTrue(Arrays.stream(sizes).min().getAsInt() >= 20);
        int[][] counts = p.classCounts(y, CLASSES);
        int biggest = 0;
        for (int s = 1; s < sizes.length; s++) {
            biggest = sizes[s] > sizes[biggest] ? s : biggest;
        }
        assertEquals(0.5, (double) counts[biggest][0] / sizes[biggest], 0.08, "class mix of the largest site");
    }

    @Test
    void everyPartitionerAssignsEveryRowExactlyOnce() {
        int[] y = labels();
        for (PartitionerKind kind : PartitionerKind.values()) {
            Partition p = kind.create(0.3, 5).partition(y, CLASSES, 6, 8);
            int[] all = Arrays.stream(p.sites()).flatMapToInt(Arrays::stream).sorted().toArray();
            assertEquals(y.length, all.length, kind.name());
            for (int i = 0; i < all.length; i++) {
                assertEquals(i, all[i], kind.name());
            }
        }
    }

    @Test
    void sameSeedSamePartitionOtherSeedOther() {
        int[] y = labels();
        for (PartitionerKind kind : PartitionerKind.values()) {
            Partitioner p = kind.create(0.5, 5);
            assertArrayEquals(p.partition(y, CLASSES, 4, 77).sites(), p.partition(y, CLASSES, 4, 77).sites(), kind.name());
            assertFalse(Arrays.deepEquals(p.partition(y, CLASSES, 4, 77).sites(), p.partition(y, CLASSES, 4, 78).sites()),
                    kind.name());
        }
    }

    @Test
    void impossibleMinimumIsReportedClearly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DirichletPartitioner(0.5, 300).partition(labels(), CLASSES, 5, 1));
        assertTrue(e.getMessage().contains("300"), e.getMessage());
    }

    @Test
    void gammaSamplerHasMeanAndVarianceEqualToShape() {
        SplittableRandom rng = new SplittableRandom(5);
        for (double shape : new double[] {0.3, 1.0, 4.5}) {
            int n = 200_000;
            double sum = 0;
            double sq = 0;
            for (int i = 0; i < n; i++) {
                double g = Dirichlet.gamma(rng, shape);
                assertTrue(g >= 0);
                sum += g;
                sq += g * g;
            }
            double mean = sum / n;
            assertEquals(shape, mean, 0.02 * Math.max(1, shape), "mean for shape " + shape);
            assertEquals(shape, sq / n - mean * mean, 0.05 * Math.max(1, shape), "variance for shape " + shape);
        }
    }

    @Test
    void dirichletDrawSumsToOne() {
        double[] p = Dirichlet.sample(new SplittableRandom(1), 0.05, 10);
        assertEquals(1.0, Arrays.stream(p).sum(), 1e-12);
        assertTrue(Arrays.stream(p).allMatch(v -> v >= 0));
    }
}
