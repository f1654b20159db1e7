package org.fedmed.transport.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition until it holds or a timeout passes. */
public final class Eventually {

    private Eventually() {
    }

    public static boolean holds(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }
}
