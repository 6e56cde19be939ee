package fr.zlv.entrepot.dbt.adapter;

import fr.zlv.entrepot.dbt.DbtException;
import fr.zlv.entrepot.dbt.project.Yaml;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * PostgreSQL (and engines that speak its protocol and SQL, such as Citus) through PgJDBC, from a {@code type: postgres}
 * target of {@code profiles.yml} with dbt-postgres's keys: {@code host}, {@code port}, {@code user}, {@code password},
 * {@code dbname} (or {@code database}), {@code schema}, {@code sslmode}, {@code search_path}, {@code role},
 * {@code connect_timeout}, {@code keepalives_idle}. Each thread gets its own connection, in autocommit: a statement is
 * its own transaction unless the engine asks for one ({@link #executeInTransaction}). The connection of an ended
 * thread is reset and given to the next thread, so the sessions held stay as many as the threads at work.
 *
 * <p>What differs from DuckDB:
 * <ul>
 *   <li>PostgreSQL has no {@code create or replace table}: a leftover staging table is dropped first.</li>
 *   <li>Views depend on the relations they read. Replacing a table (or a view whose columns changed) drops the views
 *       built on it, so the views that depend on it are read from {@code pg_catalog} first and created again in the
 *       same transaction: a model rebuilt alone keeps its downstream views, and a change that breaks one of them
 *       fails the build with PostgreSQL's message, the previous relation kept.</li>
 *   <li>Seeds go through {@code COPY ... FROM STDIN} (PgJDBC's CopyManager) into a temporary table of text columns;
 *       the types are then inferred from the values (bigint, numeric, boolean, date, timestamp, else text), and the
 *       table built with casts.</li>
 *   <li>{@code merge} uses MERGE on PostgreSQL 15 and later; before, an UPDATE then an INSERT of the rows not
 *       there, in one transaction.</li>
 * </ul>
 */
public final class PostgresAdapter implements Adapter {

    /** How the adapter's sessions are named in pg_stat_activity. */
    private static final String APPLICATION_NAME = "entrepot-dbt";

    /** SQLSTATE invalid_table_definition: CREATE OR REPLACE VIEW refused (a column dropped, renamed or retyped). */
    private static final String VIEW_COLUMNS_CHANGED = "42P16";

    private final String url;
    private final Properties properties;
    private final String role;
    private final String searchPath;
    private final String database;
    private final int serverVersion;
    /**
     * Each thread's connection. Every command runs its nodes on new threads: the connection of a thread that has
     * ended goes to the next thread that needs one, so a long-lived engine holds as many connections as threads
     * run at once, not one per thread it ever saw.
     */
    private final Map<Thread, Connection> connections = new java.util.HashMap<>();

    private PostgresAdapter(String url, Properties properties, String role, String searchPath) {
        this.url = url;
        this.properties = properties;
        this.role = role;
        this.searchPath = searchPath;
        Connection first = connection();
        try (Statement statement = first.createStatement();
             ResultSet rows = statement.executeQuery("select current_database(), current_setting('server_version_num')")) {
            rows.next();
            this.database = rows.getString(1);
            this.serverVersion = Integer.parseInt(rows.getString(2));
        } catch (SQLException e) {
            throw DbtException.runtime("PostgreSQL does not answer: " + message(e, null), e);
        }
    }

    /**
     * Connects with a {@code type: postgres} target's keys (its {@code password} included: the caller reads it from the
     * profile, where {@code env_var()} has been rendered).
     */
    public static PostgresAdapter open(Map<String, Object> target) {
        String host = Yaml.string(target.get("host"), "localhost");
        String port = Yaml.string(target.get("port"), "5432");
        String dbname = Yaml.string(target.get("dbname"), Yaml.string(target.get("database"), null));
        if (dbname == null || dbname.isBlank()) {
            throw DbtException.project("The postgres target has no dbname (or database).",
                    "Add dbname: <the database> to the target in profiles.yml.");
        }
        Properties properties = new Properties();
        properties.setProperty("user", Yaml.string(target.get("user"), "postgres"));
        String password = Yaml.string(target.get("password"), null);
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.setProperty("ApplicationName", APPLICATION_NAME);
        String sslmode = Yaml.string(target.get("sslmode"), null);
        if (sslmode != null) {
            properties.setProperty("sslmode", sslmode);
        }
        for (String key : List.of("sslcert", "sslkey", "sslrootcert")) {
            String value = Yaml.string(target.get(key), null);
            if (value != null) {
                properties.setProperty(key, value);
            }
        }
        properties.setProperty("connectTimeout", Yaml.string(target.get("connect_timeout"), "10"));
        // PgJDBC cannot set the idle time before the first probe: the system's keepalive settings decide it.
        if (Integer.parseInt(Yaml.string(target.get("keepalives_idle"), "0")) > 0) {
            properties.setProperty("tcpKeepAlive", "true");
        }
        String url = "jdbc:postgresql://" + host + ":" + port + "/" + dbname;
        return new PostgresAdapter(url, properties, Yaml.string(target.get("role"), null),
                Yaml.string(target.get("search_path"), null));
    }

    /** The server's version as a number: 150004 for 15.4. */
    public int serverVersion() {
        return serverVersion;
    }

    private Connection connection() {
        Thread current = Thread.currentThread();
        synchronized (connections) {
            Connection mine = connections.get(current);
            if (mine != null) {
                return mine;
            }
            java.util.Iterator<Map.Entry<Thread, Connection>> entries = connections.entrySet().iterator();
            while (entries.hasNext()) {
                Map.Entry<Thread, Connection> entry = entries.next();
                if (!entry.getKey().isAlive()) {
                    entries.remove();
                    Connection reused = entry.getValue();
                    if (reset(reused)) {
                        connections.put(current, reused);
                        return reused;
                    }
                }
            }
        }
        Connection connection = open();
        synchronized (connections) {
            connections.put(current, connection);
        }
        return connection;
    }

    /** A new session, with the profile's role and search_path. */
    private Connection open() {
        Connection connection;
        try {
            connection = DriverManager.getConnection(url, properties);
        } catch (SQLException e) {
            throw DbtException.runtime("Cannot connect to PostgreSQL at " + url.substring("jdbc:postgresql://".length())
                    + " as " + properties.getProperty("user") + ": " + message(e, null), e);
        }
        try {
            setUp(connection);
        } catch (SQLException e) {
            closeQuietly(connection);
            throw DbtException.runtime("Cannot set up the PostgreSQL session (role, search_path of the profile): "
                    + message(e, null), e);
        }
        return connection;
    }

    private void setUp(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            if (role != null) {
                statement.execute("set role " + Relation.quote(role));
            }
            if (searchPath != null) {
                // As dbt-postgres passes it: the profile's text, schemas separated by commas.
                statement.execute("set search_path to " + searchPath);
            }
        }
    }

    /**
     * A session left by an ended thread, made new: what it set (a hook's settings, a key) reset, the profile's role
     * and search_path set again. False when it cannot be (the server closed it): it is closed.
     */
    private boolean reset(Connection connection) {
        try {
            if (!connection.getAutoCommit()) {
                connection.rollback();
                connection.setAutoCommit(true);
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("reset all");
                // PgJDBC gives the name at connection time; reset all forgets it.
                statement.execute("set application_name = '" + APPLICATION_NAME + "'");
            }
            setUp(connection);
            return true;
        } catch (SQLException e) {
            closeQuietly(connection);
            return false;
        }
    }

    @Override
    public String type() {
        return "postgres";
    }

    @Override
    public String defaultDatabase() {
        return database;
    }

    // ------------------------------------------------------------------ introspection

    private static final String RELATIONS = "select current_database(), n.nspname, c.relname, c.relkind"
            + " from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace"
            + " where c.relkind in ('r', 'p', 'v', 'm', 'f') and lower(n.nspname) = lower(?)";

    @Override
    public Optional<Relation> find(String databaseName, String schema, String identifier) {
        if (!sameDatabase(databaseName)) {
            return Optional.empty();
        }
        // An exact name first: PostgreSQL's quoted names are case-sensitive.
        List<Relation> found = queryRelations(RELATIONS + " and lower(c.relname) = lower(?)"
                + " order by (n.nspname = ? and c.relname = ?) desc limit 1", schema, identifier, schema, identifier);
        return found.stream().findFirst();
    }

    @Override
    public List<Relation> relations(String databaseName, String schema) {
        if (!sameDatabase(databaseName)) {
            return List.of();
        }
        return queryRelations(RELATIONS, schema);
    }

    private boolean sameDatabase(String databaseName) {
        return databaseName == null || databaseName.equalsIgnoreCase(database);
    }

    private List<Relation> queryRelations(String sql, String... parameters) {
        List<Relation> relations = new ArrayList<>();
        try (PreparedStatement statement = connection().prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    relations.add(new Relation(rows.getString(1), rows.getString(2), rows.getString(3),
                            relationType(rows.getString(4))));
                }
            }
        } catch (SQLException e) {
            throw DbtException.runtime("Cannot list the relations of " + parameters[0] + ": " + message(e, sql), e);
        }
        return relations;
    }

    private static String relationType(String relkind) {
        return switch (relkind) {
            case "v" -> "view";
            case "m" -> "materialized_view";
            default -> "table";
        };
    }

    /** Columns with their full types ({@code character varying(20)}, {@code numeric(28,6)}, {@code text[]}). */
    @Override
    public List<Column> columns(Relation relation) {
        String sql = "select a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod)"
                + " from pg_catalog.pg_attribute a join pg_catalog.pg_class c on c.oid = a.attrelid"
                + " join pg_catalog.pg_namespace n on n.oid = c.relnamespace"
                + " where n.nspname = ? and c.relname = ? and a.attnum > 0 and not a.attisdropped order by a.attnum";
        Relation exact = find(relation.getDatabase(), relation.getSchema(), relation.getIdentifier()).orElse(relation);
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement statement = connection().prepareStatement(sql)) {
            statement.setString(1, exact.getSchema());
            statement.setString(2, exact.getIdentifier());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    columns.add(new Column(rows.getString(1), rows.getString(2)));
                }
            }
        } catch (SQLException e) {
            throw DbtException.runtime("Cannot read the columns of " + relation + ": " + message(e, sql), e);
        }
        return columns;
    }

    /** The query is planned, not run: its result's columns and their type names ({@code int4}, {@code text}...). */
    @Override
    public List<Column> describe(String sql) {
        String described = "select * from (\n" + sql + "\n) as described limit 0";
        try (PreparedStatement statement = connection().prepareStatement(described)) {
            ResultSetMetaData meta = statement.getMetaData();
            List<Column> columns = new ArrayList<>();
            for (int c = 1; c <= meta.getColumnCount(); c++) {
                columns.add(new Column(meta.getColumnLabel(c), meta.getColumnTypeName(c)));
            }
            return columns;
        } catch (SQLException e) {
            throw DbtException.runtime(message(e, described), e);
        }
    }

    // ------------------------------------------------------------------ statements

    @Override
    public QueryTable query(String sql) {
        try (Statement statement = connection().createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            return QueryTable.read(rows, PostgresAdapter::value);
        } catch (SQLException e) {
            throw DbtException.runtime(message(e, sql), e);
        }
    }

    /**
     * A value as DuckDB's driver gives its like, so that Jinja and the engine see the same Java types on both: dates as
     * LocalDate, timestamps with a time zone as OffsetDateTime, arrays as lists, json as text.
     */
    private static Object value(ResultSet rows, ResultSetMetaData meta, int column) throws SQLException {
        String typeName = meta.getColumnTypeName(column);
        switch (typeName) {
            case "date":
                return rows.getObject(column, LocalDate.class);
            case "timestamptz":
                return rows.getObject(column, OffsetDateTime.class);
            case "json", "jsonb":
                return rows.getString(column);
            default:
                break;
        }
        if (meta.getColumnType(column) == Types.ARRAY) {
            Array array = rows.getArray(column);
            return array == null ? null : Arrays.asList((Object[]) array.getArray());
        }
        return rows.getObject(column);
    }

    @Override
    public long execute(String sql) {
        try (Statement statement = connection().createStatement()) {
            boolean hasRows = statement.execute(sql);
            return hasRows ? -1 : statement.getUpdateCount();
        } catch (SQLException e) {
            throw DbtException.runtime(message(e, sql), e);
        }
    }

    @Override
    public void executeInTransaction(List<String> statements) {
        inTransaction(connection -> {
            for (String sql : statements) {
                run(connection, sql);
            }
        });
    }

    /** Work done on this thread's connection in one transaction: committed when it returns, rolled back if it throws. */
    private interface Work {
        void run(Connection connection) throws SQLException;
    }

    private void inTransaction(Work work) {
        Connection connection = connection();
        try {
            connection.setAutoCommit(false);
            try {
                work.run(connection);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw DbtException.runtime(message(e, null), e);
        }
    }

    /** Runs one statement on the connection, turning its failure into one message naming where it failed. */
    private static void run(Connection connection, String sql) {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw DbtException.runtime(message(e, sql), e);
        }
    }

    @Override
    public void createSchema(String databaseName, String schema) {
        try {
            execute("create schema if not exists " + Relation.quote(schema));
        } catch (DbtException e) {
            // Two sessions creating the same schema at once: the loser is told it exists, which is what it wanted.
            if (!schemaExists(schema)) {
                throw e;
            }
        }
    }

    private boolean schemaExists(String schema) {
        return query("select 1 from pg_catalog.pg_namespace where nspname = '" + schema.replace("'", "''") + "'").size() > 0;
    }

    // ------------------------------------------------------------------ materializations

    @Override
    public void createTableAs(Relation relation, String sql, List<String> log) {
        log.add("drop table if exists " + relation);
        execute("drop table if exists " + relation);
        String create = "create table " + relation + " as (\n" + sql + "\n)";
        log.add(create);
        execute(create);
    }

    @Override
    public void replaceWithTable(Relation staging, Relation target, Relation existing, List<String> log) {
        String rename = "alter table " + staging + " rename to " + Relation.quote(target.getIdentifier());
        if (existing == null) {
            log.add(rename);
            execute(rename);
            return;
        }
        replaceKeepingDependents(existing, List.of(rename), log);
    }

    @Override
    public void createView(Relation target, Relation existing, String sql, List<String> log) {
        String create = "create or replace view " + target + " as (\n" + sql + "\n)";
        if (existing == null || existing.isView()) {
            log.add(create);
            try {
                execute(create);
                return;
            } catch (DbtException e) {
                if (existing == null || !(e.getCause() instanceof SQLException refused && VIEW_COLUMNS_CHANGED.equals(refused.getSQLState()))) {
                    throw e;
                }
                // Columns dropped, renamed or retyped: PostgreSQL wants the view dropped first.
                log.remove(log.size() - 1);
            }
        }
        replaceKeepingDependents(existing, List.of("create view " + target + " as (\n" + sql + "\n)"), log);
    }

    /** A view built on the relation being replaced, to be created again after it. */
    private record Dependent(String schema, String name, boolean materialized, String definition, String comment) {

        String relation() {
            return Relation.quote(schema) + "." + Relation.quote(name);
        }
    }

    /**
     * In one transaction: the views depending on {@code existing} are read, {@code existing} is dropped with them,
     * {@code statements} put the new relation in its place, and the views are created again from their definitions,
     * innermost first.
     */
    private void replaceKeepingDependents(Relation existing, List<String> statements, List<String> log) {
        inTransaction(connection -> {
            List<Dependent> dependents = dependents(connection, existing);
            String drop = "drop " + kind(existing) + " " + existing + (dependents.isEmpty() ? "" : " cascade");
            log.add(drop);
            run(connection, drop);
            for (String sql : statements) {
                log.add(sql);
                run(connection, sql);
            }
            for (Dependent dependent : dependents) {
                String create = "create " + (dependent.materialized() ? "materialized view " : "view ")
                        + dependent.relation() + " as\n" + dependent.definition();
                log.add(create);
                try {
                    run(connection, create);
                } catch (DbtException e) {
                    throw DbtException.runtime("The view " + dependent.schema() + "." + dependent.name() + " is built on "
                            + existing.getSchema() + "." + existing.getIdentifier() + " and cannot be created again on the new one: "
                            + e.getMessage(), e);
                }
                if (dependent.comment() != null) {
                    String comment = "comment on " + (dependent.materialized() ? "materialized view " : "view ")
                            + dependent.relation() + " is '" + dependent.comment().replace("'", "''") + "'";
                    log.add(comment);
                    run(connection, comment);
                }
            }
        });
    }

    /** The views (plain or materialized) that depend on the relation, directly or not, those closest to it first. */
    private static List<Dependent> dependents(Connection connection, Relation relation) throws SQLException {
        String sql = """
                with recursive dependents(oid, depth) as (
                    select rewrite.ev_class, 1
                    from pg_catalog.pg_depend depend
                    join pg_catalog.pg_rewrite rewrite on rewrite.oid = depend.objid
                    where depend.classid = 'pg_catalog.pg_rewrite'::regclass
                      and depend.refobjid = (select c.oid from pg_catalog.pg_class c
                          join pg_catalog.pg_namespace n on n.oid = c.relnamespace where n.nspname = ? and c.relname = ?)
                      and rewrite.ev_class <> depend.refobjid
                    union
                    select rewrite.ev_class, dependents.depth + 1
                    from dependents
                    join pg_catalog.pg_depend depend on depend.refobjid = dependents.oid
                    join pg_catalog.pg_rewrite rewrite on rewrite.oid = depend.objid
                    where depend.classid = 'pg_catalog.pg_rewrite'::regclass and rewrite.ev_class <> dependents.oid
                      and dependents.depth < 100
                )
                select n.nspname, c.relname, c.relkind = 'm', pg_catalog.pg_get_viewdef(c.oid, true),
                       pg_catalog.obj_description(c.oid, 'pg_class'), max(dependents.depth) as depth
                from dependents
                join pg_catalog.pg_class c on c.oid = dependents.oid
                join pg_catalog.pg_namespace n on n.oid = c.relnamespace
                group by c.oid, n.nspname, c.relname, c.relkind
                order by depth, n.nspname, c.relname""";
        List<Dependent> dependents = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, relation.getSchema());
            statement.setString(2, relation.getIdentifier());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    dependents.add(new Dependent(rows.getString(1), rows.getString(2), rows.getBoolean(3),
                            rows.getString(4).strip().replaceAll(";$", ""), rows.getString(5)));
                }
            }
        }
        return dependents;
    }

    private static String kind(Relation relation) {
        return switch (String.valueOf(relation.getType())) {
            case "view" -> "view";
            case "materialized_view" -> "materialized view";
            default -> "table";
        };
    }

    /**
     * A seed through COPY: the file streamed into a temporary table of text columns by PostgreSQL's own CSV reader,
     * the types inferred from the values (or taken from {@code column_types}), then the table built with casts.
     */
    @Override
    public void loadCsv(CsvSeed seed, Relation relation, List<String> log) {
        List<String> header = CsvHeader.read(seed.file(), seed.delimiter());
        String load = Relation.quote("__dbt_seed_" + relation.getIdentifier());
        List<String> textColumns = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            textColumns.add("c" + i + " text");
        }
        String createLoad = "create temporary table " + load + " (" + String.join(", ", textColumns) + ")";
        String copy = "copy " + load + " from stdin with (format csv, header true, delimiter '"
                + seed.delimiter().replace("'", "''") + "', quote '\"', encoding 'UTF8')";
        try {
            execute("drop table if exists pg_temp." + load);
            log.add(createLoad);
            execute(createLoad);
            log.add(copy + " -- " + seed.file());
            copyIn(copy, seed);
            List<String> types = inferTypes(load, header, seed.columnTypes());
            List<String> selected = new ArrayList<>();
            for (int i = 0; i < header.size(); i++) {
                selected.add("cast(c" + i + " as " + types.get(i) + ") as " + Relation.quote(header.get(i)));
            }
            createTableAs(relation, "select " + String.join(",\n    ", selected) + "\nfrom " + load, log);
        } finally {
            execute("drop table if exists pg_temp." + load);
        }
    }

    private void copyIn(String copy, CsvSeed seed) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(seed.file()))) {
            skipByteOrderMark(in);
            connection().unwrap(PGConnection.class).getCopyAPI().copyIn(copy, in);
        } catch (SQLException e) {
            throw DbtException.runtime("Cannot load " + seed.file().getFileName() + ": " + message(e, null), e);
        } catch (IOException e) {
            throw DbtException.runtime("Cannot read " + seed.file() + ": " + e.getMessage(), e);
        }
    }

    private static void skipByteOrderMark(InputStream in) throws IOException {
        in.mark(3);
        byte[] start = in.readNBytes(3);
        if (!(start.length == 3 && (start[0] & 0xFF) == 0xEF && (start[1] & 0xFF) == 0xBB && (start[2] & 0xFF) == 0xBF)) {
            in.reset();
        }
    }

    /** Patterns a column's every non-empty value must match for its type, tried in this order. */
    private static final List<Map.Entry<String, String>> INFERRED = List.of(
            // Leading zeros (INSEE codes, postcodes) are kept: such a column stays text.
            Map.entry("bigint", "^[+-]?(0|[1-9][0-9]{0,17})$"),
            Map.entry("numeric", "^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$"),
            Map.entry("boolean", "^([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])$"),
            Map.entry("date", "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"),
            Map.entry("timestamp", "^[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?$"));

    /** Each column's type: {@code column_types}' when given, else the first of {@link #INFERRED} all values match. */
    private List<String> inferTypes(String load, List<String> header, Map<String, String> columnTypes) {
        List<String> checks = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            for (Map.Entry<String, String> type : INFERRED) {
                checks.add("coalesce(bool_and(c" + i + " ~ '" + type.getValue() + "'), false)");
            }
        }
        List<Object> matches = query("select " + String.join(", ", checks) + " from " + load).getRows().get(0);
        List<String> types = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            String given = columnTypes.get(header.get(i));
            String type = given != null ? given : "text";
            for (int t = 0; given == null && t < INFERRED.size(); t++) {
                if (Boolean.TRUE.equals(matches.get(i * INFERRED.size() + t))) {
                    type = INFERRED.get(t).getKey();
                    break;
                }
            }
            types.add(type);
        }
        return types;
    }

    /** MERGE from PostgreSQL 15; before, an UPDATE of the rows there and an INSERT of the others. */
    @Override
    public List<String> mergeStatements(Relation target, Relation staging, List<String> keys, List<String> columns) {
        return serverVersion >= 150000 ? List.of(Merges.merge(target, staging, keys, columns))
                : updateThenInsert(target, staging, keys, columns);
    }

    /** What MERGE does, for servers without it (PostgreSQL 14): run in one transaction. */
    static List<String> updateThenInsert(Relation target, Relation staging, List<String> keys, List<String> columns) {
        String columnList = columns.stream().map(Relation::quote).collect(Collectors.joining(", "));
        String set = columns.stream().filter(column -> !keys.contains(column))
                .map(column -> Relation.quote(column) + " = source." + Relation.quote(column))
                .collect(Collectors.joining(", "));
        List<String> statements = new ArrayList<>();
        if (!set.isEmpty()) {
            statements.add("update " + target + " as target set " + set + " from " + staging + " as source where "
                    + Merges.on(keys));
        }
        statements.add("insert into " + target + " (" + columnList + ") select " + columns.stream()
                .map(column -> "source." + Relation.quote(column)).collect(Collectors.joining(", ")) + " from " + staging
                + " as source where not exists (select 1 from " + target + " as target where " + Merges.on(keys) + ")");
        return statements;
    }

    @Override
    public String alterColumnType(Relation relation, String column, String type) {
        return "alter table " + relation + " alter column " + Relation.quote(column) + " type " + type + " using "
                + Relation.quote(column) + "::" + type;
    }

    /** With cascade, as dbt-postgres drops: the views built on the relation go with it. */
    @Override
    public String dropStatement(Relation existing) {
        return "drop " + kind(existing) + " if exists " + existing.render() + " cascade";
    }

    // ------------------------------------------------------------------ catalog

    @Override
    public String catalogRelationsQuery(List<String> schemas) {
        return "select current_database(), n.nspname, c.relname, c.relkind in ('v', 'm'),"
                + " pg_catalog.obj_description(c.oid, 'pg_class'), null::bigint"
                + " from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace"
                + " where c.relkind in ('r', 'p', 'v', 'm', 'f') and " + inSchemas(schemas);
    }

    @Override
    public String catalogColumnsQuery(List<String> schemas) {
        return "select current_database(), n.nspname, c.relname, a.attname, a.attnum,"
                + " pg_catalog.format_type(a.atttypid, a.atttypmod), pg_catalog.col_description(c.oid, a.attnum)"
                + " from pg_catalog.pg_attribute a join pg_catalog.pg_class c on c.oid = a.attrelid"
                + " join pg_catalog.pg_namespace n on n.oid = c.relnamespace"
                + " where c.relkind in ('r', 'p', 'v', 'm', 'f') and a.attnum > 0 and not a.attisdropped and "
                + inSchemas(schemas) + " order by n.nspname, c.relname, a.attnum";
    }

    private static String inSchemas(List<String> schemas) {
        return "lower(n.nspname) in (" + schemas.stream().map(schema -> "'" + schema.replace("'", "''") + "'")
                .collect(Collectors.joining(", ")) + ")";
    }

    @Override
    public String typeName(String kind) {
        return switch (kind) {
            case "string" -> "TEXT";
            case "int", "bigint" -> "BIGINT";
            case "float" -> "DOUBLE PRECISION";
            case "numeric" -> "NUMERIC(28,6)";
            case "boolean" -> "BOOLEAN";
            case "timestamp" -> "TIMESTAMP";
            default -> kind.toUpperCase(Locale.ROOT);
        };
    }

    // ------------------------------------------------------------------ errors

    /**
     * PostgreSQL's message in one line: its text, where in the statement it points (as a line number), and its hint;
     * PgJDBC's "ERROR:" prefix and "Position:" line left out.
     */
    static String message(SQLException e, String sql) {
        if (e instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
            ServerErrorMessage server = psql.getServerErrorMessage();
            StringBuilder text = new StringBuilder(String.valueOf(server.getMessage()));
            if (sql != null && server.getPosition() > 0 && server.getPosition() <= sql.length()) {
                long line = sql.substring(0, server.getPosition() - 1).chars().filter(c -> c == '\n').count() + 1;
                text.append(" (line ").append(line).append(" of the statement)");
            }
            if (server.getDetail() != null) {
                text.append(". ").append(server.getDetail());
            }
            if (server.getHint() != null) {
                text.append(" Hint: ").append(server.getHint());
            }
            return text.toString();
        }
        return String.valueOf(e.getMessage()).lines().findFirst().orElse("").replaceFirst("^ERROR: ", "");
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // Closing anyway.
        }
    }

    /** How many sessions the adapter holds open. */
    int openSessions() {
        synchronized (connections) {
            return connections.size();
        }
    }

    @Override
    public void close() {
        synchronized (connections) {
            connections.values().forEach(PostgresAdapter::closeQuietly);
            connections.clear();
        }
    }

    /** The first record of a CSV file: the column names. */
    static final class CsvHeader {

        private CsvHeader() {
        }

        static List<String> read(java.nio.file.Path file, String delimiter) {
            String text;
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
                skipByteOrderMark(in);
                text = readFirstRecord(in);
            } catch (IOException e) {
                throw DbtException.runtime("Cannot read " + file + ": " + e.getMessage(), e);
            }
            if (delimiter.length() != 1) {
                throw DbtException.project("The seed " + file.getFileName() + " has delimiter '" + delimiter
                        + "': PostgreSQL's COPY takes one character.", "Set delimiter to one character.");
            }
            List<String> names = split(text, delimiter.charAt(0));
            if (names.isEmpty() || names.stream().allMatch(String::isBlank)) {
                throw DbtException.project("The seed " + file + " has no header line.",
                        "Its first line names the columns.");
            }
            return names;
        }

        /** Up to the first line break outside quotes. */
        private static String readFirstRecord(InputStream in) throws IOException {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            boolean quoted = false;
            for (int b = in.read(); b >= 0; b = in.read()) {
                if (b == '"') {
                    quoted = !quoted;
                } else if ((b == '\n' || b == '\r') && !quoted) {
                    break;
                }
                bytes.write(b);
            }
            return bytes.toString(StandardCharsets.UTF_8);
        }

        /** Fields of one record: quotes removed, doubled quotes kept as one. */
        static List<String> split(String record, char delimiter) {
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < record.length(); i++) {
                char c = record.charAt(i);
                if (c == '"') {
                    if (quoted && i + 1 < record.length() && record.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = !quoted;
                    }
                } else if (c == delimiter && !quoted) {
                    fields.add(field.toString());
                    field.setLength(0);
                } else {
                    field.append(c);
                }
            }
            fields.add(field.toString());
            return fields;
        }
    }
}
