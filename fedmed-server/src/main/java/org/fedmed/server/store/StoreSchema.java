package org.fedmed.server.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.fedmed.server.FedmedVersion;

/**
 * The run store's schema and its migrations. The version lives in SQLite's {@code PRAGMA user_version}; opening a
 * store applies every migration above that version, each in its own transaction, and refuses a database written
 * by a newer fedmed. Migration i (0-based) takes the schema from version i to i + 1; they are never edited once
 * released, only appended to.
 */
final class StoreSchema {

    /** Migration 1: runs, rounds, per-site results, a flat metrics table and the audit log. */
    private static final List<String> V1 = List.of(
            """
            CREATE TABLE runs (
                id          INTEGER PRIMARY KEY AUTOINCREMENT,
                name        TEXT    NOT NULL CHECK (length(name) > 0),
                created     TEXT    NOT NULL,
                config_json TEXT    NOT NULL,
                seed        INTEGER NOT NULL,
                status      TEXT    NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'aborted')),
                stop_reason TEXT,
                finished    TEXT
            )""",
            "CREATE INDEX runs_by_name ON runs (name, id)",
            """
            CREATE TABLE rounds (
                run_id            INTEGER NOT NULL REFERENCES runs (id),
                round             INTEGER NOT NULL CHECK (round >= 1),
                started           TEXT    NOT NULL,
                finished          TEXT    NOT NULL,
                duration_ms       INTEGER NOT NULL,
                completed         INTEGER NOT NULL CHECK (completed IN (0, 1)),
                selected_count    INTEGER NOT NULL,
                succeeded_count   INTEGER NOT NULL,
                selected_sites    TEXT    NOT NULL,
                succeeded_sites   TEXT    NOT NULL,
                fit_metrics       TEXT    NOT NULL,
                eval_metrics      TEXT    NOT NULL,
                checkpoint_path   TEXT,
                checkpoint_sha256 TEXT,
                PRIMARY KEY (run_id, round)
            )""",
            """
            CREATE TABLE site_results (
                id           INTEGER PRIMARY KEY AUTOINCREMENT,
                run_id       INTEGER NOT NULL,
                round        INTEGER NOT NULL,
                site         TEXT    NOT NULL,
                kind         TEXT    NOT NULL CHECK (kind IN ('fit', 'eval')),
                status       TEXT    NOT NULL CHECK (status IN ('ok', 'error', 'timeout', 'rejected')),
                num_examples INTEGER,
                metrics      TEXT,
                reason       TEXT,
                failure_seq  INTEGER,
                FOREIGN KEY (run_id, round) REFERENCES rounds (run_id, round) ON DELETE CASCADE
            )""",
            "CREATE INDEX site_results_by_round ON site_results (run_id, round)",
            "CREATE INDEX site_results_by_site ON site_results (site, run_id)",
            """
            CREATE TABLE metrics (
                run_id INTEGER NOT NULL,
                round  INTEGER NOT NULL,
                kind   TEXT    NOT NULL CHECK (kind IN ('fit', 'eval')),
                scope  TEXT    NOT NULL,
                name   TEXT    NOT NULL,
                value  REAL,
                PRIMARY KEY (run_id, round, kind, scope, name),
                FOREIGN KEY (run_id, round) REFERENCES rounds (run_id, round) ON DELETE CASCADE
            )""",
            "CREATE INDEX metrics_by_name ON metrics (run_id, name, scope)",
            """
            CREATE TABLE audit_log (
                id     INTEGER PRIMARY KEY AUTOINCREMENT,
                time   TEXT    NOT NULL,
                run_id INTEGER REFERENCES runs (id),
                actor  TEXT    NOT NULL,
                event  TEXT    NOT NULL,
                detail TEXT
            )""",
            "CREATE INDEX audit_by_run ON audit_log (run_id, id)");

    /**
     * Migration 2: a run may be {@code stopped} (an operator's SIGTERM or SIGINT; resumable). SQLite cannot change a
     * CHECK constraint in place, so the runs table is rebuilt as SQLite documents it: a new table, the rows copied
     * with their ids, the old table dropped and the new one renamed (foreign keys are off meanwhile and checked
     * before the commit).
     */
    private static final List<String> V2 = List.of(
            """
            CREATE TABLE runs_v2 (
                id          INTEGER PRIMARY KEY AUTOINCREMENT,
                name        TEXT    NOT NULL CHECK (length(name) > 0),
                created     TEXT    NOT NULL,
                config_json TEXT    NOT NULL,
                seed        INTEGER NOT NULL,
                status      TEXT    NOT NULL
                            CHECK (status IN ('running', 'completed', 'failed', 'aborted', 'stopped')),
                stop_reason TEXT,
                finished    TEXT
            )""",
            """
            INSERT INTO runs_v2 (id, name, created, config_json, seed, status, stop_reason, finished)
            SELECT id, name, created, config_json, seed, status, stop_reason, finished FROM runs""",
            "DROP TABLE runs",
            "ALTER TABLE runs_v2 RENAME TO runs",
            "CREATE INDEX runs_by_name ON runs (name, id)");

    /**
     * Migration 3: the audit log becomes a hash chain per run ({@code prev_hash}, {@code entry_hash}; see
     * {@link AuditRows}). Entries written before it keep null hashes and verify as unchained.
     */
    private static final List<String> V3_AUDIT_CHAIN = List.of(
            "ALTER TABLE audit_log ADD COLUMN prev_hash TEXT",
            "ALTER TABLE audit_log ADD COLUMN entry_hash TEXT");

