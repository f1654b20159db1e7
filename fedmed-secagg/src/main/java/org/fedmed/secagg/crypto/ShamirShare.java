package org.fedmed.secagg.crypto;

import java.util.Arrays;

/**
 * One holder's share of a secret split by {@link ShamirSecretSharing}: the holder's evaluation point
 * {@code x} (its client id, never 0) and one field element per 7-byte chunk of the secret.
 */
public record ShamirShare(int x, long[] y) {

    public ShamirShare {
        if (x < 1) {
            throw new IllegalArgumentException("share x must be >= 1 (x = 0 is the secret itself), got " + x);
        }
        if (y == null || y.length == 0) {
            throw new IllegalArgumentException("share at x=" + x + " has no values");
        }
        y = y.clone();
        for (long v : y) {
            if (v < 0 || v >= Mersenne61.P) {
                throw new IllegalArgumentException("share at x=" + x + " holds " + v + ", outside GF(2^61 - 1)");
            }
        }
    }

    @Override
    public long[] y() {
        return y.clone();
    }

    long yAt(int chunk) {
        return y[chunk];
    }

    int chunks() {
        return y.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ShamirShare s && x == s.x && Arrays.equals(y, s.y);
    }

    @Override
    public int hashCode() {
        return 31 * x + Arrays.hashCode(y);
    }

    @Override
    public String toString() {
        return "ShamirShare[x=" + x + ", " + y.length + " chunks]";
    }
}
