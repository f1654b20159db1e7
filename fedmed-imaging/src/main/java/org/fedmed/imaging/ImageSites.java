package org.fedmed.imaging;

import java.util.ArrayList;
import java.util.List;
import org.fedmed.data.partition.Partition;
import org.fedmed.data.partition.Partitioner;

/**
 * Deals a pool of images out to simulated sites with one of fedmed-data's seeded {@link Partitioner}s (IID, Dirichlet
 * label skew as in NIID-Bench, quantity skew), so image sites are split exactly as tabular ones: the same labels,
 * site count and seed give the same sites. Take the seed from {@code Seeds.of(runSeed, Seeds.Stream.PARTITION)}.
 */
public final class ImageSites {

    private ImageSites() {
    }

    /** The images of each site, in site order; every image goes to exactly one site. */
    public static List<ImageData> split(ImageData pool, Partitioner partitioner, int sites, long seed) {
        Partition p = partitioner.partition(pool.labels(), pool.classes(), sites, seed);
        List<ImageData> out = new ArrayList<>();
        for (int[] rows : p.sites()) {
            out.add(pool.select(rows));
        }
        return out;
    }
}
