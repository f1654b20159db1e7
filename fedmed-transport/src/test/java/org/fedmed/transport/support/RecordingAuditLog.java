package org.fedmed.transport.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.fedmed.transport.site.AuditEntry;
import org.fedmed.transport.site.SiteAuditLog;

/** An audit log kept in memory, for tests to read back. */
public final class RecordingAuditLog implements SiteAuditLog {

    private final List<AuditEntry> entries = new ArrayList<>();

    @Override
    public synchronized void record(AuditEntry entry) {
        entries.add(entry);
        notifyAll();
    }

    public synchronized List<AuditEntry> entries() {
        return List.copyOf(entries);
    }

    /** Waits for an entry matching {@code p}. */
    public synchronized Optional<AuditEntry> await(Predicate<AuditEntry> p, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (AuditEntry e : entries) {
                if (p.test(e)) {
                    return Optional.of(e);
                }
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }
}
