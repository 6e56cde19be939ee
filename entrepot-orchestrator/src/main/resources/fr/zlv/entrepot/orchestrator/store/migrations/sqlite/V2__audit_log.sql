-- The API's audit log (SQLite): one row per request for data, appended in batches by the server.
-- requested_at is INTEGER nanoseconds since 1970-01-01T00:00:00Z (UTC), like the other instants of the store.

CREATE TABLE audit_log (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    requested_at   INTEGER NOT NULL,
    subject        TEXT    NOT NULL,
    role           TEXT,
    query          TEXT,
    variables      TEXT,              -- a JSON object
    row_count      INTEGER NOT NULL,
    outcome        TEXT    NOT NULL,
    http_status    INTEGER NOT NULL,
    duration_ms    INTEGER NOT NULL,
    cubes          TEXT    NOT NULL,  -- a JSON array of cube names
    client_address TEXT
);
-- Newest first, of everyone or of one subject.
CREATE INDEX audit_log_by_time ON audit_log (requested_at DESC, id DESC);
CREATE INDEX audit_log_by_subject ON audit_log (subject, requested_at DESC, id DESC);
