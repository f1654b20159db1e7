package org.fedmed.secagg.crypto;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class MaskPrgTest {

    @Test
    void sameSeedGivesSameMaskAndSubtractingCancelsIt() {
        byte[] seed = new byte[32];
        seed[0] = 7;
        for (int bits : new int[] {8, 20, 32, 33, 48, 62}) {
            long[] a = MaskPrg.expand(seed, 5000, bits);
            assertArrayEquals(a, MaskPrg.expand(seed, 5000, bits));
            long[] acc = new long[5000];
            MaskPrg.apply(acc, seed, false, bits);
            MaskPrg.apply(acc, seed, true, bits);
            for (long v : acc) {
                assertEquals(0, v);
            }
            for (long v : a) {
                assertTrue(v >= 0 && v < (1L << bits), bits + " bits: " + v);
            }
        }
    }

    @Test
    void differentSeedsGiveDifferentMasks() {
        byte[] s1 = new byte[32];
        byte[] s2 = new byte[32];
        s2[31] = 1;
        long[] a = MaskPrg.expand(s1, 1000, 32);
        long[] b = MaskPrg.expand(s2, 1000, 32);
        int same = 0;
        for (int i = 0; i < a.length; i++) {
            same += a[i] == b[i] ? 1 : 0;
        }
        assertTrue(same < 3, same + " equal elements");
    }
}
