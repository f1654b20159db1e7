package org.fedmed.secagg.crypto;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MaskPrgTest {

    @Test
    void theMaskIsTheAes256CtrKeystreamReadAsLittleEndianWords() {
        // AES-256 under the all-zero key of the all-zero block (the first counter block) is
        // dc95c078 a2408989 ad48a214 92842087, a published known-answer value
        long[] words = MaskPrg.expand(new byte[32], 4, 32);
        assertArrayEquals(new long[] {0x78c095dcL, 0x898940a2L, 0x14a248adL, 0x87208492L}, words);
        long[] wide = MaskPrg.expand(new byte[32], 2, 62);
        assertEquals(0x898940a278c095dcL & ((1L << 62) - 1), wide[0], "8 bytes an element above 32 bits");
    }

    @Test
    void applyingManyMasksOverParallelRangesEqualsApplyingThemOneAfterTheOther() {
        SplittableRandom random = new SplittableRandom(11);
        for (int bits : new int[] {32, 48}) {
            for (int length : new int[] {3, 65_537, 200_003}) {
                List<MaskPrg.Mask> masks = new ArrayList<>();
                for (int k = 0; k < 5; k++) {
                    byte[] seed = new byte[32];
                    random.nextBytes(seed);
                    masks.add(new MaskPrg.Mask(seed, k % 2 == 1));
                }
                long[] sequential = new long[length];
                for (MaskPrg.Mask m : masks) {
                    MaskPrg.apply(sequential, m.seed(), m.subtract(), bits);
                }
                long[] parallel = new long[length];
                MaskPrg.applyAll(parallel, masks, bits);
                assertArrayEquals(sequential, parallel, bits + " bits, " + length + " elements");
                assertNotEquals(0, parallel[length - 1], "the last element is masked too");
            }
        }
    }

    @Test
    void applyingMasksInTurnEqualsEachWholeKeystreamAddedWordByWord() throws Exception {
        SplittableRandom random = new SplittableRandom(12);
        for (int bits : new int[] {32, 48}) {
            int bytesPerElement = bits <= 32 ? 4 : 8;
            for (int length : new int[] {1, 1023, 1025, 100_003}) {
                List<MaskPrg.Mask> masks = new ArrayList<>();
                long[] expected = new long[length];
                for (int k = 0; k < 4; k++) {
                    byte[] seed = new byte[32];
                    random.nextBytes(seed);
                    boolean subtract = k % 2 == 0;
                    masks.add(new MaskPrg.Mask(seed, subtract));
                    // the reference: the whole AES-256-CTR keystream from a zero counter block in one call
                    javax.crypto.Cipher aes = javax.crypto.Cipher.getInstance("AES/CTR/NoPadding");
                    aes.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(seed, "AES"),
                            new javax.crypto.spec.IvParameterSpec(new byte[16]));
                    java.nio.ByteBuffer words = java.nio.ByteBuffer.wrap(aes.doFinal(new byte[length * bytesPerElement]))
                            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
                    for (int i = 0; i < length; i++) {
                        long w = bytesPerElement == 4 ? words.getInt() : words.getLong();
                        expected[i] += subtract ? -w : w;
                    }
                }
                long[] inTurn = new long[length];
                MaskPrg.applyInTurn(inTurn, masks, bits);
                assertArrayEquals(expected, inTurn, bits + " bits, " + length + " elements");
            }
        }
    }

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
