package org.fedmed.secagg.crypto;

import java.security.SecureRandom;
import java.util.List;

/**
 * Shamir's t-of-m secret sharing over GF(2^61 - 1). A secret of any length is cut into 7-byte chunks, each
 * a field element below 2^56, and each chunk is shared with its own random polynomial of degree t - 1 whose
 * constant term is the chunk. Any t shares rebuild the secret exactly; any t - 1 are consistent with every
 * possible secret, so they reveal nothing about it.
 */
public final class ShamirSecretSharing {

    /** Bytes of secret per field element. */
    public static final int CHUNK_BYTES = 7;

    private ShamirSecretSharing() {
    }

    /** Field elements per share of a secret of {@code secretLength} bytes. */
    public static int chunkCount(int secretLength) {
        return (secretLength + CHUNK_BYTES - 1) / CHUNK_BYTES;
    }

    /**
     * Splits {@code secret} into one share per holder.
     *
     * @param threshold shares needed to rebuild, in [1, xs.length]
     * @param xs        the holders' evaluation points: distinct, >= 1
     */
    public static ShamirShare[] split(byte[] secret, int threshold, int[] xs, SecureRandom random) {
        if (secret.length == 0) {
            throw new IllegalArgumentException("secret to share is empty");
        }
        if (threshold < 1 || threshold > xs.length) {
            throw new IllegalArgumentException("threshold must be in [1, holders = " + xs.length + "], got " + threshold);
        }
        checkDistinctPoints(xs);
        int chunks = chunkCount(secret.length);
        long[][] ys = new long[xs.length][chunks];
        long[] coefficients = new long[threshold];
        for (int c = 0; c < chunks; c++) {
            coefficients[0] = chunkValue(secret, c);
            for (int k = 1; k < threshold; k++) {
                coefficients[k] = Mersenne61.random(random);
            }
            for (int h = 0; h < xs.length; h++) {
                long x = xs[h];
                long acc = coefficients[threshold - 1];
                for (int k = threshold - 2; k >= 0; k--) {
                    acc = Mersenne61.add(Mersenne61.mul(acc, x), coefficients[k]);
                }
                ys[h][c] = acc;
            }
        }
        ShamirShare[] shares = new ShamirShare[xs.length];
        for (int h = 0; h < xs.length; h++) {
            shares[h] = new ShamirShare(xs[h], ys[h]);
        }
        return shares;
    }

    /**
     * Rebuilds a secret of {@code secretLength} bytes from exactly the shares given (pass t of them).
     *
     * @throws IllegalArgumentException if the shares disagree in size, repeat a holder, or do not interpolate to a
     *                                  valid secret (too few shares or a corrupted one)
     */
    public static byte[] combine(List<ShamirShare> shares, int secretLength) {
        return combine(lagrangeAtZero(pointsOf(shares)), shares, secretLength);
    }

    /** As {@link #combine(List, int)}, with Lagrange coefficients computed beforehand for the shares' points. */
    public static byte[] combine(long[] lagrange, List<ShamirShare> shares, int secretLength) {
        long[] chunks = interpolateAtZero(lagrange, shares);
        if (chunks.length != chunkCount(secretLength)) {
            throw new IllegalArgumentException("shares hold " + chunks.length + " chunks but a " + secretLength
                    + "-byte secret has " + chunkCount(secretLength));
        }
        byte[] secret = new byte[secretLength];
        for (int c = 0; c < chunks.length; c++) {
            int from = c * CHUNK_BYTES;
            int len = Math.min(CHUNK_BYTES, secretLength - from);
            if ((chunks[c] >>> (8 * len)) != 0) {
                throw new IllegalArgumentException("shares do not rebuild a valid secret (chunk " + c
                        + " is out of range): too few shares, or a corrupted one");
            }
            for (int b = 0; b < len; b++) {
                secret[from + b] = (byte) (chunks[c] >>> (8 * b));
            }
        }
        return secret;
    }

