package org.fedmed.transport.site;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** One timer thread shared by every site connection in the JVM, for heartbeats and reconnects (both are brief). */
final class SiteTimers {

    static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("fedmed-site-timer").daemon().factory());

    private SiteTimers() {
    }
}
