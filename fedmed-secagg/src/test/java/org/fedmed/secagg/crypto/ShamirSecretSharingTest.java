package org.fedmed.secagg.crypto;

import static org.junit.jupiter.api.Assertions.*;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fedmed.secagg.RandomnessSource;
import org.junit.jupiter.api.Test;

class ShamirSecretSharingTest {

    final SecureRandom random = RandomnessSource.seededForSimulation(11).forClient(1);

    byte[] secret32() {
        byte[] s = new byte[32];
        random.nextBytes(s);
        return s;
    }

    @Test
    void everySubsetOfThresholdSharesRebuildsTheSecret() {
        byte[] secret = secret32();
        int[] xs = {2, 3, 5, 7, 11, 13, 17};
        int t = 4;
        ShamirShare[] shares = ShamirSecretSharing.split(secret, t, xs, random);
        int subsets = 0;
        for (int mask = 0; mask < 1 << xs.length; mask++) {
            if (Integer.bitCount(mask) != t) {
                continue;
            }
            List<ShamirShare> chosen = new ArrayList<>();
            for (int i = 0; i < xs.length; i++) {
                if ((mask & (1 << i)) != 0) {
                    chosen.add(shares[i]);
                }
            }
            assertArrayEquals(secret, ShamirSecretSharing.combine(chosen, secret.length), "subset " + chosen);
            subsets++;
        }
        assertEquals(35, subsets);
    }

    @Test
    void fewerThanThresholdSharesDoNotDetermineTheSecret() {
        byte[] secret = secret32();
        int[] xs = {1, 2, 3, 4, 5, 6};
        int t = 4;
        ShamirShare[] shares = ShamirSecretSharing.split(secret, t, xs, random);
        long[] truth = ShamirSecretSharing.interpolateAtZero(Arrays.asList(shares).subList(0, t));
        // Any t - 1 shares interpolate (as a lower-degree polynomial) to something other than the secret.
        for (int skip = 0; skip < t; skip++) {
            List<ShamirShare> fewer = new ArrayList<>(Arrays.asList(shares).subList(0, t));
            fewer.remove(skip);
            long[] guess = ShamirSecretSharing.interpolateAtZero(fewer);
            for (int c = 0; c < truth.length; c++) {
                assertNotEquals(truth[c], guess[c], "chunk " + c + " without share " + skip);
            }
        }
        // And t - 1 shares are consistent with a different secret: a second sharing that agrees on them exists.
        List<ShamirShare> known = Arrays.asList(shares).subList(0, t - 1);
        long[] otherSecret = new long[truth.length];
        Arrays.fill(otherSecret, 42);
        List<ShamirShare> withOther = new ArrayList<>(known);
        // The polynomial through (0, 42) and the t - 1 known points has degree t - 1 and reproduces those shares.
        long[] valueAtSix = valueAt(withOther, otherSecret, 6);
        List<ShamirShare> rebuilt = new ArrayList<>(known);
        rebuilt.add(new ShamirShare(6, valueAtSix));
        assertArrayEquals(otherSecret, ShamirSecretSharing.interpolateAtZero(rebuilt));
        assertThrows(IllegalArgumentException.class,
                () -> ShamirSecretSharing.combine(List.of(shares[0], shares[1], shares[2]), secret.length));
    }

    /** The value at x of the polynomial through (0, secret) and the given shares, chunk by chunk. */
    private static long[] valueAt(List<ShamirShare> shares, long[] secret, int x) {
        int m = shares.size() + 1;
        long[] xs = new long[m];
        long[][] ys = new long[m][];
        xs[0] = 0;
        ys[0] = secret;
        for (int i = 0; i < shares.size(); i++) {
            xs[i + 1] = shares.get(i).x();
            ys[i + 1] = shares.get(i).y();
        }
        long[] out = new long[secret.length];
        for (int i = 0; i < m; i++) {
            long basis = 1;
            for (int j = 0; j < m; j++) {
                if (j != i) {
                    basis = Mersenne61.mul(basis, Mersenne61.mul(Mersenne61.of(x - xs[j]),
                            Mersenne61.inverse(Mersenne61.of(xs[i] - xs[j]))));
                }
            }
            for (int c = 0; c < out.length; c++) {
                out[c] = Mersenne61.add(out[c], Mersenne61.mul(basis, ys[i][c]));
            }
        }
        return out;
    }

    @Test
    void secretsOfAnyLengthRoundTrip() {
        for (int len : new int[] {1, 6, 7, 8, 14, 15, 33}) {
            byte[] secret = new byte[len];
            random.nextBytes(secret);
            ShamirShare[] shares = ShamirSecretSharing.split(secret, 2, new int[] {4, 9, 30}, random);
            assertEquals(ShamirSecretSharing.chunkCount(len), shares[0].y().length);
            assertArrayEquals(secret, ShamirSecretSharing.combine(List.of(shares[2], shares[0]), len), "length " + len);
        }
    }

    @Test
    void repeatedOrZeroPointsAreRejected() {
        byte[] secret = secret32();
        var e = assertThrows(IllegalArgumentException.class,
                () -> ShamirSecretSharing.split(secret, 2, new int[] {3, 5, 3}, random));
        assertTrue(e.getMessage().contains("3 appears twice"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ShamirSecretSharing.split(secret, 2, new int[] {0, 1}, random));
        assertThrows(IllegalArgumentException.class, () -> ShamirSecretSharing.split(secret, 4, new int[] {1, 2, 3}, random));
    }
}
