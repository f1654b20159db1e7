package org.fedmed.data.partition;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.fedmed.data.split.Shuffle;

/**
 * IID partition: rows of each class, in seeded random order, are dealt to sites in turn, continuing the
 * turn across classes. Site sizes differ by at most one row, and so does each class's count across sites.
 */
public record IidPartitioner() implements Partitioner {

    @Override
    public Partition partition(int[] labels, int classes, int sites, long seed) {
        int[][] byClass = Partitioner.byClass(labels, classes, sites);
        SplittableRandom rng = new SplittableRandom(seed);
        List<List<Integer>> out = new ArrayList<>();
        for (int s = 0; s < sites; s++) {
            out.add(new ArrayList<>());
        }
        int turn = 0;
        for (int[] rows : byClass) {
            int[] shuffled = rows.clone();
            Shuffle.shuffle(shuffled, rng);
            for (int r : shuffled) {
                out.get(turn).add(r);
                turn = (turn + 1) % sites;
            }
        }
        return new Partition(labels.length, out.stream()
                .map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new));
    }
}
