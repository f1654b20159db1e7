package org.fedmed.transport.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {

    final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), 2.0);

    @Test
    void delaysGrowExponentiallyWithinTheirJitterBandAndStopAtTheCap() {
        SplittableRandom r = new SplittableRandom(1);
        for (int attempt = 0; attempt < 20; attempt++) {
            double d = Math.min(5000, 100 * Math.pow(2, attempt));
            for (int k = 0; k < 50; k++) {
                long ms = backoff.delay(attempt, r).toMillis();
                assertTrue(ms >= Math.floor(d / 2) && ms <= d, "attempt " + attempt + ": " + ms + " ms outside [" + d / 2 + ", " + d + "]");
            }
        }
    }

    @Test
    void jitterSpreadsSitesThatDroppedTogether() {
        long a = backoff.delay(6, new SplittableRandom(1)).toMillis();
        long b = backoff.delay(6, new SplittableRandom(2)).toMillis();
        assertNotEquals(a, b);
        assertEquals(a, backoff.delay(6, new SplittableRandom(1)).toMillis(), "same seed, same delay");
    }

    @Test
    void invalidBackoffIsRefusedNamingTheField() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2));
        assertTrue(e.getMessage().contains("max delay"));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 2));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 0.5));
    }
}
