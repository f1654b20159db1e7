package org.fedmed.server.store;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.server.audit.ChainReport;
import org.fedmed.server.checkpoint.CheckpointRef;
import org.sqlite.SQLiteConfig;

/**
 * The server's durable record of its runs, in one embedded SQLite file: each run's config and seed, every round
 * (who was asked, who delivered, who failed and why, the aggregated and per-site metrics, and the checkpoint's
 * path and SHA-256), and an append-only audit log of what sites and the server did.
 *
 * <p>Guarantees: the schema is created or migrated when the store is opened (version in {@code PRAGMA
 * user_version}); the database runs in WAL mode with foreign keys enforced and full fsync on commit; each round
 * is written in one transaction, so a crash never leaves a half-recorded round; a round is recorded at most once,
 * and only as the next round of a running run. Bad input (an unknown run, a round recorded twice or out of
 * order) is refused with an exception that says what was wrong, and nothing already stored is changed. Methods
 * are thread-safe (serialized on one connection). Checkpoint paths under the database's folder are stored
 * relative to it, so the folder can be moved as a whole.
 *
 * <p>Each run's audit entries form a hash chain, written in id order, so a changed, removed, inserted or moved
 * entry is found by {@link #verifyAudit(long)}.
 */
public final class RunStore implements AutoCloseable {

    private static final String SERVER = "server";

    private final Path database;
    private final Path base;
    private final Connection connection;
    private final Clock clock;

    private RunStore(Path database, Connection connection, Clock clock) {
        this.database = database;
        this.base = database.getParent();
        this.connection = connection;
        this.clock = clock;
    }

    /** Opens (creating if needed) the store in {@code db}, migrating its schema to the current version. */
    public static RunStore open(Path db) {
        return open(db, Clock.systemUTC());
    }

    /**
     * Opens a connection, waiting out another process that holds the database while it sets it up: the journal-mode
     * pragma applied on connecting does not wait on the busy timeout, so a store that a server and {@code fedmed runs}
     * open at the same moment would otherwise refuse one of them.
     */
    private static Connection connect(SQLiteConfig cfg, Path file) throws SQLException {
        long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                return cfg.createConnection("jdbc:sqlite:" + file);
            } catch (org.sqlite.SQLiteException e) {
                boolean busy = e.getResultCode() == org.sqlite.SQLiteErrorCode.SQLITE_BUSY
                        || e.getResultCode() == org.sqlite.SQLiteErrorCode.SQLITE_LOCKED;
                if (!busy || System.nanoTime() > end) {
                    throw e;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** As {@link #open(Path)}, with the clock that timestamps rows (for tests). */
    public static RunStore open(Path db, Clock clock) {
        Path file = db.toAbsolutePath().normalize();
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new RunStoreException(file, "create its folder", e);
        }
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setJournalMode(SQLiteConfig.JournalMode.WAL);
        cfg.enforceForeignKeys(true);
        cfg.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        cfg.setBusyTimeout(10_000);
        cfg.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        // the driver would otherwise query last_insert_rowid() after every INSERT; the inserts that need their id
        // ask for it with RETURNING
        cfg.setGetGeneratedKeys(false);
        return connected(file, cfg, clock, "open the database", c -> StoreSchema.migrate(c, file));
    }

    /** What a connection is checked or prepared with before the store takes it. */
    private interface ConnectionSetup {
        void apply(Connection c) throws SQLException;
    }

    /**
     * Connects to {@code file}, applies {@code setup} and wraps the connection; on any failure the connection is
     * closed and the failure is reported as a {@link RunStoreException} naming the file and {@code operation}.
     */
    private static RunStore connected(Path file, SQLiteConfig cfg, Clock clock, String operation,
                                      ConnectionSetup setup) {
        Connection c = null;
        try {
            c = connect(cfg, file);
            setup.apply(c);
            return new RunStore(file, c, clock);
        } catch (SQLException | RuntimeException e) {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException closing) {
                    e.addSuppressed(closing);
                }
            }
            if (e instanceof RunStoreException rse) {
                throw rse;
            }
            throw new RunStoreException(file, operation, e);
        }
    }

