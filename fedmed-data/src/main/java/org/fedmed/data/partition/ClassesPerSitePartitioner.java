package org.fedmed.data.partition;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.fedmed.data.split.Shuffle;

/**
 * Label skew by a fixed number of classes per site, NIID-Bench's "#C=k" ({@code noniid-#label k}, Li et al. 2022):
 * each site holds exactly {@code classesPerSite} distinct classes, and each class's rows, in seeded random order,
 * are split into near-equal parts (sizes differ by at most one) among the sites that hold it. As in NIID-Bench, site
 * i's first class is {@code i mod classes} and the others are drawn at random without repeats; unlike it, when there
 * are fewer sites than classes the classes no first pick covers are dealt to the sites in turn before any random
 * draw, so every row goes to a site. It needs {@code sites * classesPerSite >= classes} for that.
 */
public record ClassesPerSitePartitioner(int classesPerSite) implements Partitioner {

    public ClassesPerSitePartitioner {
        if (classesPerSite < 1) {
            throw new IllegalArgumentException("partition 'classes_per_site' must be >= 1, got " + classesPerSite);
        }
    }

    @Override
    public Partition partition(int[] labels, int classes, int sites, long seed) {
        int[][] byClass = Partitioner.byClass(labels, classes, sites);
        if (classesPerSite > classes) {
            throw new IllegalArgumentException("partition 'classes_per_site' is " + classesPerSite + " but the data has"
                    + " only " + classes + " classes");
        }
        if ((long) sites * classesPerSite < classes) {
            throw new IllegalArgumentException("partition 'classes_per_site' " + classesPerSite + " over " + sites
                    + " sites covers at most " + (long) sites * classesPerSite + " of the " + classes + " classes;"
                    + " every class needs a site (sites * classes_per_site >= classes)");
        }
        SplittableRandom rng = new SplittableRandom(seed);
        List<List<Integer>> held = new ArrayList<>();
        for (int s = 0; s < sites; s++) {
            held.add(new ArrayList<>(List.of(s % classes)));
        }
        for (int c = sites; c < classes; c++) {
            held.get((c - sites) % sites).add(c);
        }
        for (List<Integer> site : held) {
            while (site.size() < classesPerSite) {
                int c = rng.nextInt(classes);
                if (!site.contains(c)) {
                    site.add(c);
                }
            }
        }
        List<List<Integer>> out = new ArrayList<>();
        for (int s = 0; s < sites; s++) {
            out.add(new ArrayList<>());
        }
        for (int c = 0; c < classes; c++) {
            List<Integer> holders = new ArrayList<>();
            for (int s = 0; s < sites; s++) {
                if (held.get(s).contains(c)) {
                    holders.add(s);
                }
            }
            int[] rows = byClass[c].clone();
            Shuffle.shuffle(rows, rng);
            // numpy's array_split: the first (n mod parts) parts take one row more
            int parts = holders.size();
            int base = rows.length / parts;
            int extra = rows.length % parts;
            int at = 0;
            for (int p = 0; p < parts; p++) {
                int size = base + (p < extra ? 1 : 0);
                for (int i = 0; i < size; i++) {
                    out.get(holders.get(p)).add(rows[at++]);
                }
            }
        }
        return new Partition(labels.length, out.stream()
                .map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new));
    }
}
