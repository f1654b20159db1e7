package org.fedmed.imaging;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.fedmed.core.Seeds;
import org.fedmed.data.partition.DirichletPartitioner;
import org.fedmed.data.partition.IidPartitioner;
import org.junit.jupiter.api.Test;

/** Images are dealt to sites by the tabular partitioners: IID or label-skewed, seeded. */
class ImageSitesTest {

    static final long SEED = Seeds.of(42, Seeds.Stream.PARTITION);

    @Test
    void iidSitesGetEqualSharesOfEveryImageOnce() {
        ImageData pool = FashionMnist.train(FashionMnist.directory(), 600);
        List<ImageData> sites = ImageSites.split(pool, new IidPartitioner(), 3, SEED);
        int[] total = new int[10];
        for (ImageData s : sites) {
            assertEquals(200, s.count());
            int[] c = s.classCounts();
            for (int k = 0; k < 10; k++) {
                total[k] += c[k];
            }
        }
        assertArrayEquals(pool.classCounts(), total);
    }

    @Test
    void dirichletSitesAreLabelSkewedAndReproducibleFromTheSeed() {
        ImageData pool = FashionMnist.train(FashionMnist.directory(), 600);
        List<ImageData> sites = ImageSites.split(pool, new DirichletPartitioner(0.1, 10), 3, SEED);
        assertEquals(sites, ImageSites.split(pool, new DirichletPartitioner(0.1, 10), 3, SEED));
        // with alpha 0.1 most of each class lands on one site: some site holds at least 90% of some class
        boolean concentrated = false;
        int[] all = pool.classCounts();
        for (ImageData s : sites) {
            int[] c = s.classCounts();
            for (int k = 0; k < 10; k++) {
                concentrated |= c[k] >= 0.9 * all[k];
            }
        }
        assertTrue(concentrated);
        assertEquals(600, sites.stream().mapToInt(ImageData::count).sum());
    }
}
