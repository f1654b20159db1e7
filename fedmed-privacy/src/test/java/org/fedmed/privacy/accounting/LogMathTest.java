package org.fedmed.privacy.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LogMathTest {

    @Test
    void logErfcMatchesTabulatedValuesAcrossTheRange() {
        // erfc values from Abramowitz and Stegun, Table 7.1, and the series erfc(x) = 1 - 2/sqrt(pi) (x - x^3/3 + ...).
        assertEquals(0.0, LogMath.logErfc(0), 1e-15);
        assertEquals(Math.log(0.4795001221869535), LogMath.logErfc(0.5), 1e-13);
        assertEquals(Math.log(0.15729920705028513), LogMath.logErfc(1), 1e-13);
        assertEquals(Math.log(0.004677734981047266), LogMath.logErfc(2), 1e-12);
        assertEquals(Math.log(2.209049699858544e-5), LogMath.logErfc(3), 1e-12);
        assertEquals(Math.log(2 - 0.15729920705028513), LogMath.logErfc(-1), 1e-13);
        assertEquals(Math.log(2), LogMath.logErfc(-40), 1e-15);
    }

    @Test
    void logErfcFollowsTheAsymptoticTailWhereErfcUnderflows() {
        for (double x : new double[]{30, 100, 1000}) {
            double asymptotic = -x * x - Math.log(x) - 0.5 * Math.log(Math.PI)
                    + Math.log1p(-1 / (2 * x * x) + 3 / (4 * Math.pow(x, 4)));
            assertEquals(asymptotic, LogMath.logErfc(x), 1e-9 * Math.abs(asymptotic), "x = " + x);
        }
    }

    @Test
    void logAddAndLogSubInvertEachOther() {
        double a = Math.log(5);
        double b = Math.log(3);
        assertEquals(Math.log(8), LogMath.logAdd(a, b), 1e-15);
        assertEquals(Math.log(2), LogMath.logSub(a, b), 1e-15);
        assertEquals(a, LogMath.logAdd(a, Double.NEGATIVE_INFINITY));
        assertEquals(Double.NEGATIVE_INFINITY, LogMath.logSub(a, a));
        assertThrows(ArithmeticException.class, () -> LogMath.logSub(b, a));
    }
}
