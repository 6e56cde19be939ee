package fr.zlv.entrepot.orchestrator.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.orchestrator.asset.AssetKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The run store in a SQL database, SQLite or PostgreSQL: the same tables and statements in both (the migrations
 * differ in types only). Writes that go together (a batch of events, a materialization and the asset's latest
 * pointer) run in one transaction.
 *
 * <p>Metadata of materializations is kept as a JSON object: values come back as JSON gives them (strings, booleans,
 * integers as {@code Long}, decimals as {@code Double}, lists, maps; instants as ISO-8601 strings).
 * Text holding a NUL character, which PostgreSQL refuses, is kept with U+FFFD in its place, in both databases.
 */
final class JdbcRunStore implements RunStore {

    private static final String RUN_COLUMNS = "run_id, job, selection, status, run_trigger, reexecution_of,"
            + " created_at, started_at, ended_at, message, owner, heartbeat_at";
    private static final String STEP_COLUMNS = "run_id, step, status, attempts, started_at, ended_at, error";
    private static final String EVENT_COLUMNS = "run_id, seq, event_time, step, level, event_type, message";
    private static final String MATERIALIZATION_COLUMNS = "m.asset_key, m.run_id, m.step, m.materialized_at,"
            + " m.row_count, m.duration_ms, m.schema_hash, m.metadata";
    private static final String CHECK_COLUMNS = "asset_key, check_name, run_id, checked_at, passed, blocking, message";
    private static final String AUDIT_COLUMNS = "requested_at, subject, role, query, variables, row_count, outcome,"
            + " http_status, duration_ms, cubes, client_address";
    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {
    };

    @FunctionalInterface
    private interface SqlWork<T> {
        T apply(Connection connection) throws SQLException;
    }

    private final StoreDialect dialect;
    private final String location;
    private final ConnectionPool pool;
    /** SQLite has one writer: this process's writers take turns here rather than spin in SQLite's busy handler. */
    private final ReentrantLock writeLock = new ReentrantLock(true);
    private final ObjectMapper json = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(DeserializationFeature.USE_LONG_FOR_INTS);
    private final int schemaVersionAtOpen;

    /**
     * Opens the store and brings its schema to the last of {@code migrations}.
     *
     * @param schema the PostgreSQL schema (already checked to be a plain lower-case name); null for SQLite
     */
    JdbcRunStore(StoreDialect dialect, String schema, String location, ConnectionPool pool, List<Migration> migrations)
            throws SQLException {
        this.dialect = dialect;
        this.location = location;
        this.pool = pool;
        this.schemaVersionAtOpen = withConnection(
                connection -> SchemaMigrator.migrate(connection, dialect, schema, migrations, location));
    }

    // Runs

    @Override
    public void createRun(RunRecord run) {
        write("create run " + run.runId(), connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO runs (" + RUN_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                new Params(insert).text(run.runId()).text(run.job()).text(run.selection()).text(run.status().name())
                        .text(run.trigger()).text(run.reexecutionOf()).instant(run.createdAt())
                        .instant(run.startedAt()).instant(run.endedAt()).text(run.message()).text(run.owner())
                        .instant(run.heartbeatAt());
                insert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void updateRun(RunRecord run) {
        int updated = write("update run " + run.runId(), connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE runs SET job = ?, selection = ?,"
                    + " status = ?, run_trigger = ?, reexecution_of = ?, created_at = ?, started_at = ?, ended_at = ?,"
                    + " message = ?, owner = ?, heartbeat_at = ? WHERE run_id = ?")) {
                new Params(update).text(run.job()).text(run.selection()).text(run.status().name()).text(run.trigger())
                        .text(run.reexecutionOf()).instant(run.createdAt()).instant(run.startedAt())
                        .instant(run.endedAt()).text(run.message()).text(run.owner()).instant(run.heartbeatAt())
                        .text(run.runId());
                return update.executeUpdate();
            }
        });
        if (updated == 0) {
            throw new IllegalArgumentException("no run '" + run.runId() + "' in the run store at " + location
                    + " to update (create it first)");
        }
    }

