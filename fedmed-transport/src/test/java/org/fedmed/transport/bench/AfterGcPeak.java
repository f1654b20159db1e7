package org.fedmed.transport.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/** The largest heap left in use after any garbage collection while it runs: close to the peak live heap. */
final class AfterGcPeak {

    private final AtomicLong peak = new AtomicLong();
    private final List<Runnable> detach = new ArrayList<>();

    static AfterGcPeak start() {
        AfterGcPeak p = new AfterGcPeak();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                NotificationListener l = (n, handback) -> {
                    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                        return;
                    }
                    GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                    long used = 0;
                    for (MemoryUsage u : info.getGcInfo().getMemoryUsageAfterGc().values()) {
                        used += u.getUsed();
                    }
                    p.peak.accumulateAndGet(used, Math::max);
                };
                emitter.addNotificationListener(l, null, null);
                p.detach.add(() -> {
                    try {
                        emitter.removeNotificationListener(l);
                    } catch (javax.management.ListenerNotFoundException e) {
                        throw new IllegalStateException(e);
                    }
                });
            }
        }
        return p;
    }

    void stop() {
        detach.forEach(Runnable::run);
    }

    long peak() {
        return peak.get();
    }
}