    /**
     * Opens an existing store for reading only ({@code mode=ro}, and {@code query_only} on the connection): it
     * never migrates, creates or writes, and never takes the write lock, so a server that records rounds into the
     * same file goes on while this connection reads (WAL readers see the last committed round). Every write method
     * of the returned store fails with a {@link RunStoreException}.
     *
     * @throws RunStoreException the file does not exist, is not a run store, or has a newer schema than this build
     */
    public static RunStore openReadOnly(Path db) {
        Path file = db.toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new RunStoreException(file, "cannot open it read-only: no such file (a run store is created by"
                    + " the server or by a run that writes one)");
        }
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setReadOnly(true);
        cfg.setBusyTimeout(10_000);
        return connected(file, cfg, Clock.systemUTC(), "open the database read-only", c -> {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA query_only = ON");
            }
            int version = StoreSchema.version(c);
            if (version < 1 || version > StoreSchema.CURRENT_VERSION) {
                throw new RunStoreException(file, "cannot open it read-only: schema version " + version
                        + ", expected 1.." + StoreSchema.CURRENT_VERSION + " (is it a fedmed run store?)");
            }
        });
    }

    /** The database file. */
    public Path database() {
        return database;
    }

    /** The schema version of the open database. */
    public synchronized int schemaVersion() {
        try {
            return StoreSchema.version(connection);
        } catch (SQLException e) {
            throw new RunStoreException(database, "read the schema version", e);
        }
    }

    /**
     * Creates a run in status {@code running} and returns its id. {@code configJson} must be a JSON object: the full
     * config that, with the seed, reproduces the run.
     */
    public synchronized long createRun(String name, String configJson, long seed) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("run name must not be blank");
        }
        StoreJson.configObject(configJson);
        return inTransaction("create run '" + name + "'", () -> {
            long id;
            try (PreparedStatement ps = connection.prepareStatement(
                    "INSERT INTO runs (name, created, config_json, seed, status) VALUES (?, ?, ?, ?, 'running')"
                            + " RETURNING id")) {
                ps.setString(1, name);
                ps.setString(2, clock.instant().toString());
                ps.setString(3, configJson);
                ps.setLong(4, seed);
                try (ResultSet keys = ps.executeQuery()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
            insertAudit(id, SERVER, AuditEvent.RUN_CREATED, "run '" + name + "' with seed " + seed);
            return id;
        });
    }

    /**
     * Replaces a run's config with {@code configJson} (a JSON object), for what is settled only after the run was
     * created (a deployment's model inputs, known once its sites' statistics are merged); audited with
     * {@code detail}.
     */
    public synchronized void amendRunConfig(long runId, String configJson, String detail) {
        StoreJson.configObject(configJson);
        inTransaction("amend the config of run " + runId, () -> {
            try (PreparedStatement ps = connection.prepareStatement("UPDATE runs SET config_json = ? WHERE id = ?")) {
                ps.setString(1, configJson);
                ps.setLong(2, runId);
                if (ps.executeUpdate() != 1) {
                    throw noSuchRun(runId);
                }
            }
            insertAudit(runId, SERVER, AuditEvent.RUN_CONFIG_AMENDED, detail);
            return null;
        });
    }

    /** The run with this id, if any. */
    public synchronized Optional<RunInfo> run(long runId) {
        return query("read run " + runId, () -> {
            List<RunInfo> runs = selectRuns("WHERE id = ?", runId);
            return runs.isEmpty() ? Optional.empty() : Optional.of(runs.getFirst());
        });
    }

    /** The most recently created run with this name, if any. */
    public synchronized Optional<RunInfo> latestRun(String name) {
        return query("find run '" + name + "'", () -> {
            List<RunInfo> runs = selectRuns("WHERE name = ? ORDER BY id DESC LIMIT 1", name);
            return runs.isEmpty() ? Optional.empty() : Optional.of(runs.getFirst());
        });
    }

    /** Every run, oldest first. */
    public synchronized List<RunInfo> runs() {
        return query("list runs", () -> selectRuns("ORDER BY id"));
    }

    /**
     * Records a finished round, with the checkpoint of the global model after it ({@code null} when the run keeps
     * no checkpoints), in one transaction: the round, one site result per outcome, and one metrics row per value.
     *
     * @throws IllegalArgumentException the run does not exist, or a site with evaluation metrics is named
     *                                  {@value RoundRows#FEDERATED} (the scope reserved for aggregated metrics)
     * @throws IllegalStateException    the run is not running, or the round is not the run's next round
     */
    public synchronized void recordRound(long runId, RoundRecord record, CheckpointRef checkpoint) {
        if (record == null) {
            throw new IllegalArgumentException("run " + runId + ": round record is required");
        }
        if (record.siteEvalMetrics().containsKey(RoundRows.FEDERATED)) {
            throw new IllegalArgumentException("run " + runId + " round " + record.round() + ": site id '"
                    + RoundRows.FEDERATED + "' is reserved for aggregated metrics; rename the site");
        }
        inTransaction("record round " + record.round() + " of run " + runId, () -> {
            NameAndStatus run = requireNameAndStatus(runId);
            if (run.status() != RunStatus.RUNNING) {
                throw new IllegalStateException("run " + runId + " ('" + run.name() + "') is " + run.status().dbValue()
                        + "; resume it before recording round " + record.round());
            }
            OptionalInt last = lastRound(runId);
            int expected = last.isPresent() ? last.getAsInt() + 1 : 1;
            if (last.isPresent() && record.round() <= last.getAsInt()) {
                throw new IllegalStateException("run " + runId + " ('" + run.name() + "') already has round "
                        + record.round() + " recorded (rounds 1.." + last.getAsInt() + " are stored); a round is"
                        + " recorded once");
            }
            if (record.round() != expected) {
                throw new IllegalStateException("run " + runId + " ('" + run.name() + "'): round " + record.round()
                        + " cannot be recorded before round " + expected + "; rounds are recorded in order");
            }
            Instant finished = clock.instant();
            RoundRows.insert(connection, runId, record, new RoundRows.Extra(
                    finished.minusMillis(record.durationMillis()), finished,
                    checkpoint == null ? null : storedPath(checkpoint.path()),
                    checkpoint == null ? null : checkpoint.sha256()));
            return null;
        });
    }

    /** Every recorded round of a run, in order, rebuilt as the records the engine produced. */
    public synchronized List<RoundRecord> rounds(long runId) {
        return query("read the rounds of run " + runId, () -> {
            requireRunExists(runId);
            return RoundRows.read(connection, runId);
        });
    }

    /**
     * The recorded rounds of a run after round {@code after}, in order: what a reader that already holds rounds
     * 1..{@code after} lacks (the dashboard reads a growing run this way).
     */
    public synchronized List<RoundRecord> roundsAfter(long runId, int after) {
        return query("read the rounds of run " + runId + " after round " + after, () -> {
            requireRunExists(runId);
            return RoundRows.read(connection, runId, after);
        });
    }

    /** The recorded rounds {@code after + 1 .. upTo} of a run, in order (one page of {@link #roundsUpTo}). */
    public synchronized List<RoundRecord> roundsBetween(long runId, int after, int upTo) {
        return query("read rounds " + (after + 1) + ".." + upTo + " of run " + runId, () -> {
            requireRunExists(runId);
            return RoundRows.read(connection, runId, after, upTo);
        });
    }

    /**
     * Rounds 1..{@code upTo} of a run, read {@code pageSize} rounds at a time as they are iterated, so that a reader
     * of a long run (a resumed server) holds one page, not every round. Each iteration reads the store again; it
     * throws {@link IllegalStateException} naming the round when one of 1..{@code upTo} is not recorded.
     */
    public Iterable<RoundRecord> roundsUpTo(long runId, int upTo, int pageSize) {
        return new RoundPages(this, runId, upTo, pageSize);
    }

    /**
     * The last round recorded for a run (the engine records every round it finishes, whether or not it reached
     * min_fit_sites), or empty when none is.
     */
    public synchronized OptionalInt lastRecordedRound(long runId) {
        return query("read the last round of run " + runId, () -> {
            requireRunExists(runId);
            return lastRound(runId);
        });
    }

    /** The checkpoint recorded with a round, if the round is recorded and has one. */
    public synchronized Optional<CheckpointRef> checkpoint(long runId, int round) {
        return query("read the checkpoint of run " + runId + " round " + round, () -> {
            requireRunExists(runId);
            try (PreparedStatement ps = connection.prepareStatement(
                    "SELECT checkpoint_path, checkpoint_sha256 FROM rounds WHERE run_id = ? AND round = ?")) {
                ps.setLong(1, runId);
                ps.setInt(2, round);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || rs.getString(1) == null) {
                        return Optional.empty();
                    }
                    return Optional.of(new CheckpointRef(base.resolve(rs.getString(1)).normalize(), rs.getString(2)));
                }
            }
        });
    }

    /** The values of one metric over a run's rounds; {@code scope} is {@code "federated"} or a site id. */
    public synchronized List<MetricPoint> metricSeries(long runId, TaskKind kind, String scope, String name) {
        return query("read metric " + name + " of run " + runId, () -> {
            requireRunExists(runId);
            List<MetricPoint> out = new ArrayList<>();
            try (PreparedStatement ps = connection.prepareStatement("""
                    SELECT round, value FROM metrics WHERE run_id = ? AND kind = ? AND scope = ? AND name = ?
                    ORDER BY round""")) {
                ps.setLong(1, runId);
                ps.setString(2, kind.dbValue());
                ps.setString(3, scope);
                ps.setString(4, name);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int round = rs.getInt(1);
                        double v = rs.getDouble(2);
                        out.add(new MetricPoint(round, rs.wasNull() ? Double.NaN : v));
                    }
                }
            }
            return out;
        });
    }

    /**
     * Ends a run with a final status and the reason it stopped (for example {@code round_budget}, {@code converged}
     * or an error message), audited as {@code run_finished}, or as {@code run_stopped} for {@link RunStatus#STOPPED}
     * (which {@link #reopenRun} can continue, as it can every other status).
     *
     * @throws IllegalArgumentException the run does not exist, or {@code status} is {@link RunStatus#RUNNING}
     * @throws IllegalStateException    the run has already ended
     */
    public synchronized void finishRun(long runId, RunStatus status, String stopReason) {
        if (status == null || status == RunStatus.RUNNING) {
            throw new IllegalArgumentException("run " + runId + ": a run finishes as completed, failed, aborted or"
                    + " stopped, not " + status);
        }
        inTransaction("finish run " + runId, () -> {
            RunInfo run = requireRun(runId);
            if (run.status() != RunStatus.RUNNING) {
                throw new IllegalStateException("run " + runId + " ('" + run.name() + "') has already ended as "
                        + run.status().dbValue() + (run.stopReason().map(r -> " (" + r + ")").orElse("")));
            }
            Instant now = clock.instant();
            try (PreparedStatement ps = connection.prepareStatement(
                    "UPDATE runs SET status = ?, stop_reason = ?, finished = ? WHERE id = ?")) {
                ps.setString(1, status.dbValue());
                ps.setString(2, stopReason);
                ps.setString(3, now.toString());
                ps.setLong(4, runId);
                ps.executeUpdate();
            }
            insertAudit(runId, SERVER, status == RunStatus.STOPPED ? AuditEvent.RUN_STOPPED : AuditEvent.RUN_FINISHED,
                    status.dbValue() + (stopReason == null ? "" : ": " + stopReason));
            return null;
        });
    }

    /** Puts a run back in status {@code running} so that more rounds can be recorded, and audits why. */
    public synchronized void reopenRun(long runId, String detail) {
        inTransaction("reopen run " + runId, () -> {
            requireRunExists(runId);
            try (PreparedStatement ps = connection.prepareStatement(
                    "UPDATE runs SET status = 'running', stop_reason = NULL, finished = NULL WHERE id = ?")) {
                ps.setLong(1, runId);
                ps.executeUpdate();
            }
            insertAudit(runId, SERVER, AuditEvent.RUN_RESUMED, detail);
            return null;
        });
    }

    /**
     * Deletes the rounds of a run after {@code keepThrough} (with their site results and metrics), in one
     * transaction, and audits which rounds went and why. Only for an explicit resume from an earlier good
     * checkpoint; returns the rounds discarded.
     */
    public synchronized List<Integer> discardRoundsAfter(long runId, int keepThrough, String reason) {
        return inTransaction("discard rounds of run " + runId + " after " + keepThrough, () -> {
            requireRunExists(runId);
            List<Integer> rounds = new ArrayList<>();
            try (PreparedStatement ps = connection.prepareStatement(
                    "SELECT round FROM rounds WHERE run_id = ? AND round > ? ORDER BY round")) {
                ps.setLong(1, runId);
                ps.setInt(2, keepThrough);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rounds.add(rs.getInt(1));
                    }
                }
            }
            if (rounds.isEmpty()) {
                return rounds;
            }
            try (PreparedStatement ps = connection.prepareStatement("DELETE FROM rounds WHERE run_id = ? AND round > ?")) {
                ps.setLong(1, runId);
                ps.setInt(2, keepThrough);
                ps.executeUpdate();
            }
            insertAudit(runId, SERVER, AuditEvent.ROUNDS_DISCARDED, "rounds " + rounds + ": " + reason);
            return rounds;
        });
    }

    /** Appends an audit entry about a run; {@code actor} is a site id or {@code server}. */
    public synchronized void audit(long runId, String actor, AuditEvent event, String detail) {
        inTransaction("write an audit entry for run " + runId, () -> {
            requireRunExists(runId);
            insertAudit(runId, actor, event, detail);
            return null;
        });
    }

    /**
     * Appends {@code entries} to a run's audit log in their order, in one transaction: all of them or, when the store
     * fails, none. A writer with many entries at once (the transport's, on a busy server) pays one commit for them.
     */
    public synchronized void audit(long runId, List<NewAuditEntry> entries) {
        inTransaction("write " + entries.size() + " audit entries for run " + runId, () -> {
            requireRunExists(runId);
            insertAudit(runId, entries);
            return null;
        });
    }

    /** As {@link #audit(long, List)}, for entries that belong to no run. */
    public synchronized void audit(List<NewAuditEntry> entries) {
        inTransaction("write " + entries.size() + " audit entries", () -> {
            insertAudit(null, entries);
            return null;
        });
    }

    /** Appends an audit entry that belongs to no run (a site joining or leaving between runs, say). */
    public synchronized void audit(String actor, AuditEvent event, String detail) {
        inTransaction("write an audit entry", () -> {
            insertAudit(null, actor, event, detail);
            return null;
        });
    }

    /** A run's audit entries, oldest first. */
    public synchronized List<AuditEntry> auditLog(long runId) {
        return query("read the audit log of run " + runId, () -> selectAudit("WHERE run_id = ?", runId));
    }

    /** A run's audit entries with an id above {@code afterId}, oldest first (the entries a reader has not seen). */
    public synchronized List<AuditEntry> auditLogAfter(long runId, long afterId) {
        return query("read the audit log of run " + runId + " after entry " + afterId,
                () -> selectAudit("WHERE run_id = ? AND id > ?", runId, afterId));
    }

    /** Every audit entry, oldest first. */
    public synchronized List<AuditEntry> auditLog() {
        return query("read the audit log", () -> selectAudit(""));
    }

    /**
     * Checks the hash chain of a run's audit entries and names the first entry (by id) that was changed, removed,
     * inserted or moved; entries written before the store was chained are reported as unchained. Reads only.
     *
     * @throws IllegalArgumentException the run does not exist
     */
    public synchronized ChainReport verifyAudit(long runId) {
        return query("verify the audit log of run " + runId, () -> {
            requireRunExists(runId);
            return AuditRows.verify(connection, runId);
        });
    }

    /** As {@link #verifyAudit(long)}, for the entries that belong to no run (they form one chain). */
    public synchronized ChainReport verifyAuditOutsideRuns() {
        return query("verify the audit entries outside runs", () -> AuditRows.verify(connection, null));
    }

    /**
     * Records the JSON report of an analytics exchange over {@code dataset} (the document its {@code --analytics
     * FILE} holds) and returns its id. {@code resultJson} must be a JSON object.
     */
    public synchronized long recordAnalytics(String dataset, String resultJson) {
        if (dataset == null || dataset.isBlank()) {
            throw new IllegalArgumentException("analytics result: dataset must not be blank");
        }
        try {
            StoreJson.configObject(resultJson);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("analytics result of '" + dataset + "': " + e.getMessage(), e);
        }
        return inTransaction("record the analytics of '" + dataset + "'", () -> {
            try (PreparedStatement ps = connection.prepareStatement(
                    "INSERT INTO analytics (created, dataset, result_json) VALUES (?, ?, ?) RETURNING id")) {
                ps.setString(1, clock.instant().toString());
                ps.setString(2, dataset);
                ps.setString(3, resultJson);
                try (ResultSet keys = ps.executeQuery()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
    }

    /**
     * Records when the server last heard from each site of run {@code runId}, replacing what was recorded for
     * those sites before (other sites keep theirs).
     *
     * @throws IllegalArgumentException the run does not exist, or a site id is blank
     */
    public synchronized void recordContacts(long runId, Map<String, Instant> lastHeard) {
        for (String site : lastHeard.keySet()) {
            if (site == null || site.isBlank() || lastHeard.get(site) == null) {
                throw new IllegalArgumentException("contacts of run " + runId + ": site id and time are required,"
                        + " got '" + site + "' -> " + lastHeard.get(site));
            }
        }
        if (lastHeard.isEmpty()) {
            return;
        }
        inTransaction("record the site contacts of run " + runId, () -> {
            requireRunExists(runId);
            try (PreparedStatement ps = connection.prepareStatement("""
                    INSERT INTO site_contacts (run_id, site, last_heard) VALUES (?, ?, ?)
                    ON CONFLICT (run_id, site) DO UPDATE SET last_heard = excluded.last_heard""")) {
                for (Map.Entry<String, Instant> e : lastHeard.entrySet()) {
                    ps.setLong(1, runId);
                    ps.setString(2, e.getKey());
                    ps.setString(3, e.getValue().toString());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** When the server last heard from each site of run {@code runId}, by site; empty in an older store. */
    public synchronized Map<String, Instant> contacts(long runId) {
        return query("read the site contacts of run " + runId, () -> {
            Map<String, Instant> out = new java.util.TreeMap<>();
            if (StoreSchema.version(connection) < StoreSchema.SITE_CONTACTS) {
                return out;
            }
            try (PreparedStatement ps = connection.prepareStatement(
                    "SELECT site, last_heard FROM site_contacts WHERE run_id = ?")) {
                ps.setLong(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), Instant.parse(rs.getString(2)));
                    }
                }
            }
            return out;
        });
    }

    /** Every analytics result, oldest first; none in a store older than the analytics table. */
    public synchronized List<AnalyticsRecord> analytics() {
        return query("read the analytics results", () -> {
            List<AnalyticsRecord> out = new ArrayList<>();
            if (StoreSchema.version(connection) < StoreSchema.ANALYTICS_AND_EXPORTS) {
                return out;
            }
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT id, created, dataset, result_json FROM analytics ORDER BY id")) {
                while (rs.next()) {
                    out.add(new AnalyticsRecord(rs.getLong(1), Instant.parse(rs.getString(2)), rs.getString(3),
                            rs.getString(4)));
                }
            }
            return out;
        });
    }

    /**
     * Records that the model of run {@code runId} after {@code round} was exported to {@code model}, whose bytes
     * have SHA-256 {@code sha256}; a path under the database's folder is stored relative to it, as checkpoints are.
     *
     * @throws IllegalArgumentException the run does not exist, or the round or digest is not valid
     */
    public synchronized ExportRecord recordExport(long runId, int round, Path model, String sha256) {
        Instant now = clock.instant();
        ExportRecord checked = new ExportRecord(0, runId, round, now, model, sha256);
        long id = inTransaction("record an export of run " + runId, () -> {
            requireRunExists(runId);
            try (PreparedStatement ps = connection.prepareStatement(
                    "INSERT INTO exports (run_id, round, created, path, sha256) VALUES (?, ?, ?, ?, ?)"
                            + " RETURNING id")) {
                ps.setLong(1, runId);
                ps.setInt(2, round);
                ps.setString(3, now.toString());
                ps.setString(4, storedPath(model));
                ps.setString(5, sha256);
                try (ResultSet keys = ps.executeQuery()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
        return new ExportRecord(id, runId, round, now, checked.path().toAbsolutePath().normalize(), sha256);
    }

    /** Every export made from the store, oldest first; none in a store older than the exports table. */
    public synchronized List<ExportRecord> exports() {
        return query("read the exports", () -> {
            List<ExportRecord> out = new ArrayList<>();
            if (StoreSchema.version(connection) < StoreSchema.ANALYTICS_AND_EXPORTS) {
                return out;
            }
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT id, run_id, round, created, path, sha256 FROM exports ORDER BY id")) {
                while (rs.next()) {
                    out.add(new ExportRecord(rs.getLong(1), rs.getLong(2), rs.getInt(3), Instant.parse(rs.getString(4)),
                            base.resolve(rs.getString(5)).normalize(), rs.getString(6)));
                }
            }
            return out;
        });
    }

    /**
     * Every round of a run that has a checkpoint recorded, with its path and SHA-256, in round order (one query,
     * for listing downloads).
     */
    public synchronized java.util.SortedMap<Integer, CheckpointRef> checkpoints(long runId) {
        return query("read the checkpoints of run " + runId, () -> {
            requireRunExists(runId);
            java.util.SortedMap<Integer, CheckpointRef> out = new java.util.TreeMap<>();
            try (PreparedStatement ps = connection.prepareStatement("""
                    SELECT round, checkpoint_path, checkpoint_sha256 FROM rounds
                    WHERE run_id = ? AND checkpoint_path IS NOT NULL ORDER BY round""")) {
                ps.setLong(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getInt(1), new CheckpointRef(base.resolve(rs.getString(2)).normalize(),
                                rs.getString(3)));
                    }
                }
            }
            return out;
        });
    }

    /** The value of a SQLite pragma on this store's connection, for checks and diagnostics. */
    synchronized String pragma(String name) {
        if (!name.matches("[a-z_]+")) {
            throw new IllegalArgumentException("not a pragma name: '" + name + "'");
        }
        return query("read pragma " + name, () -> {
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
                return rs.next() ? rs.getString(1) : null;
            }
        });
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new RunStoreException(database, "close the database", e);
        }
    }

    // ---- internals ----

    private interface Work<T> {
        T run() throws SQLException;
    }

    private <T> T query(String operation, Work<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw new RunStoreException(database, operation, e);
        }
    }

    private <T> T inTransaction(String operation, Work<T> work) {
        try {
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            throw new RunStoreException(database, operation + " (begin transaction)", e);
        }
        T result;
        try {
            result = work.run();
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
                connection.setAutoCommit(true);
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new RunStoreException(database, operation, e);
        }
        try {
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            throw new RunStoreException(database, operation + " (end transaction)", e);
        }
        return result;
    }

    /** As {@link #requireRun}, reading only whether the run is there, not its row (its config can be long). */
    private void requireRunExists(long runId) throws SQLException {
        requireNameAndStatus(runId);
    }

    private record NameAndStatus(String name, RunStatus status) {
    }

    /** As {@link #requireRun}, reading only the run's name and status: two short columns, not the config text. */
    private NameAndStatus requireNameAndStatus(long runId) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT name, status FROM runs WHERE id = ?")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw noSuchRun(runId);
                }
                return new NameAndStatus(rs.getString(1), RunStatus.fromDb(rs.getString(2)));
            }
        }
    }

    private RunInfo requireRun(long runId) throws SQLException {
        List<RunInfo> runs = selectRuns("WHERE id = ?", runId);
        if (runs.isEmpty()) {
            throw noSuchRun(runId);
        }
        return runs.getFirst();
    }

    private IllegalArgumentException noSuchRun(long runId) {
        return new IllegalArgumentException("no run with id " + runId + " in " + database);
    }

    private OptionalInt lastRound(long runId) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT max(round) FROM rounds WHERE run_id = ?")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                int r = rs.getInt(1);
                return rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(r);
            }
        }
    }

    private List<RunInfo> selectRuns(String where, Object... args) throws SQLException {
        List<RunInfo> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT id, name, created, config_json, seed, status, stop_reason, finished FROM runs " + where)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String finished = rs.getString(8);
                    out.add(new RunInfo(rs.getLong(1), rs.getString(2), Instant.parse(rs.getString(3)),
                            rs.getString(4), rs.getLong(5), RunStatus.fromDb(rs.getString(6)),
                            Optional.ofNullable(rs.getString(7)),
                            finished == null ? Optional.empty() : Optional.of(Instant.parse(finished))));
                }
            }
        }
        return out;
    }

    private void insertAudit(Long runId, String actor, AuditEvent event, String detail) throws SQLException {
        insertAudit(runId, new NewAuditEntry(actor, event, detail)); // the record refuses a blank actor or no event
    }

    private void insertAudit(Long runId, NewAuditEntry e) throws SQLException {
        insertAudit(runId, List.of(e));
    }

    /** Appends {@code entries} in their order, stamped now, reading the chain's last hash once for all of them. */
    private void insertAudit(Long runId, List<NewAuditEntry> entries) throws SQLException {
        List<AuditRows.Row> rows = new ArrayList<>(entries.size());
        for (NewAuditEntry e : entries) {
            rows.add(new AuditRows.Row(clock.instant().toString(), e.actor(), e.event().dbValue(), e.detail()));
        }
        AuditRows.insert(connection, runId, rows);
    }

    private List<AuditEntry> selectAudit(String where, Object... args) throws SQLException {
        List<AuditEntry> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT id, time, run_id, actor, event, detail FROM audit_log " + where + " ORDER BY id")) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long run = rs.getLong(3);
                    OptionalLong runId = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(run);
                    out.add(new AuditEntry(rs.getLong(1), Instant.parse(rs.getString(2)), runId, rs.getString(4),
                            AuditEvent.fromDb(rs.getString(5)), rs.getString(6)));
                }
            }
        }
        return out;
    }

    /** A checkpoint path as stored: relative to the database's folder when inside it, else absolute. */
    private String storedPath(Path checkpoint) {
        Path abs = checkpoint.toAbsolutePath().normalize();
        Path p = abs.startsWith(base) ? base.relativize(abs) : abs;
        return p.toString().replace(File.separatorChar, '/');
    }
}
