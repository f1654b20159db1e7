package org.fedmed.secagg.crypto;

import static org.junit.jupiter.api.Assertions.*;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Mersenne61Test {

    static final BigInteger P = BigInteger.valueOf(Mersenne61.P);

    @Test
    void modulusIsPrime() {
        assertTrue(P.isProbablePrime(64));
    }

    @Test
    void productsAgreeWithBigIntegerArithmetic() {
        SplittableRandom r = new SplittableRandom(3);
        long[] edge = {0, 1, 2, Mersenne61.P - 1, Mersenne61.P - 2, 1L << 60, (1L << 60) + 12345};
        for (int i = 0; i < 20_000; i++) {
            long a = i < edge.length * edge.length ? edge[i % edge.length] : r.nextLong(Mersenne61.P);
            long b = i < edge.length * edge.length ? edge[i / edge.length] : r.nextLong(Mersenne61.P);
            long expected = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).mod(P).longValueExact();
            assertEquals(expected, Mersenne61.mul(a, b), a + " * " + b);
            assertEquals(BigInteger.valueOf(a).add(BigInteger.valueOf(b)).mod(P).longValueExact(), Mersenne61.add(a, b));
            assertEquals(BigInteger.valueOf(a).subtract(BigInteger.valueOf(b)).mod(P).longValueExact(),
                    Mersenne61.sub(a, b));
        }
    }

    @Test
    void inverseTimesValueIsOneAndZeroHasNoInverse() {
        SplittableRandom r = new SplittableRandom(4);
        for (int i = 0; i < 200; i++) {
            long a = 1 + r.nextLong(Mersenne61.P - 1);
            assertEquals(1, Mersenne61.mul(a, Mersenne61.inverse(a)));
        }
        assertThrows(ArithmeticException.class, () -> Mersenne61.inverse(0));
    }
}
