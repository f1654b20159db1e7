package org.fedmed.data.split;

import java.util.Arrays;

/**
 * Row indices of a two-way split (train/test or train/validation). Each index of the split table appears
 * in exactly one of the two arrays; both are sorted ascending.
 */
public record Split(int[] train, int[] test) {

    public Split {
        if (train == null || test == null) {
            throw new IllegalArgumentException("split fields 'train' and 'test' are required");
        }
        train = train.clone();
        test = test.clone();
        Arrays.sort(train);
        Arrays.sort(test);
    }
}