    /**
     * Migration 4: each round's aggregation time ({@code rounds.aggregation_ns}, NULL in rounds recorded before it,
     * read as not recorded) and the bytes the transport sent to and received from each site in the round
     * ({@code site_traffic}; no rows for rounds recorded before it, or for in-process sites).
     */
    private static final List<String> V4_AGGREGATION_AND_TRAFFIC = List.of(
            "ALTER TABLE rounds ADD COLUMN aggregation_ns INTEGER CHECK (aggregation_ns IS NULL OR aggregation_ns >= 0)",
            """
            CREATE TABLE site_traffic (
                run_id         INTEGER NOT NULL,
                round          INTEGER NOT NULL,
                site           TEXT    NOT NULL,
                bytes_sent     INTEGER NOT NULL CHECK (bytes_sent >= 0),
                bytes_received INTEGER NOT NULL CHECK (bytes_received >= 0),
                PRIMARY KEY (run_id, round, site),
                FOREIGN KEY (run_id, round) REFERENCES rounds (run_id, round) ON DELETE CASCADE
            )""");

    /**
     * Migration 5: analytics results (the JSON of an analytics exchange, as its {@code --analytics FILE} holds it)
     * and model exports made from the store (the file's path and SHA-256). Two new tables: every existing row is
     * kept as it is, and a reader of an older store sees no analytics and no exports.
     */
    private static final List<String> V5_ANALYTICS_AND_EXPORTS = List.of(
            """
            CREATE TABLE analytics (
                id          INTEGER PRIMARY KEY AUTOINCREMENT,
                created     TEXT    NOT NULL,
                dataset     TEXT    NOT NULL,
                result_json TEXT    NOT NULL
            )""",
            """
            CREATE TABLE exports (
                id      INTEGER PRIMARY KEY AUTOINCREMENT,
                run_id  INTEGER NOT NULL REFERENCES runs (id),
                round   INTEGER NOT NULL CHECK (round >= 1),
                created TEXT    NOT NULL,
                path    TEXT    NOT NULL,
                sha256  TEXT    NOT NULL
            )""",
            "CREATE INDEX exports_by_run ON exports (run_id, id)");

    /**
     * Migration 6: when the server last heard from each site of a run (heartbeats included), one row per site,
     * overwritten as the server re-records it; a reader of an older store sees none.
     */
    private static final List<String> V6_SITE_CONTACTS = List.of(
            """
            CREATE TABLE site_contacts (
                run_id     INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                site       TEXT    NOT NULL,
                last_heard TEXT    NOT NULL,
                PRIMARY KEY (run_id, site)
            )""");

    private static final List<List<String>> MIGRATIONS = List.of(V1, V2, V3_AUDIT_CHAIN, V4_AGGREGATION_AND_TRAFFIC,
            V5_ANALYTICS_AND_EXPORTS, V6_SITE_CONTACTS);

    /** The first version with {@code rounds.aggregation_ns} and {@code site_traffic}. */
    static final int AGGREGATION_AND_TRAFFIC_VERSION = 4;

    /** The first schema version with the {@code analytics} and {@code exports} tables. */
    static final int ANALYTICS_AND_EXPORTS = 5;

    /** The first schema version with the {@code site_contacts} table. */
    static final int SITE_CONTACTS = 6;

    /** The schema version this build writes. */
    static final int CURRENT_VERSION = MIGRATIONS.size();

    private StoreSchema() {
    }

    /** Brings the database up to {@link #CURRENT_VERSION}; the connection must be in auto-commit mode. */
    static void migrate(Connection c, Path db) throws SQLException {
        migrate(c, db, CURRENT_VERSION);
    }

    /**
     * Brings the database up to {@code target} (tests build a store of an earlier release this way). Each step runs
     * in its own write transaction and first re-reads the version under the lock, so processes that open a new
     * store at the same time (a server starting, {@code fedmed runs} beside it) migrate it once between them.
     */
    static void migrate(Connection c, Path db, int target) throws SQLException {
        int version = version(c);
        if (version > CURRENT_VERSION) {
            throw new RunStoreException(db, "database has schema version " + version + " but this fedmed ("
                    + FedmedVersion.current() + ") knows versions up to " + CURRENT_VERSION
                    + "; open it with a newer fedmed");
        }
        if (version >= target) {
            return;
        }
        // A table rebuild must not cascade or fail on foreign keys; the pragma only takes effect outside a transaction.
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA foreign_keys = OFF");
        }
        try {
            for (int v = version; v < target; v++) {
                c.setAutoCommit(false); // begins IMMEDIATE: the write lock is held from here to the commit
                try (Statement s = c.createStatement()) {
                    int now = version(c);
                    if (now > v) {
                        // another process opening the same store migrated it meanwhile
                        c.commit();
                        v = now - 1;
                        continue;
                    }
                    for (String sql : MIGRATIONS.get(v)) {
                        s.execute(sql);
                    }
                    requireForeignKeysHold(s, db, v + 1);
                    s.execute("PRAGMA user_version = " + (v + 1));
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            }
        } finally {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA foreign_keys = ON");
            }
        }
    }

    private static void requireForeignKeysHold(Statement s, Path db, int toVersion) throws SQLException {
        try (ResultSet rs = s.executeQuery("PRAGMA foreign_key_check")) {
            if (rs.next()) {
                throw new RunStoreException(db, "migration to schema version " + toVersion + " would leave a row of"
                        + " table " + rs.getString(1) + " pointing at a missing " + rs.getString(3) + " row");
            }
        }
    }

    static int version(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }
}
