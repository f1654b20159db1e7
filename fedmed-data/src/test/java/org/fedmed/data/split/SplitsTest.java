package org.fedmed.data.split;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SplitsTest {

    private static int[] labels(int zeros, int ones) {
        int[] y = new int[zeros + ones];
        Arrays.fill(y, zeros, y.length, 1);
        return y;
    }

    @Test
    void stratifiedSplitHoldsOutTheFractionOfEachClass() {
        int[] y = labels(80, 20);
        Split s = Splits.stratified(y, 2, 0.25, 3);
        assertEquals(25, s.test().length);
        assertEquals(5, Arrays.stream(s.test()).filter(i -> y[i] == 1).count());
        assertEquals(20, Arrays.stream(s.test()).filter(i -> y[i] == 0).count());
    }

    @Test
    void everyRowLandsInExactlyOnePart() {
        Split s = Splits.stratified(labels(37, 14), 2, 0.3, 5);
        int[] all = IntStream.concat(Arrays.stream(s.train()), Arrays.stream(s.test())).sorted().toArray();
        assertArrayEquals(IntStream.range(0, 51).toArray(), all);
    }

    @Test
    void sameSeedSameSplitOtherSeedOtherSplit() {
        int[] y = labels(50, 50);
        assertArrayEquals(Splits.stratified(y, 2, 0.25, 9).test(), Splits.stratified(y, 2, 0.25, 9).test());
        assertFalse(Arrays.equals(Splits.stratified(y, 2, 0.25, 9).test(), Splits.stratified(y, 2, 0.25, 10).test()));
    }

    @Test
    void aClassWithTwoOrMoreRowsKeepsOneInTraining() {
        int[] y = labels(10, 2);
        Split s = Splits.stratified(y, 2, 0.9, 1);
        assertEquals(1, Arrays.stream(s.train()).filter(i -> y[i] == 1).count());
    }

    @Test
    void fractionOutsideRangeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Splits.stratified(labels(3, 3), 2, 1.0, 1));
    }
}
