-- The work queue shared by `entrepot worker` processes (SQLite), and the ticks the schedulers fired.
-- Instants are INTEGER nanoseconds since 1970-01-01T00:00:00Z (UTC), like the other instants of the store.

-- One row per step of a queued run. status: QUEUED (waiting for its upstream steps or a worker), RUNNING (claimed
-- by `worker`, which beats `heartbeat_at`), DONE, FAILED, SKIPPED (an upstream step failed). `attempt` grows at each
-- claim: a worker completes a step only while the row still holds its worker name and attempt.
CREATE TABLE work_items (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id       TEXT    NOT NULL,
    step         TEXT    NOT NULL,
    status       TEXT    NOT NULL,
    worker       TEXT,
    attempt      INTEGER NOT NULL,
    heartbeat_at INTEGER,
    error        TEXT,
    UNIQUE (run_id, step)
);
CREATE INDEX work_items_by_status ON work_items (status, id);

-- The steps a work item waits for (same run).
CREATE TABLE work_needs (
    run_id TEXT NOT NULL,
    step   TEXT NOT NULL,
    needs  TEXT NOT NULL,
    PRIMARY KEY (run_id, step, needs)
);

-- One row per schedule and tick fired: the daemon that inserts it launches the run, the others let it be.
CREATE TABLE schedule_ticks (
    schedule  TEXT   NOT NULL,
    tick      INTEGER NOT NULL,
    fired_by  TEXT,
    fired_at  INTEGER NOT NULL,
    PRIMARY KEY (schedule, tick)
);
