-- The work queue shared by `entrepot worker` processes (PostgreSQL), and the ticks the schedulers fired.
-- Instants are BIGINT nanoseconds since 1970-01-01T00:00:00Z (UTC), like the other instants of the store.

-- One row per step of a queued run. status: QUEUED (waiting for its upstream steps or a worker), RUNNING (claimed
-- by `worker`, which beats `heartbeat_at`), DONE, FAILED, SKIPPED (an upstream step failed). `attempt` grows at each
-- claim: a worker completes a step only while the row still holds its worker name and attempt.
CREATE TABLE work_items (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id       TEXT    NOT NULL,
    step         TEXT    NOT NULL,
    status       TEXT    NOT NULL,
    worker       TEXT,
    attempt      INTEGER NOT NULL,
    heartbeat_at BIGINT,
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
    tick      BIGINT NOT NULL,
    fired_by  TEXT,
    fired_at  BIGINT NOT NULL,
    PRIMARY KEY (schedule, tick)
);