    @Override
    public Optional<RunRecord> run(String runId) {
        return read("read run " + runId, connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT " + RUN_COLUMNS + " FROM runs WHERE run_id = ?")) {
                new Params(query).text(runId);
                return list(query, JdbcRunStore::runRow).stream().findFirst();
            }
        });
    }

    @Override
    public List<RunRecord> runs(String job, int limit) {
        requirePositive(limit);
        return read("list runs", connection -> {
            String where = job == null ? "" : " WHERE job = ?";
            try (PreparedStatement query = connection.prepareStatement("SELECT " + RUN_COLUMNS + " FROM runs" + where
                    + " ORDER BY created_at DESC, id DESC LIMIT ?")) {
                Params params = new Params(query);
                if (job != null) {
                    params.text(job);
                }
                params.number((long) limit);
                return list(query, JdbcRunStore::runRow);
            }
        });
    }

    @Override
    public List<RunRecord> runsWithStatus(Set<RunStatus> statuses) {
        if (statuses.isEmpty()) {
            return List.of();
        }
        return read("list runs by status", connection -> {
            String marks = String.join(", ", Collections.nCopies(statuses.size(), "?"));
            try (PreparedStatement query = connection.prepareStatement("SELECT " + RUN_COLUMNS + " FROM runs"
                    + " WHERE status IN (" + marks + ") ORDER BY created_at, id")) {
                Params params = new Params(query);
                for (RunStatus status : statuses) {
                    params.text(status.name());
                }
                return list(query, JdbcRunStore::runRow);
            }
        });
    }

    private static RunRecord runRow(ResultSet row) throws SQLException {
        return new RunRecord(row.getString(1), row.getString(2), row.getString(3), RunStatus.valueOf(row.getString(4)),
                row.getString(5), row.getString(6), instant(row, 7), instant(row, 8), instant(row, 9),
                row.getString(10), row.getString(11), instant(row, 12));
    }

    // Steps

    @Override
    public void saveStep(StepRecord step) {
        write("save step " + step.step() + " of run " + step.runId(), connection -> {
            // An upsert keeps the row's id, so steps stay in the order they were first saved.
            try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO steps (" + STEP_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, step) DO UPDATE SET"
                    + " status = excluded.status, attempts = excluded.attempts, started_at = excluded.started_at,"
                    + " ended_at = excluded.ended_at, error = excluded.error")) {
                new Params(upsert).text(step.runId()).text(step.step()).text(step.status().name())
                        .number((long) step.attempts()).instant(step.startedAt()).instant(step.endedAt())
                        .text(step.error());
                upsert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<StepRecord> steps(String runId) {
        return read("read the steps of run " + runId, connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT " + STEP_COLUMNS + " FROM steps WHERE run_id = ? ORDER BY id")) {
                new Params(query).text(runId);
                return list(query, row -> new StepRecord(row.getString(1), row.getString(2),
                        StepStatus.valueOf(row.getString(3)), row.getInt(4), instant(row, 5), instant(row, 6),
                        row.getString(7)));
            }
        });
    }

    // Events

    @Override
    public void appendEvents(List<RunEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        write("append " + events.size() + " events of run " + events.get(0).runId(), connection -> {
            if (dialect == StoreDialect.POSTGRESQL) {
                // Numbers are drawn in order but transactions could commit out of order, and a reader tailing
                // with seq > last would skip one committed late: appenders take turns until they commit.
                try (Statement lock = connection.createStatement()) {
                    lock.execute("LOCK TABLE events IN SHARE ROW EXCLUSIVE MODE");
                }
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO events (run_id, event_time,"
                    + " step, level, event_type, message) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (RunEvent event : events) {
                    new Params(insert).text(event.runId()).instant(event.time()).text(event.step())
                            .text(event.level().name()).text(event.type()).text(event.message());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
    }

    @Override
    public List<RunEvent> events(String runId, long afterSeq) {
        return read("read the events of run " + runId, connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT " + EVENT_COLUMNS + " FROM events WHERE run_id = ? AND seq > ? ORDER BY seq")) {
                new Params(query).text(runId).number(afterSeq);
                return list(query, row -> new RunEvent(row.getString(1), row.getLong(2), instant(row, 3),
                        row.getString(4), RunEvent.Level.valueOf(row.getString(5)), row.getString(6),
                        row.getString(7)));
            }
        });
    }

    // Materializations

    @Override
    public void recordMaterialization(MaterializationRecord materialization) {
        String metadata = toJson(materialization);
        write("record a materialization of " + materialization.key(), connection -> {
            insertMaterialization(connection, materialization, metadata);
            return null;
        });
    }

    private void insertMaterialization(Connection connection, MaterializationRecord materialization, String metadata)
            throws SQLException {
        long id;
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO materializations (asset_key,"
                + " run_id, step, materialized_at, row_count, duration_ms, schema_hash, metadata)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
            new Params(insert).text(materialization.key().path()).text(materialization.runId())
                    .text(materialization.step()).instant(materialization.time()).number(materialization.rows())
                    .number(materialization.durationMillis()).text(materialization.schemaHash()).text(metadata);
            try (ResultSet generated = insert.executeQuery()) {
                generated.next();
                id = generated.getLong(1);
            }
        }
        // The newest by time, then by id: a materialization recorded late with an older time does not win.
        try (PreparedStatement latest = connection.prepareStatement("INSERT INTO latest_materializations"
                + " (asset_key, materialization_id, materialized_at) VALUES (?, ?, ?) ON CONFLICT (asset_key)"
                + " DO UPDATE SET materialization_id = excluded.materialization_id,"
                + " materialized_at = excluded.materialized_at"
                + " WHERE excluded.materialized_at >= latest_materializations.materialized_at")) {
            new Params(latest).text(materialization.key().path()).number(id).instant(materialization.time());
            latest.executeUpdate();
        }
    }

    @Override
    public List<MaterializationRecord> materializations(AssetKey key, int limit) {
        requirePositive(limit);
        return read("read the materializations of " + key, connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT " + MATERIALIZATION_COLUMNS
                    + " FROM materializations m WHERE m.asset_key = ? ORDER BY m.materialized_at DESC, m.id DESC"
                    + " LIMIT ?")) {
                new Params(query).text(key.path()).number((long) limit);
                return list(query, this::materializationRow);
            }
        });
    }

    @Override
    public Map<AssetKey, MaterializationRecord> latestMaterializations() {
        List<MaterializationRecord> latest = read("read the latest materializations", connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT " + MATERIALIZATION_COLUMNS
                    + " FROM latest_materializations l"
                    + " JOIN materializations m ON m.id = l.materialization_id ORDER BY l.asset_key")) {
                return list(query, this::materializationRow);
            }
        });
        Map<AssetKey, MaterializationRecord> byKey = new LinkedHashMap<>();
        latest.forEach(record -> byKey.put(record.key(), record));
        return Collections.unmodifiableMap(byKey);
    }

    private MaterializationRecord materializationRow(ResultSet row) throws SQLException {
        long rows = row.getLong(5);
        Long rowCount = row.wasNull() ? null : rows;
        return new MaterializationRecord(new AssetKey(row.getString(1)), row.getString(2), row.getString(3),
                instant(row, 4), rowCount, row.getLong(6), row.getString(7), fromJson(row.getString(8)));
    }

    private String toJson(MaterializationRecord materialization) {
        try {
            return json.writeValueAsString(materialization.metadata());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the metadata of a materialization of " + materialization.key()
                    + " cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private Map<String, Object> fromJson(String text) throws SQLException {
        try {
            return json.readValue(text, JSON_OBJECT);
        } catch (JsonProcessingException e) {
            throw new SQLException("a materialization's metadata is not a JSON object: " + e.getOriginalMessage(), e);
        }
    }

    // Checks

    @Override
    public void recordCheck(CheckResultRecord result) {
        write("record check " + result.check() + " of " + result.key(), connection -> {
            insertCheck(connection, result);
            return null;
        });
    }

    private static void insertCheck(Connection connection, CheckResultRecord result) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO check_results (" + CHECK_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            new Params(insert).text(result.key().path()).text(result.check()).text(result.runId())
                    .instant(result.time()).flag(result.passed()).flag(result.blocking()).text(result.message());
            insert.executeUpdate();
        }
    }

    @Override
    public List<CheckResultRecord> checkResults(AssetKey key, int limit) {
        requirePositive(limit);
        return read("read the check results of " + key, connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT " + CHECK_COLUMNS + " FROM check_results"
                    + " WHERE asset_key = ? ORDER BY checked_at DESC, id DESC LIMIT ?")) {
                new Params(query).text(key.path()).number((long) limit);
                return list(query, row -> new CheckResultRecord(new AssetKey(row.getString(1)), row.getString(2),
                        row.getString(3), instant(row, 4), row.getBoolean(5), row.getBoolean(6), row.getString(7)));
            }
        });
    }

    // The audit log

    @Override
    public void appendAudit(List<AuditRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        List<String> cubes = new ArrayList<>(records.size());
        for (AuditRecord record : records) {
            cubes.add(toJson(record.cubes(), "the cubes of an audit record"));
        }
        write("append " + records.size() + " audit records", connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO audit_log (" + AUDIT_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < records.size(); i++) {
                    AuditRecord record = records.get(i);
                    new Params(insert).instant(record.time()).text(record.subject()).text(record.role())
                            .text(record.query()).text(record.variables()).number(record.rows())
                            .text(record.outcome()).number((long) record.status()).number(record.durationMillis())
                            .text(cubes.get(i)).text(record.clientAddress());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
    }

    @Override
    public List<AuditRecord> audit(AuditQuery query) {
        return read("read the audit log", connection -> {
            List<String> conditions = new ArrayList<>();
            if (query.subject() != null) {
                conditions.add("subject = ?");
            }
            if (query.since() != null) {
                conditions.add("requested_at >= ?");
            }
            if (query.until() != null) {
                conditions.add("requested_at < ?");
            }
            if (query.outcome() != null) {
                conditions.add("outcome = ?");
            }
            String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
            try (PreparedStatement select = connection.prepareStatement("SELECT id, " + AUDIT_COLUMNS
                    + " FROM audit_log" + where + " ORDER BY requested_at DESC, id DESC LIMIT ?")) {
                Params params = new Params(select);
                if (query.subject() != null) {
                    params.text(query.subject());
                }
                if (query.since() != null) {
                    params.instant(query.since());
                }
                if (query.until() != null) {
                    params.instant(query.until());
                }
                if (query.outcome() != null) {
                    params.text(query.outcome());
                }
                params.number((long) query.limit());
                return list(select, this::auditRow);
            }
        });
    }

    private AuditRecord auditRow(ResultSet row) throws SQLException {
        List<String> cubes;
        try {
            cubes = json.readValue(row.getString(11), STRING_LIST);
        } catch (JsonProcessingException e) {
            throw new SQLException("an audit record's cubes are not a JSON array: " + e.getOriginalMessage(), e);
        }
        return new AuditRecord(row.getLong(1), instant(row, 2), row.getString(3), row.getString(4), row.getString(5),
                row.getString(6), row.getLong(7), row.getString(8), row.getInt(9), row.getLong(10), cubes,
                row.getString(12));
    }

    private String toJson(Object value, String what) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + " cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    // Schedules

    @Override
    public Optional<ScheduleState> scheduleState(String schedule) {
        return read("read the state of schedule " + schedule, connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT schedule, running, last_tick,"
                    + " last_run_id FROM schedule_states WHERE schedule = ?")) {
                new Params(query).text(schedule);
                return list(query, row -> new ScheduleState(row.getString(1), row.getBoolean(2), instant(row, 3),
                        row.getString(4))).stream().findFirst();
            }
        });
    }

    @Override
    public void saveScheduleState(ScheduleState state) {
        write("save the state of schedule " + state.schedule(), connection -> {
            try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO schedule_states (schedule,"
                    + " running, last_tick, last_run_id) VALUES (?, ?, ?, ?) ON CONFLICT (schedule) DO UPDATE SET"
                    + " running = excluded.running, last_tick = excluded.last_tick,"
                    + " last_run_id = excluded.last_run_id")) {
                new Params(upsert).text(state.schedule()).flag(state.running()).instant(state.lastTick())
                        .text(state.lastRunId());
                upsert.executeUpdate();
            }
            return null;
        });
    }

    // The work queue

    private static final String WORK_COLUMNS = "run_id, step, status, worker, attempt, heartbeat_at, error";

    @Override
    public void enqueueSteps(String runId, Map<String, Set<String>> needs) {
        write("queue the steps of run " + runId, connection -> {
            try (PreparedStatement item = connection.prepareStatement("INSERT INTO work_items (run_id, step, status,"
                    + " attempt) VALUES (?, ?, 'QUEUED', 0)");
                 PreparedStatement need = connection.prepareStatement("INSERT INTO work_needs (run_id, step, needs)"
                         + " VALUES (?, ?, ?)");
                 PreparedStatement step = connection.prepareStatement("INSERT INTO steps (" + STEP_COLUMNS
                         + ") VALUES (?, ?, 'PENDING', 0, NULL, NULL, NULL)")) {
                for (Map.Entry<String, Set<String>> entry : needs.entrySet()) {
                    new Params(item).text(runId).text(entry.getKey());
                    item.addBatch();
                    new Params(step).text(runId).text(entry.getKey());
                    step.addBatch();
                    for (String upstream : entry.getValue()) {
                        new Params(need).text(runId).text(entry.getKey()).text(upstream);
                        need.addBatch();
                    }
                }
                item.executeBatch();
                step.executeBatch();
                need.executeBatch();
            }
            return null;
        });
    }

    @Override
    public Optional<WorkItem> claimStep(String worker, Instant now) {
        // PostgreSQL: SKIP LOCKED lets workers claiming at once pass over the row another is taking. SQLite: the
        // transaction holds the file's write lock (IMMEDIATE), so claims take turns anyway.
        String lock = dialect == StoreDialect.POSTGRESQL ? " FOR UPDATE OF c SKIP LOCKED" : "";
        return write("claim a step for worker " + worker, connection -> {
            Optional<WorkItem> claimed;
            try (PreparedStatement claim = connection.prepareStatement("UPDATE work_items SET status = 'RUNNING',"
                    + " worker = ?, attempt = attempt + 1, heartbeat_at = ?, error = NULL WHERE status = 'QUEUED'"
                    + " AND id = (SELECT c.id FROM work_items c JOIN runs r ON r.run_id = c.run_id"
                    + " WHERE c.status = 'QUEUED' AND r.status IN ('QUEUED', 'STARTED') AND NOT EXISTS ("
                    + "SELECT 1 FROM work_needs n JOIN work_items u ON u.run_id = n.run_id AND u.step = n.needs"
                    + " WHERE n.run_id = c.run_id AND n.step = c.step AND u.status <> 'DONE')"
                    + " ORDER BY c.id LIMIT 1" + lock + ") RETURNING " + WORK_COLUMNS)) {
                new Params(claim).text(worker).instant(now);
                claimed = list(claim, JdbcRunStore::workRow).stream().findFirst();
            }
            if (claimed.isPresent()) {
                WorkItem item = claimed.get();
                try (PreparedStatement run = connection.prepareStatement("UPDATE runs SET status = 'STARTED',"
                        + " started_at = ?, heartbeat_at = ? WHERE run_id = ? AND status = 'QUEUED'");
                     PreparedStatement step = connection.prepareStatement("UPDATE steps SET status = 'RUNNING',"
                             + " attempts = ?, started_at = ?, ended_at = NULL, error = NULL"
                             + " WHERE run_id = ? AND step = ?")) {
                    new Params(run).instant(now).instant(now).text(item.runId());
                    run.executeUpdate();
                    new Params(step).number((long) item.attempt()).instant(now).text(item.runId()).text(item.step());
                    step.executeUpdate();
                }
            }
            return claimed;
        });
    }

    @Override
    public void beat(String worker, Instant now) {
        write("beat for worker " + worker, connection -> {
            try (PreparedStatement beat = connection.prepareStatement("UPDATE work_items SET heartbeat_at = ?"
                    + " WHERE worker = ? AND status = 'RUNNING'")) {
                new Params(beat).instant(now).text(worker);
                return beat.executeUpdate();
            }
        });
    }

    @Override
    public List<WorkItem> requeueStale(Instant staleBefore) {
        return write("give back the steps of silent workers", connection -> {
            List<WorkItem> stale;
            try (PreparedStatement requeue = connection.prepareStatement("UPDATE work_items SET status = 'QUEUED',"
                    + " error = 'worker ' || worker || ' stopped beating', worker = NULL"
                    + " WHERE status = 'RUNNING' AND heartbeat_at < ? RETURNING " + WORK_COLUMNS)) {
                new Params(requeue).instant(staleBefore);
                stale = list(requeue, JdbcRunStore::workRow);
            }
            try (PreparedStatement step = connection.prepareStatement("UPDATE steps SET status = 'PENDING',"
                    + " error = ? WHERE run_id = ? AND step = ?")) {
                for (WorkItem item : stale) {
                    new Params(step).text(item.error()).text(item.runId()).text(item.step());
                    step.addBatch();
                }
                if (!stale.isEmpty()) {
                    step.executeBatch();
                }
            }
            return stale;
        });
    }

    @Override
    public boolean completeStep(WorkItem claim, WorkStatus status, String error,
                                List<MaterializationRecord> materializations, List<CheckResultRecord> checks,
                                Instant now) {
        if (status != WorkStatus.DONE && status != WorkStatus.FAILED) {
            throw new IllegalArgumentException("a claimed step ends DONE or FAILED, not " + status);
        }
        List<String> metadata = new ArrayList<>();
        for (MaterializationRecord materialization : materializations) {
            metadata.add(toJson(materialization));
        }
        return write("end step " + claim.step() + " of run " + claim.runId(), connection -> {
            try (PreparedStatement end = connection.prepareStatement("UPDATE work_items SET status = ?, error = ?,"
                    + " heartbeat_at = ? WHERE run_id = ? AND step = ? AND worker = ? AND attempt = ?"
                    + " AND status = 'RUNNING'")) {
                new Params(end).text(status.name()).text(error).instant(now).text(claim.runId()).text(claim.step())
                        .text(claim.worker()).number((long) claim.attempt());
                if (end.executeUpdate() == 0) {
                    return false; // the claim was lost: another worker has (or had) the step
                }
            }
            try (PreparedStatement step = connection.prepareStatement("UPDATE steps SET status = ?, attempts = ?,"
                    + " ended_at = ?, error = ? WHERE run_id = ? AND step = ?")) {
                new Params(step).text(status == WorkStatus.DONE ? StepStatus.SUCCESS.name() : StepStatus.FAILURE.name())
                        .number((long) claim.attempt()).instant(now).text(error).text(claim.runId()).text(claim.step());
                step.executeUpdate();
            }
            for (int i = 0; i < materializations.size(); i++) {
                insertMaterialization(connection, materializations.get(i), metadata.get(i));
            }
            for (CheckResultRecord check : checks) {
                insertCheck(connection, check);
            }
            if (status == WorkStatus.FAILED) {
                skipDownstream(connection, claim.runId());
            }
            return true;
        });
    }

    /** Skips, level after level, the queued steps of the run that wait on a failed or skipped step. */
    private static void skipDownstream(Connection connection, String runId) throws SQLException {
        try (PreparedStatement skip = connection.prepareStatement("UPDATE work_items SET status = 'SKIPPED',"
                + " error = 'an upstream step failed' WHERE run_id = ? AND status = 'QUEUED' AND EXISTS ("
                + "SELECT 1 FROM work_needs n JOIN work_items u ON u.run_id = n.run_id AND u.step = n.needs"
                + " WHERE n.run_id = work_items.run_id AND n.step = work_items.step"
                + " AND u.status IN ('FAILED', 'SKIPPED'))")) {
            int skipped;
            do {
                new Params(skip).text(runId);
                skipped = skip.executeUpdate();
            } while (skipped > 0);
        }
        try (PreparedStatement steps = connection.prepareStatement("UPDATE steps SET status = 'SKIPPED',"
                + " error = 'an upstream step failed' WHERE run_id = ? AND status = 'PENDING' AND step IN ("
                + "SELECT step FROM work_items WHERE run_id = ? AND status = 'SKIPPED')")) {
            new Params(steps).text(runId).text(runId);
            steps.executeUpdate();
        }
    }

    @Override
    public List<WorkItem> workItems(String runId) {
        return read("read the work items of run " + runId, connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT " + WORK_COLUMNS
                    + " FROM work_items WHERE run_id = ? ORDER BY id")) {
                new Params(query).text(runId);
                return list(query, JdbcRunStore::workRow);
            }
        });
    }

    @Override
    public Optional<RunRecord> finishQueuedRun(String runId, Instant now) {
        return write("end run " + runId, connection -> {
            int ended;
            // One statement: of two workers ending the last steps at once, one only sees the run still going.
            try (PreparedStatement finish = connection.prepareStatement("UPDATE runs SET status = CASE WHEN EXISTS ("
                    + "SELECT 1 FROM work_items w WHERE w.run_id = runs.run_id AND w.status = 'FAILED')"
                    + " THEN 'FAILURE' ELSE 'SUCCESS' END, message = CASE WHEN EXISTS (SELECT 1 FROM work_items w"
                    + " WHERE w.run_id = runs.run_id AND w.status = 'FAILED') THEN 'steps failed' ELSE NULL END,"
                    + " ended_at = ?, heartbeat_at = ? WHERE run_id = ? AND status IN ('QUEUED', 'STARTED')"
                    + " AND NOT EXISTS (SELECT 1 FROM work_items w WHERE w.run_id = runs.run_id"
                    + " AND w.status IN ('QUEUED', 'RUNNING'))")) {
                new Params(finish).instant(now).instant(now).text(runId);
                ended = finish.executeUpdate();
            }
            if (ended == 0) {
                return Optional.<RunRecord>empty();
            }
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT " + RUN_COLUMNS + " FROM runs WHERE run_id = ?")) {
                new Params(query).text(runId);
                return list(query, JdbcRunStore::runRow).stream().findFirst();
            }
        });
    }

    private static WorkItem workRow(ResultSet row) throws SQLException {
        return new WorkItem(row.getString(1), row.getString(2), WorkStatus.valueOf(row.getString(3)),
                row.getString(4), row.getInt(5), instant(row, 6), row.getString(7));
    }

    @Override
    public boolean claimTick(String schedule, Instant tick, String firedBy, Instant now) {
        return write("record a tick of schedule " + schedule, connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO schedule_ticks (schedule, tick,"
                    + " fired_by, fired_at) VALUES (?, ?, ?, ?) ON CONFLICT (schedule, tick) DO NOTHING")) {
                new Params(insert).text(schedule).instant(tick).text(firedBy).instant(now);
                return insert.executeUpdate() == 1;
            }
        });
    }

    // The store

    @Override
    public int schemaVersion() {
        return read("read the schema version", connection -> {
            try (Statement statement = connection.createStatement()) {
                return SchemaMigrator.currentVersion(statement);
            }
        });
    }

    /** The version the schema was brought to when this store was opened. */
    int schemaVersionAtOpen() {
        return schemaVersionAtOpen;
    }

    @Override
    public String location() {
        return location;
    }

    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return dialect.displayName() + " run store at " + location;
    }

    private <T> T read(String what, SqlWork<T> work) {
        try {
            return withConnection(work);
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    /** Runs {@code work} in one transaction: all of it is kept, or none. */
    private <T> T write(String what, SqlWork<T> work) {
        boolean serialize = dialect.serializesWrites();
        if (serialize) {
            writeLock.lock();
        }
        try {
            return withConnection(connection -> {
                connection.setAutoCommit(false);
                try {
                    T result = work.apply(connection);
                    connection.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    rollback(connection, e);
                    throw e;
                } finally {
                    connection.setAutoCommit(true);
                }
            });
        } catch (SQLException e) {
            throw failure(what, e);
        } finally {
            if (serialize) {
                writeLock.unlock();
            }
        }
    }

    private <T> T withConnection(SqlWork<T> work) throws SQLException {
        Connection connection = pool.borrow();
        boolean broken = false;
        try {
            return work.apply(connection);
        } catch (SQLException e) {
            broken = lost(connection, e);
            throw e;
        } finally {
            pool.release(connection, broken);
        }
    }

    /**
     * True when a connection cannot serve again. A refused statement (a constraint, a syntax error) leaves it usable;
     * PostgreSQL says a connection is lost with SQL state class 08. A SQLite connection is a file handle: it is
     * kept unless closed (closing an in-memory one would lose its database).
     */
    private boolean lost(Connection connection, SQLException e) throws SQLException {
        if (connection.isClosed()) {
            return true;
        }
        return dialect == StoreDialect.POSTGRESQL && (e.getSQLState() == null || e.getSQLState().startsWith("08"));
    }

    /** Rolls back after {@code cause}; a rollback that fails too is told with the cause, not instead of it. */
    static void rollback(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private EntrepotException failure(String what, SQLException e) {
        String hint = dialect == StoreDialect.SQLITE
                ? "Check that the disk has room and the file is writable; another process may have held the file"
                + " locked for too long."
                : "Check that the PostgreSQL server is up and reachable, and that the user may write in the schema.";
        return EntrepotException.failed("The run store at " + location + " could not " + what + ": "
                + firstLine(e.getMessage()), hint, e);
    }

    static String firstLine(String message) {
        return message == null ? "no detail given" : message.lines().findFirst().orElse(message).strip();
    }

    private static void requirePositive(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, not " + limit);
        }
    }

    @FunctionalInterface
    private interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    private static <T> List<T> list(PreparedStatement query, RowReader<T> reader) throws SQLException {
        List<T> rows = new ArrayList<>();
        try (ResultSet results = query.executeQuery()) {
            while (results.next()) {
                rows.add(reader.read(results));
            }
        }
        return rows;
    }

    private static Instant instant(ResultSet row, int column) throws SQLException {
        long nanos = row.getLong(column);
        return row.wasNull() ? null : Nanos.toInstant(nanos);
    }

    /** Binds a statement's parameters in order, nulls typed so both drivers accept them. */
    private static final class Params {
        private final PreparedStatement statement;
        private int index;

        Params(PreparedStatement statement) {
            this.statement = statement;
        }

        Params text(String value) throws SQLException {
            index++;
            if (value == null) {
                statement.setNull(index, Types.VARCHAR);
            } else {
                statement.setString(index, value.indexOf('\0') < 0 ? value : value.replace('\0', '\uFFFD'));
            }
            return this;
        }

        Params instant(Instant value) throws SQLException {
            return number(value == null ? null : Nanos.of(value));
        }

        Params number(Long value) throws SQLException {
            index++;
            if (value == null) {
                statement.setNull(index, Types.BIGINT);
            } else {
                statement.setLong(index, value);
            }
            return this;
        }

        Params flag(boolean value) throws SQLException {
            index++;
            statement.setBoolean(index, value);
            return this;
        }
    }
}
