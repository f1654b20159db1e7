package org.fedmed.dashboard;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
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
 *
 * <p>A run's rounds and audit entries are held in memory once read (for the few runs most recently shown), and
 * each call reads only what was committed since: the audit entries after the last one held and the rounds after the
 * last one held (two small queries). A resume that discards rounds ({@code rounds_discarded} in the audit log), or a
 * store whose last round is below the last one held, makes the run's rounds be read again in full. So a page of a
 * 1000-round run costs what it renders, not a re-read of every round.
 */
public final class StoreView implements AutoCloseable {

    /** Runs whose rounds and audit entries are held, at most (the latest run and a few from the history). */
    private static final int CACHED_RUNS = 4;

    private final RunStore store;
    private final Map<Long, RunCache> cache = new java.util.LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, RunCache> eldest) {
            return size() > CACHED_RUNS;
        }
    };

    /** What is held of one run: its rounds and audit entries as last read. */
    private static final class RunCache {
        List<RoundRecord> rounds = List.of();
        List<AuditEntry> audit = List.of();
    }

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

    /** Every recorded round of the run, in order (immutable). */
    public synchronized List<RoundRecord> rounds(long runId) {
        return refresh(runId).rounds;
    }

    /** The run's audit entries, oldest first (immutable). */
    public synchronized List<AuditEntry> audit(long runId) {
        return refresh(runId).audit;
    }

    /** Reads what was committed for the run since it was last read. */
    private RunCache refresh(long runId) {
        RunCache c = cache.computeIfAbsent(runId, id -> new RunCache());
        long seen = c.audit.isEmpty() ? 0 : c.audit.getLast().id();
        List<AuditEntry> fresh = store.auditLogAfter(runId, seen);
        boolean discarded = false;
        if (!fresh.isEmpty()) {
            List<AuditEntry> all = new ArrayList<>(c.audit.size() + fresh.size());
            all.addAll(c.audit);
            all.addAll(fresh);
            c.audit = List.copyOf(all);
            discarded = fresh.stream().anyMatch(e -> e.event() == AuditEvent.ROUNDS_DISCARDED);
        }
        int held = c.rounds.isEmpty() ? 0 : c.rounds.getLast().round();
        int last = store.lastRecordedRound(runId).orElse(0);
        if (discarded || last < held) {
            c.rounds = List.copyOf(store.rounds(runId));
        } else if (last > held) {
            List<RoundRecord> all = new ArrayList<>(c.rounds);
            all.addAll(store.roundsAfter(runId, held));
            c.rounds = List.copyOf(all);
        }
        return c;
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

    /**
     * Every site that appears in the run's rounds or audit log, in name order, with what the store records of it
     * (one pass over the rounds and one over the audit log).
     */
    public List<SiteRow> sites(long runId) {
        List<RoundRecord> rounds = rounds(runId);
        List<AuditEntry> audit = audit(runId);
        final class Tally {
            String state = "unseen";
            Instant last;
            int capped;
            int refusals;
            int taken;
            int failed;
            Long claimed;
        }
        Map<String, Tally> bySite = new TreeMap<>();
        for (AuditEntry e : audit) {
            if (e.actor() == null || !isSiteEvent(e.event())) {
                continue;
            }
            Tally t = bySite.computeIfAbsent(e.actor(), k -> new Tally());
            switch (e.event()) {
                case JOINED -> t.state = "connected";
                case LEFT -> t.state = "left";
                case WEIGHT_CAPPED -> t.capped++;
                case REFUSED, STATISTICS_REFUSED -> t.refusals++;
                default -> { }
            }
        }
        for (RoundRecord r : rounds) {
            for (String s : r.selected()) {
                if (s != null) {
                    bySite.computeIfAbsent(s, k -> new Tally());
                }
            }
            for (String s : new java.util.HashSet<>(r.succeeded())) {
                bySite.computeIfAbsent(s, k -> new Tally()).taken++;
            }
            Set<String> failedHere = new java.util.HashSet<>();
            for (SiteFailure f : r.failures()) {
                if (f.siteId() != null && failedHere.add(f.siteId())) {
                    bySite.computeIfAbsent(f.siteId(), k -> new Tally()).failed++;
                }
            }
            r.fitClaims().forEach((site, n) -> {
                Tally t = bySite.get(site);
                if (t != null) {
                    t.claimed = n;
                }
            });
        }
        // the latest entry naming the site, whatever its kind; admissions refused under its name count as refusals
        for (AuditEntry e : audit) {
            Tally t = e.actor() == null ? null : bySite.get(e.actor());
            if (t != null) {
                t.last = e.time();
                if (e.event() == AuditEvent.ADMISSION_REFUSED) {
                    t.refusals++;
                }
            }
        }
        // what the server last heard from it, heartbeats included, when that is later than its latest entry
        store.contacts(runId).forEach((site, heard) -> {
            Tally t = bySite.computeIfAbsent(site, k -> new Tally());
            if (t.last == null || heard.isAfter(t.last)) {
                t.last = heard;
            }
        });
        List<SiteRow> out = new ArrayList<>();
        bySite.forEach((site, t) -> out.add(new SiteRow(site, t.state, Optional.ofNullable(t.last),
                t.claimed == null ? OptionalLong.empty() : OptionalLong.of(t.claimed), t.capped, t.taken, t.failed,
                t.refusals)));
        return out;
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
