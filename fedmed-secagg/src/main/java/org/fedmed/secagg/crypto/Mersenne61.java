package org.fedmed.secagg.crypto;

import java.security.SecureRandom;

/**
 * Arithmetic in the prime field GF(p), p = 2^61 - 1 (a Mersenne prime), on longs in [0, p). Products are
 * reduced with {@link Math#multiplyHigh} and the identity 2^61 = 1 (mod p), so Shamir sharing of many secrets
 * among hundreds of holders needs no big-integer arithmetic.
 */
final class Mersenne61 {

    /** The modulus 2^61 - 1. */
    static final long P = (1L << 61) - 1;

    private Mersenne61() {
    }

    static long add(long a, long b) {
        long s = a + b;
        return s >= P ? s - P : s;
    }

    static long sub(long a, long b) {
        long d = a - b;
        return d < 0 ? d + P : d;
    }

    static long mul(long a, long b) {
        long lo = a * b;
        long hi = Math.multiplyHigh(a, b);
        // a*b < 2^122 = hi*2^64 + lo; split it as high*2^61 + low with high < 2^61, and 2^61 = 1 (mod p).
        long low = lo & P;
        long high = (lo >>> 61) | (hi << 3);
        long s = low + high;
        return s >= P ? s - P : s;
    }

    static long pow(long base, long exponent) {
        long result = 1;
        long b = base;
        long e = exponent;
        while (e > 0) {
            if ((e & 1) == 1) {
                result = mul(result, b);
            }
            b = mul(b, b);
            e >>>= 1;
        }
        return result;
    }

    /** The multiplicative inverse; a must be non-zero. */
    static long inverse(long a) {
        if (a == 0) {
            throw new ArithmeticException("zero has no inverse in GF(2^61 - 1)");
        }
        return pow(a, P - 2);
    }

    /** An element reduced from any integer in (-p, 2^63). */
    static long of(long v) {
        long r = v % P;
        return r < 0 ? r + P : r;
    }

    /** A uniformly random element, by rejection from 61 random bits. */
    static long random(SecureRandom random) {
        while (true) {
            long v = random.nextLong() >>> 3;
            if (v < P) {
                return v;
            }
        }
    }
}
