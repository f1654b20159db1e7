-- The run store's schema at version 3 (fedmed before rounds.aggregation_ns and site_traffic), as SQLite
-- stores it; RoundTrafficStoreTest builds a store of that release from it.
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
            );
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
            );
CREATE INDEX site_results_by_round ON site_results (run_id, round);
CREATE INDEX site_results_by_site ON site_results (site, run_id);
CREATE TABLE metrics (
                run_id INTEGER NOT NULL,
                round  INTEGER NOT NULL,
                kind   TEXT    NOT NULL CHECK (kind IN ('fit', 'eval')),
                scope  TEXT    NOT NULL,
                name   TEXT    NOT NULL,
                value  REAL,
                PRIMARY KEY (run_id, round, kind, scope, name),
                FOREIGN KEY (run_id, round) REFERENCES rounds (run_id, round) ON DELETE CASCADE
            );
CREATE INDEX metrics_by_name ON metrics (run_id, name, scope);
CREATE TABLE audit_log (
                id     INTEGER PRIMARY KEY AUTOINCREMENT,
                time   TEXT    NOT NULL,
                run_id INTEGER REFERENCES runs (id),
                actor  TEXT    NOT NULL,
                event  TEXT    NOT NULL,
                detail TEXT
            , prev_hash TEXT, entry_hash TEXT);
CREATE INDEX audit_by_run ON audit_log (run_id, id);
CREATE TABLE "runs" (
                id          INTEGER PRIMARY KEY AUTOINCREMENT,
                name        TEXT    NOT NULL CHECK (length(name) > 0),
                created     TEXT    NOT NULL,
                config_json TEXT    NOT NULL,
                seed        INTEGER NOT NULL,
                status      TEXT    NOT NULL
                            CHECK (status IN ('running', 'completed', 'failed', 'aborted', 'stopped')),
                stop_reason TEXT,
                finished    TEXT
            );
CREATE INDEX runs_by_name ON runs (name, id);
PRAGMA user_version = 3;
