package org.fedmed.dashboard;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.SiteFailure;
import org.fedmed.server.audit.ChainReport;
import org.fedmed.server.checkpoint.CheckpointRef;
import org.fedmed.server.store.AnalyticsRecord;
import org.fedmed.server.store.AuditEntry;
import org.fedmed.server.store.AuditEvent;
import org.fedmed.server.store.ExportRecord;
import org.fedmed.server.store.RunInfo;
import org.fedmed.server.store.RunStore;

/**
 * What the dashboard shows, read from a run store through a {@linkplain RunStore#openReadOnly read-only}
 * connection: it never writes and never takes the writer's lock, and each call sees the last committed state.
 */
public final class StoreView implements AutoCloseable {

    private final RunStore store;

    private StoreView(RunStore store) {
        this.store = store;
    }

    /** Opens {@code db} read-only. */
    public static StoreView open(Path db) {
        return new StoreView(RunStore.openReadOnly(db));
    }

    public Path database() {
        return store.database();
    }

    public List<RunInfo> runs() {
        return store.runs();
    }

    /** The run with this id, or the latest run when {@code id} is null. */
    public Optional<RunInfo> run(Long id) {
        if (id != null) {
            return store.run(id);
        }
        List<RunInfo> all = store.runs();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.getLast());
    }

    public List<RoundRecord> rounds(long runId) {
        return store.rounds(runId);
    }

    public List<AuditEntry> audit(long runId) {
        return store.auditLog(runId);
    }

    public ChainReport verify(long runId) {
        return store.verifyAudit(runId);
    }

    public Optional<CheckpointRef> checkpoint(long runId, int round) {
        return store.checkpoint(runId, round);
    }

    /** Every checkpoint recorded for a run's rounds, by round (one query). */
    public java.util.SortedMap<Integer, CheckpointRef> checkpoints(long runId) {
        return store.checkpoints(runId);
    }

    /** Every analytics result in the store, oldest first (none in a store older than schema 4). */
    public List<AnalyticsRecord> analytics() {
        return store.analytics();
    }

    /** Every model export made from the store, oldest first (none in a store older than schema 4). */
    public List<ExportRecord> exports() {
        return store.exports();
    }

    /** The export with this id, if any. */
    public Optional<ExportRecord> export(long id) {
        return exports().stream().filter(e -> e.id() == id).findFirst();
    }

    /** Every site that appears in the run's rounds or audit log, in name order, with what the store records of it. */
    public List<SiteRow> sites(long runId) {
        List<RoundRecord> rounds = rounds(runId);
        List<AuditEntry> audit = audit(runId);
        Set<String> names = new LinkedHashSet<>();
        for (RoundRecord r : rounds) {
            names.addAll(r.selected());
            r.failures().forEach(f -> names.add(f.siteId()));
        }
        for (AuditEntry e : audit) {
            if (isSiteEvent(e.event())) {
                names.add(e.actor());
            }
        }
        Map<String, SiteRow> out = new TreeMap<>();
        for (String site : names) {
            if (site == null) {
                continue;
            }
            String state = "unseen";
            Instant last = null;
            int capped = 0;
            int refusals = 0;
            for (AuditEntry e : audit) {
                if (!site.equals(e.actor())) {
                    continue;
                }
                last = e.time();
                switch (e.event()) {
                    case JOINED -> state = "connected";
                    case LEFT -> state = "left";
                    case WEIGHT_CAPPED -> capped++;
                    case REFUSED, ADMISSION_REFUSED, STATISTICS_REFUSED -> refusals++;
                    default -> { }
                }
            }
            int taken = 0;
            int failed = 0;
            Long claimed = null;
            for (RoundRecord r : rounds) {
                if (r.succeeded().contains(site)) {
                    taken++;
                }
                if (r.failures().stream().map(SiteFailure::siteId).anyMatch(site::equals)) {
                    failed++;
                }
                if (r.fitClaims().containsKey(site)) {
                    claimed = r.fitClaims().get(site);
                }
            }
            out.put(site, new SiteRow(site, state, Optional.ofNullable(last),
                    claimed == null ? OptionalLong.empty() : OptionalLong.of(claimed), capped, taken, failed, refusals));
        }
        return new ArrayList<>(out.values());
    }

    private static boolean isSiteEvent(AuditEvent e) {
        return switch (e) {
            case RUN_CREATED, RUN_RESUMED, RUN_FINISHED, RUN_STOPPED, ROUNDS_DISCARDED, RUN_CONFIG_AMENDED,
                 ADMISSION_REFUSED -> false;
            default -> true;
        };
    }

    @Override
    public void close() {
        store.close();
    }
}
