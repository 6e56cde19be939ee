-- The run store's first schema (SQLite).
-- Instants are INTEGER nanoseconds since 1970-01-01T00:00:00Z (UTC): exact, and ordered as numbers;
-- read one with datetime(created_at / 1e9, 'unixepoch'). Identifiers (id, seq) give the order of insertion,
-- which breaks ties between equal instants.

CREATE TABLE runs (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id         TEXT    NOT NULL UNIQUE,
    job            TEXT    NOT NULL,
    selection      TEXT,
    status         TEXT    NOT NULL,
    run_trigger    TEXT,
    reexecution_of TEXT,
    created_at     INTEGER NOT NULL,
    started_at     INTEGER,
    ended_at       INTEGER,
    message        TEXT,
    owner          TEXT,
    heartbeat_at   INTEGER
);
-- runs(job, limit): newest first, of one job or of all.
CREATE INDEX runs_by_job ON runs (job, created_at DESC, id DESC);
CREATE INDEX runs_by_time ON runs (created_at DESC, id DESC);
-- runsWithStatus: the few runs queued or started, oldest first.
CREATE INDEX runs_by_status ON runs (status, created_at, id);

CREATE TABLE steps (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id     TEXT    NOT NULL,
    step       TEXT    NOT NULL,
    status     TEXT    NOT NULL,
    attempts   INTEGER NOT NULL,
    started_at INTEGER,
    ended_at   INTEGER,
    error      TEXT,
    UNIQUE (run_id, step)
);

-- seq numbers every event of the store; AUTOINCREMENT never reuses one, so a reader tails a run with seq > last.
CREATE TABLE events (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id     TEXT    NOT NULL,
    event_time INTEGER NOT NULL,
    step       TEXT,
    level      TEXT    NOT NULL,
    event_type TEXT    NOT NULL,
    message    TEXT
);
CREATE INDEX events_by_run ON events (run_id, seq);

CREATE TABLE materializations (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    asset_key       TEXT    NOT NULL,
    run_id          TEXT,
    step            TEXT,
    materialized_at INTEGER NOT NULL,
    row_count       INTEGER,
    duration_ms     INTEGER NOT NULL,
    schema_hash     TEXT,
    metadata        TEXT    NOT NULL  -- a JSON object
);
CREATE INDEX materializations_by_key ON materializations (asset_key, materialized_at DESC, id DESC);

-- The newest materialization of each asset, kept up to date on every insert, so "latest of each" reads one row
-- per asset instead of the whole history.
CREATE TABLE latest_materializations (
    asset_key          TEXT    PRIMARY KEY,
    materialization_id INTEGER NOT NULL,
    materialized_at    INTEGER NOT NULL
);

CREATE TABLE check_results (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    asset_key  TEXT    NOT NULL,
    check_name TEXT    NOT NULL,
    run_id     TEXT,
    checked_at INTEGER NOT NULL,
    passed     INTEGER NOT NULL,  -- 0 or 1
    blocking   INTEGER NOT NULL,  -- 0 or 1
    message    TEXT
);
CREATE INDEX check_results_by_key ON check_results (asset_key, checked_at DESC, id DESC);

CREATE TABLE schedule_states (
    schedule    TEXT    PRIMARY KEY,
    running     INTEGER NOT NULL,  -- 0 or 1
    last_tick   INTEGER,
    last_run_id TEXT
);
