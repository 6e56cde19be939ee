-- The run store's first schema (PostgreSQL).
-- Instants are BIGINT nanoseconds since 1970-01-01T00:00:00Z (UTC): exact (timestamptz keeps microseconds only),
-- and ordered as numbers; read one with to_timestamp(created_at / 1e9). Identifiers (id, seq) give the order of
-- insertion, which breaks ties between equal instants.

CREATE TABLE runs (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id         TEXT    NOT NULL UNIQUE,
    job            TEXT    NOT NULL,
    selection      TEXT,
    status         TEXT    NOT NULL,
    run_trigger    TEXT,
    reexecution_of TEXT,
    created_at     BIGINT  NOT NULL,
    started_at     BIGINT,
    ended_at       BIGINT,
    message        TEXT,
    owner          TEXT,
    heartbeat_at   BIGINT
);
-- runs(job, limit): newest first, of one job or of all.
CREATE INDEX runs_by_job ON runs (job, created_at DESC, id DESC);
CREATE INDEX runs_by_time ON runs (created_at DESC, id DESC);
-- runsWithStatus: the few runs queued or started, oldest first.
CREATE INDEX runs_by_status ON runs (status, created_at, id);

CREATE TABLE steps (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id     TEXT    NOT NULL,
    step       TEXT    NOT NULL,
    status     TEXT    NOT NULL,
    attempts   INTEGER NOT NULL,
    started_at BIGINT,
    ended_at   BIGINT,
    error      TEXT,
    UNIQUE (run_id, step)
);

-- seq numbers every event of the store; appends take a lock on the table so that events commit in seq order, and a
-- reader tailing a run with seq > last never misses one committed late.
CREATE TABLE events (
    seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id     TEXT    NOT NULL,
    event_time BIGINT  NOT NULL,
    step       TEXT,
    level      TEXT    NOT NULL,
    event_type TEXT    NOT NULL,
    message    TEXT
);
CREATE INDEX events_by_run ON events (run_id, seq);

CREATE TABLE materializations (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    asset_key       TEXT    NOT NULL,
    run_id          TEXT,
    step            TEXT,
    materialized_at BIGINT  NOT NULL,
    row_count       BIGINT,
    duration_ms     BIGINT  NOT NULL,
    schema_hash     TEXT,
    metadata        TEXT    NOT NULL  -- a JSON object
);
CREATE INDEX materializations_by_key ON materializations (asset_key, materialized_at DESC, id DESC);

-- The newest materialization of each asset, kept up to date on every insert, so "latest of each" reads one row
-- per asset instead of the whole history.
CREATE TABLE latest_materializations (
    asset_key          TEXT    PRIMARY KEY,
    materialization_id BIGINT  NOT NULL,
    materialized_at    BIGINT  NOT NULL
);

CREATE TABLE check_results (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    asset_key  TEXT    NOT NULL,
    check_name TEXT    NOT NULL,
    run_id     TEXT,
    checked_at BIGINT  NOT NULL,
    passed     BOOLEAN NOT NULL,
    blocking   BOOLEAN NOT NULL,
    message    TEXT
);
CREATE INDEX check_results_by_key ON check_results (asset_key, checked_at DESC, id DESC);

CREATE TABLE schedule_states (
    schedule    TEXT    PRIMARY KEY,
    running     BOOLEAN NOT NULL,
    last_tick   BIGINT,
    last_run_id TEXT
);