    /** The value at 0 of the polynomial through the shares, chunk by chunk, as raw field elements. */
    public static long[] interpolateAtZero(List<ShamirShare> shares) {
        return interpolateAtZero(lagrangeAtZero(pointsOf(shares)), shares);
    }

    private static long[] interpolateAtZero(long[] lagrange, List<ShamirShare> shares) {
        if (shares.isEmpty()) {
            throw new IllegalArgumentException("no shares to combine");
        }
        if (lagrange.length != shares.size()) {
            throw new IllegalArgumentException(lagrange.length + " Lagrange coefficients for " + shares.size() + " shares");
        }
        int chunks = shares.getFirst().chunks();
        long[] out = new long[chunks];
        for (int i = 0; i < shares.size(); i++) {
            ShamirShare s = shares.get(i);
            if (s.chunks() != chunks) {
                throw new IllegalArgumentException("share at x=" + s.x() + " has " + s.chunks() + " chunks, expected "
                        + chunks);
            }
            for (int c = 0; c < chunks; c++) {
                out[c] = Mersenne61.add(out[c], Mersenne61.mul(lagrange[i], s.yAt(c)));
            }
        }
        return out;
    }

    /**
     * The Lagrange basis coefficients at 0 for the points {@code xs}: {@code l_i = prod_{j != i} x_j / (x_j - x_i)}.
     * O(t^2) field multiplications and one inversion.
     */
    public static long[] lagrangeAtZero(int[] xs) {
        checkDistinctPoints(xs);
        int t = xs.length;
        long[] numerators = new long[t];
        long[] denominators = new long[t];
        for (int i = 0; i < t; i++) {
            long num = 1;
            long den = 1;
            for (int j = 0; j < t; j++) {
                if (j != i) {
                    num = Mersenne61.mul(num, xs[j]);
                    den = Mersenne61.mul(den, Mersenne61.of((long) xs[j] - xs[i]));
                }
            }
            numerators[i] = num;
            denominators[i] = den;
        }
        long[] inverses = batchInverse(denominators);
        long[] out = new long[t];
        for (int i = 0; i < t; i++) {
            out[i] = Mersenne61.mul(numerators[i], inverses[i]);
        }
        return out;
    }

    /** Inverts every element with one field inversion (Montgomery's trick). */
    private static long[] batchInverse(long[] values) {
        int n = values.length;
        long[] prefix = new long[n];
        long acc = 1;
        for (int i = 0; i < n; i++) {
            prefix[i] = acc;
            acc = Mersenne61.mul(acc, values[i]);
        }
        long inv = Mersenne61.inverse(acc);
        long[] out = new long[n];
        for (int i = n - 1; i >= 0; i--) {
            out[i] = Mersenne61.mul(inv, prefix[i]);
            inv = Mersenne61.mul(inv, values[i]);
        }
        return out;
    }

    private static int[] pointsOf(List<ShamirShare> shares) {
        int[] xs = new int[shares.size()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = shares.get(i).x();
        }
        return xs;
    }

    private static void checkDistinctPoints(int[] xs) {
        if (xs.length == 0) {
            throw new IllegalArgumentException("no share holders given");
        }
        int[] sorted = xs.clone();
        java.util.Arrays.sort(sorted);
        if (sorted[0] < 1) {
            throw new IllegalArgumentException("share points must be >= 1, got " + sorted[0]);
        }
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                throw new IllegalArgumentException("share point " + sorted[i] + " appears twice");
            }
        }
    }

    private static long chunkValue(byte[] secret, int chunk) {
        int from = chunk * CHUNK_BYTES;
        int len = Math.min(CHUNK_BYTES, secret.length - from);
        long v = 0;
        for (int b = 0; b < len; b++) {
            v |= (secret[from + b] & 0xFFL) << (8 * b);
        }
        return v;
    }
}
