package fr.zlv.entrepot.publish;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.warehouse.DuckDbToPostgres;
import fr.zlv.entrepot.core.warehouse.PostgresColumn;
import fr.zlv.entrepot.core.warehouse.PostgresToPostgres;
import fr.zlv.entrepot.core.warehouse.TableName;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import fr.zlv.entrepot.publish.PublishPlan.PublishedTable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the marts of a {@link PublishPlan} to a PostgreSQL serving schema, for BI tools without a DuckDB driver.
 *
 * <p>Everything happens in one PostgreSQL transaction: the tables are built in a shadow schema
 * {@code <schema>__next} (rows streamed from DuckDB by COPY, then indexes, comments, statistics and grants), and the
 * shadow is swapped in by renaming the schemas. Readers in other connections see the old version until the commit,
 * then the new one: never an empty or partial schema. A failure, or a killed process, rolls everything back: the
 * live schema is as it was and no shadow is left.
 *
 * <p>From a PostgreSQL warehouse, the tables keep the warehouse's column types (types of the warehouse's own, such
 * as enums, become text): in the warehouse's own database one INSERT ... SELECT copies each mart, from another one
 * the warehouse's COPY TO STDOUT is piped into the serving COPY FROM STDIN.
 */
public final class PostgresPublisher {

    /** The target's name in reports, the orchestrator and {@code entrepot publish --target}. */
    public static final String TARGET = "postgres";
    /** Suffix of the shadow schema the new version is built in. */
    public static final String NEXT_SUFFIX = "__next";
    /** Suffix the live schema takes for the instant of the swap. */
    public static final String OLD_SUFFIX = "__old";

    private static final Logger LOG = LoggerFactory.getLogger(PostgresPublisher.class);
    // 63 bytes is PostgreSQL's name limit, and the suffixes must fit.
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,56}");
    private static final Pattern ROLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_$-]{0,62}");
    private static final Pattern KEY_COLUMN = Pattern.compile("id|.+_(id|code|key)");
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)[^&]*");
    private static final Pattern PASSWORD_IN_USER_INFO = Pattern.compile("(//[^/:@]*:)[^/@]*@");
    private static final String URL_FORM = "jdbc:postgresql://host:5432/database?user=NAME&password=SECRET";
    /** Readers holding the live tables make the swap wait at most this long per try, then it lets them go first. */
    private static final String SWAP_LOCK_TIMEOUT = "500ms";
    private static final int SWAP_TRIES = 20;

    private PostgresPublisher() {
    }

    /** What is published of one mart: its columns, comments and indexes. */
    private record Source(PublishedTable table, TableName mart, List<PostgresColumn> columns, String comment,
                          Map<String, String> columnComments, List<List<String>> indexes,
                          PostgresMarts.Mart postgresMart) {
    }

    /**
     * Where the rows come from: a DuckDB warehouse, or a PostgreSQL one (its session {@code connection}, in one
     * read-only snapshot; {@code sameDatabase}: the serving schema is in the warehouse's own database, so the serving
     * connection reads the marts itself).
     */
    private record Origin(Warehouse warehouse, Connection connection, boolean sameDatabase) {
    }

    /**
     * Publishes without granting anything: the tables belong to the URL's user.
     *
     * @see #publish(Warehouse, PublishPlan, PublicationGate, String, String, String, Map)
     */
    public static PublicationReport publish(Warehouse warehouse, PublishPlan plan, PublicationGate gate,
                                            String jdbcUrl, String schema, Map<String, TableDocs> docs) {
        return publish(warehouse, plan, gate, jdbcUrl, schema, null, docs);
    }

    /**
     * Publishes the plan's tables to {@code schema} in the database of {@code jdbcUrl}, replacing what was there.
     *
     * @param jdbcUrl    {@code jdbc:postgresql://host:5432/database?user=NAME&password=SECRET}; the user creates and
     *                   drops schemas in that database (it owns the serving schema); null or blank: nothing is done
     *                   and the report says the target was skipped
     * @param schema     the serving schema, a lower-case name
     * @param readerRole a role given USAGE on the schema and SELECT on its tables (BI tools log in as it); null: none
     * @param docs       by mart name (the dbt model): comments and indexes; a mart without an entry gets
     *                   {@link TableDocs#none()}
     * @throws EntrepotException when the gate refuses a table, a mart is missing, the server cannot be used, or a value
     *                           is refused; the live schema is then unchanged
     */
    public static PublicationReport publish(Warehouse warehouse, PublishPlan plan, PublicationGate gate,
                                            String jdbcUrl, String schema, String readerRole,
                                            Map<String, TableDocs> docs) {
        long started = System.nanoTime();
        if (jdbcUrl == null || jdbcUrl.isBlank()) {
            return PublicationReport.skipped(TARGET, "no serving database: publish.postgres_url"
                    + " (ENTREPOT_SERVING_URL) is empty");
        }
        Properties parsed = org.postgresql.Driver.parseURL(jdbcUrl, null);
        if (parsed == null) {
            throw EntrepotException.badInput("The serving database URL " + redact(jdbcUrl)
                    + " is not a PostgreSQL JDBC URL.", "Set publish.postgres_url (ENTREPOT_SERVING_URL) to "
                    + URL_FORM + ".");
        }
        String location = redact(jdbcUrl) + ", schema " + schema;
        if (schema == null || !NAME.matcher(schema).matches()) {
            throw EntrepotException.badInput("The serving schema '" + schema + "' of " + redact(jdbcUrl)
                    + " is not a lower-case SQL name of at most 57 characters.", "Set publish.postgres_schema to a"
                    + " name such as serving.");
        }
        if (readerRole != null && !ROLE.matcher(readerRole).matches()) {
            throw EntrepotException.badInput("The reader role '" + readerRole + "' is not a PostgreSQL role name.",
                    "Use letters, digits and '_'.");
        }
        BiFilePublisher.refuseProblems(plan, gate, "the PostgreSQL serving schema (" + location + ")");
        String password = parsed.getProperty("password", "");
        String version = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        Step step = new Step();
        step.doing = "reading the marts of the warehouse";
        try (Connection warehousePg = warehouse.isPostgres() ? warehouse.connect() : null) {
            Origin origin = new Origin(warehouse, warehousePg, warehousePg != null && sameDatabase(
                    warehouse.postgresUrl().orElseThrow(), parsed));
            List<Source> sources = warehousePg != null
                    ? describePostgres(warehousePg, warehouse, plan, docs == null ? Map.of() : docs)
                    : describe(warehouse, plan, docs == null ? Map.of() : docs);
            return publish(origin, sources, jdbcUrl, location, schema, readerRole, version, password, step, started);
        } catch (SQLException e) {
            throw failure(step.doing, location, schema, password, e);
        }
    }

    private static PublicationReport publish(Origin origin, List<Source> sources, String jdbcUrl, String location,
                                             String schema, String readerRole, String version, String password,
                                             Step step, long started) {
        step.doing = "connecting";
        try (Connection pg = connect(jdbcUrl)) {
            pg.setAutoCommit(false);
            try {
                List<PublicationReport.TableCount> counts = new ArrayList<>();
                long bytes = build(origin, pg, schema, readerRole, version, sources, counts, step);
                step.doing = "swapping the new version in";
                swap(pg, schema);
                double seconds = (System.nanoTime() - started) / 1e9;
                LOG.info("Published {} tables ({} rows, {} MB) to {} in {} s", counts.size(),
                        counts.stream().mapToLong(PublicationReport.TableCount::rows).sum(), bytes >> 20, location,
                        String.format(Locale.ROOT, "%.1f", seconds));
                return new PublicationReport(TARGET, location, version, counts, bytes, seconds, null);
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(pg);
                throw e;
            }
        } catch (SQLException e) {
            throw failure(step.doing, location, schema, password, e);
        }
    }

    /** What the publication was doing, for the message of a failure. */
    private static final class Step {
        String doing;
    }

    /** Reads each mart's columns and comments from DuckDB; every missing mart is named before anything is sent. */
    private static List<Source> describe(Warehouse warehouse, PublishPlan plan, Map<String, TableDocs> docs) {
        List<Source> sources = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        String columnsSql = "SELECT column_name, data_type, comment FROM duckdb_columns() WHERE database_name ="
                + " current_database() AND schema_name = ? AND table_name = ? ORDER BY column_index";
        String commentSql = "SELECT comment FROM duckdb_tables() WHERE database_name = current_database()"
                + " AND schema_name = ? AND table_name = ?";
        try (Connection duck = warehouse.connect();
             PreparedStatement columnsQuery = duck.prepareStatement(columnsSql);
             PreparedStatement commentQuery = duck.prepareStatement(commentSql)) {
            for (PublishedTable table : plan.tables()) {
                TableName mart = new TableName(plan.sourceSchema(), table.mart());
                TableDocs doc = docs.getOrDefault(table.mart(), TableDocs.none());
                List<PostgresColumn> columns = new ArrayList<>();
                Map<String, String> columnComments = new LinkedHashMap<>();
                columnsQuery.setString(1, mart.schema());
                columnsQuery.setString(2, mart.name());
                try (ResultSet rows = columnsQuery.executeQuery()) {
                    while (rows.next()) {
                        String name = rows.getString(1);
                        columns.add(PostgresColumn.of(name, rows.getString(2)));
                        // The dbt docs win; a comment made in DuckDB is the fallback.
                        String comment = doc.columns().getOrDefault(name, blankToNull(rows.getString(3)));
                        if (comment != null && !comment.isBlank()) {
                            columnComments.put(name, comment.strip());
                        }
                    }
                }
                if (columns.isEmpty()) {
                    missing.add(mart + " (published as " + table.name() + ")");
                    continue;
                }
                String comment = doc.description();
                if (comment.isEmpty()) {
                    commentQuery.setString(1, mart.schema());
                    commentQuery.setString(2, mart.name());
                    try (ResultSet rows = commentQuery.executeQuery()) {
                        comment = rows.next() && rows.getString(1) != null ? rows.getString(1).strip() : "";
                    }
                }
                sources.add(new Source(table, mart, columns, comment, columnComments, indexes(mart, doc, columns),
                        null));
            }
        } catch (SQLException e) {
            throw EntrepotException.failed("Cannot read the columns of the marts in " + warehouse.location() + ": "
                    + e.getMessage(), null, e);
        }
        if (!missing.isEmpty()) {
            throw EntrepotException.badInput("The warehouse " + warehouse.location() + " has no "
                            + String.join(", ", missing) + ". Nothing was published.",
                    "Build the marts first (the dbt build), or remove them from " + plan.file() + ".");
        }
        return sources;
    }

    /**
     * Reads each mart's columns and comments from a PostgreSQL warehouse (one read-only snapshot, kept for the copy);
     * every missing mart is named before anything is sent. Types are kept as the warehouse has them; types that
     * exist only in the warehouse's database (enums, domains, extensions' types) become text.
     */
    private static List<Source> describePostgres(Connection warehousePg, Warehouse warehouse, PublishPlan plan,
                                                 Map<String, TableDocs> docs) throws SQLException {
        PostgresMarts.prepareSession(warehousePg);
        Map<String, PostgresMarts.Mart> marts = PostgresMarts.describe(warehousePg, plan.sourceSchema());
        List<Source> sources = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (PublishedTable table : plan.tables()) {
            PostgresMarts.Mart mart = marts.get(table.mart());
            if (mart == null) {
                missing.add(plan.sourceSchema() + "." + table.mart() + " (published as " + table.name() + ")");
                continue;
            }
            TableDocs doc = docs.getOrDefault(table.mart(), TableDocs.none());
            List<PostgresColumn> columns = new ArrayList<>();
            Map<String, String> columnComments = new LinkedHashMap<>();
            for (PostgresMarts.Column column : mart.columns()) {
                columns.add(new PostgresColumn(column.name(), column.postgresType(), column.postgresType(),
                        column.postgresCopySelect(), column.postgresType().endsWith("[]") ? PostgresColumn.Read.ARRAY
                        : PostgresColumn.Read.TEXT));
                // The dbt docs win; the warehouse's own comment is the fallback.
                String comment = doc.columns().getOrDefault(column.name(), blankToNull(column.comment()));
                if (comment != null && !comment.isBlank()) {
                    columnComments.put(column.name(), comment.strip());
                }
            }
            String comment = doc.description().isEmpty() && mart.comment() != null ? mart.comment().strip()
                    : doc.description();
            sources.add(new Source(table, mart.table(), columns, comment, columnComments,
                    indexes(mart.table(), doc, columns), mart));
        }
        if (!missing.isEmpty()) {
            throw EntrepotException.badInput("The warehouse " + warehouse.location() + " has no "
                            + String.join(", ", missing) + ". Nothing was published.",
                    "Build the marts first (the dbt build), or remove them from " + plan.file() + ".");
        }
        return sources;
    }

    /** True when the serving URL names the warehouse's own server and database. */
    private static boolean sameDatabase(String warehouseUrl, Properties serving) {
        Properties warehouse = org.postgresql.Driver.parseURL(warehouseUrl, null);
        if (warehouse == null) {
            return false;
        }
        for (String part : List.of("PGHOST", "PGPORT", "PGDBNAME")) {
            if (!String.valueOf(warehouse.getProperty(part)).equals(String.valueOf(serving.getProperty(part)))) {
                return false;
            }
        }
        return true;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }

    /** The docs' indexes, checked against the columns; without any, one per key-like scalar column. */
    private static List<List<String>> indexes(TableName mart, TableDocs doc, List<PostgresColumn> columns) {
        List<String> names = columns.stream().map(PostgresColumn::name).toList();
        if (!doc.indexes().isEmpty()) {
            for (List<String> index : doc.indexes()) {
                for (String column : index) {
                    if (!names.contains(column)) {
                        throw EntrepotException.badInput("An index of " + mart + " names the column '" + column
                                        + "', which the table does not have (it has " + String.join(", ", names) + ").",
                                "Correct the index columns given for " + mart.name() + ".");
                    }
                }
            }
            return doc.indexes().stream().filter(index -> !index.isEmpty()).toList();
        }
        return columns.stream()
                .filter(column -> KEY_COLUMN.matcher(column.name()).matches() && !column.array()
                        && !column.postgresType().equals("jsonb") && !column.postgresType().equals("bytea"))
                .map(column -> List.of(column.name()))
                .toList();
    }

    private static Connection connect(String jdbcUrl) throws SQLException {
        // Defaults only: what the URL says wins.
        Properties defaults = new Properties();
        defaults.setProperty("connectTimeout", "10");
        defaults.setProperty("ApplicationName", "entrepot publish");
        return DriverManager.getConnection(jdbcUrl, defaults);
    }

    /** Builds the shadow schema, in the open transaction; returns the bytes sent. */
    private static long build(Origin origin, Connection pg, String schema, String readerRole, String version,
                              List<Source> sources, List<PublicationReport.TableCount> counts, Step step)
            throws SQLException {
        String next = schema + NEXT_SUFFIX;
        try (Statement statement = pg.createStatement()) {
            step.doing = "taking the publication lock";
            // Two publications to the same schema would drop each other's shadow: the second one stops.
            try (ResultSet locked = statement.executeQuery("SELECT pg_try_advisory_xact_lock(hashtext("
                    + literal("entrepot publish " + schema) + "))")) {
                locked.next();
                if (!locked.getBoolean(1)) {
                    throw EntrepotException.failed("Another publication to the schema " + schema
                            + " is running in this database.", "Wait for it to end, then publish again.", null);
                }
            }
            step.doing = "removing a shadow schema left by an earlier publication";
            for (String leftover : List.of(next, schema + OLD_SUFFIX)) {
                if (schemaExists(pg, leftover)) {
                    LOG.info("Dropping the schema {} left by an earlier publication that did not finish", leftover);
                    statement.execute("DROP SCHEMA " + TableName.quote(leftover) + " CASCADE");
                }
            }
            step.doing = "creating the schema " + next;
            statement.execute("CREATE SCHEMA " + TableName.quote(next));
            statement.execute("COMMENT ON SCHEMA " + TableName.quote(next) + " IS "
                    + literal("Marts published by Entrepôt, version " + version + "."));
        }
        long bytes = 0;
        for (Source source : sources) {
            long tableStarted = System.nanoTime();
            TableName target = new TableName(next, source.table().name());
            step.doing = "creating the table " + target;
            try (Statement statement = pg.createStatement()) {
                statement.execute("CREATE TABLE " + target.sql() + " (" + source.columns().stream()
                        .map(PostgresColumn::definition).collect(Collectors.joining(", ")) + ")");
            }
            step.doing = "copying " + source.mart() + " into " + target;
            long[] copied = source.postgresMart() == null ? copy(origin.warehouse(), pg, source, target)
                    : copyFromPostgres(origin, pg, source, target);
            bytes += copied[1];
            step.doing = "indexing and commenting " + target;
            try (Statement statement = pg.createStatement()) {
                for (List<String> index : source.indexes()) {
                    statement.execute("CREATE INDEX " + TableName.quote(indexName(source.table().name(), index))
                            + " ON " + target.sql() + " (" + index.stream().map(TableName::quote)
                            .collect(Collectors.joining(", ")) + ")");
                }
                if (!source.comment().isEmpty()) {
                    statement.execute("COMMENT ON TABLE " + target.sql() + " IS " + literal(source.comment()));
                }
                for (Map.Entry<String, String> comment : source.columnComments().entrySet()) {
                    statement.execute("COMMENT ON COLUMN " + target.sql() + "." + TableName.quote(comment.getKey())
                            + " IS " + literal(comment.getValue()));
                }
                // Statistics now, so that the first BI queries after the swap get good plans.
                statement.execute("ANALYZE " + target.sql());
            }
            counts.add(new PublicationReport.TableCount(source.table().name(), copied[0]));
            LOG.info("Copied {} to {}: {} rows, {} MB in {} s", source.mart(), target, copied[0], copied[1] >> 20,
                    String.format(Locale.ROOT, "%.1f", (System.nanoTime() - tableStarted) / 1e9));
        }
        if (readerRole != null) {
            step.doing = "granting SELECT to the role " + readerRole;
            try (Statement statement = pg.createStatement()) {
                statement.execute("GRANT USAGE ON SCHEMA " + TableName.quote(next) + " TO " + TableName.quote(readerRole));
                statement.execute("GRANT SELECT ON ALL TABLES IN SCHEMA " + TableName.quote(next) + " TO "
                        + TableName.quote(readerRole));
            }
        }
        return bytes;
    }

    /** Streams a mart's rows from the DuckDB warehouse into the serving table ({@link DuckDbToPostgres#copyRows}). */
    private static long[] copy(Warehouse warehouse, Connection pg, Source source, TableName target)
            throws SQLException {
        try (Connection duck = warehouse.connect()) {
            return DuckDbToPostgres.copyRows(duck, source.mart(), source.columns(), pg, target);
        }
    }

    /**
     * Copies a mart of a PostgreSQL warehouse: in the warehouse's own database, one INSERT ... SELECT on the serving
     * connection; from another database, the warehouse's COPY TO STDOUT piped into the serving COPY FROM STDIN (text
     * format, types as the warehouse has them), through a fixed buffer ({@link PostgresToPostgres}). Returns {rows, bytes}.
     */
    private static long[] copyFromPostgres(Origin origin, Connection pg, Source source, TableName target)
            throws SQLException {
        String columns = source.columns().stream().map(column -> TableName.quote(column.name()))
                .collect(Collectors.joining(", "));
        String select = "SELECT " + source.columns().stream().map(PostgresColumn::expression)
                .collect(Collectors.joining(", ")) + " FROM " + source.mart().sql();
        if (origin.sameDatabase()) {
            try (Statement statement = pg.createStatement()) {
                long rows = statement.executeLargeUpdate("INSERT INTO " + target.sql() + " (" + columns + ") " + select);
                return new long[] {rows, tableBytes(pg, target)};
            }
        }
        PostgresToPostgres.Transfer transfer = PostgresToPostgres.relay(origin.connection(),
                "COPY (" + select + ") TO STDOUT", pg, "COPY " + target.sql() + " (" + columns + ") FROM STDIN WITH (FREEZE)",
                rows -> { });
        if (transfer.rowsReceived() != transfer.rowsSent()) {
            throw EntrepotException.failed("PostgreSQL took " + transfer.rowsReceived() + " rows of the "
                    + transfer.rowsSent() + " sent for " + target + ".", "The serving schema is unchanged; publish again.",
                    null);
        }
        return new long[] {transfer.rowsReceived(), tableBytes(pg, target)};
    }

    private static long tableBytes(Connection pg, TableName table) throws SQLException {
        try (PreparedStatement query = pg.prepareStatement("SELECT pg_table_size(?::regclass)")) {
            query.setString(1, table.sql());
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /**
     * Renames the live schema away, the shadow in, and drops the old one; then commits. The live tables are locked
     * first, all at once: queries already reading them finish on the old version, later ones wait and then read the
     * new one. A reader that holds one table while waiting for another would deadlock with the swap: the swap gives
     * way (lock timeout, back to the savepoint) and tries again.
     */
    private static void swap(Connection pg, String schema) throws SQLException {
        String old = TableName.quote(schema + OLD_SUFFIX);
        for (int attempt = 1; ; attempt++) {
            Savepoint beforeSwap = pg.setSavepoint();
            try (Statement statement = pg.createStatement()) {
                statement.execute("SET LOCAL lock_timeout = '" + SWAP_LOCK_TIMEOUT + "'");
                boolean live = schemaExists(pg, schema);
                if (live) {
                    List<String> tables = relations(pg, schema);
                    if (!tables.isEmpty()) {
                        statement.execute("LOCK TABLE " + String.join(", ", tables) + " IN ACCESS EXCLUSIVE MODE");
                    }
                    statement.execute("ALTER SCHEMA " + TableName.quote(schema) + " RENAME TO " + old);
                }
                statement.execute("ALTER SCHEMA " + TableName.quote(schema + NEXT_SUFFIX) + " RENAME TO "
                        + TableName.quote(schema));
                if (live) {
                    List<String> dependents = dependents(pg, schema + OLD_SUFFIX);
                    if (!dependents.isEmpty()) {
                        LOG.warn("The views {} are built on tables of the serving schema {}: PostgreSQL drops them"
                                + " with its old version. Define them in the dbt project, or recreate them after each"
                                + " publication.", dependents, schema);
                    }
                    statement.execute("DROP SCHEMA " + old + " CASCADE");
                }
                pg.commit();
                if (attempt > 1) {
                    LOG.info("The swap of {} waited for readers to release its tables ({} tries)", schema, attempt);
                }
                return;
            } catch (SQLException e) {
                String state = String.valueOf(e.getSQLState());
                boolean contention = state.equals("55P03") || state.equals("40P01");
                if (!contention || attempt == SWAP_TRIES) {
                    throw e;
                }
                pg.rollback(beforeSwap);
                LOG.debug("The swap of {} waited for readers ({}); try {}", schema, state, attempt + 1);
                pause(50L * attempt);
            }
        }
    }

    private static void pause(long millis) throws SQLException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for readers to release the serving tables", e);
        }
    }

    private static boolean schemaExists(Connection pg, String schema) throws SQLException {
        try (PreparedStatement query = pg.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
            query.setString(1, schema);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** Views outside {@code schema} that read its tables: DROP ... CASCADE takes them too. */
    private static List<String> dependents(Connection pg, String schema) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement query = pg.prepareStatement("SELECT DISTINCT vn.nspname || '.' || v.relname"
                + " FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid JOIN pg_class v ON v.oid = r.ev_class"
                + " JOIN pg_namespace vn ON vn.oid = v.relnamespace JOIN pg_class t ON t.oid = d.refobjid"
                + " JOIN pg_namespace tn ON tn.oid = t.relnamespace WHERE d.classid = 'pg_rewrite'::regclass"
                + " AND d.refclassid = 'pg_class'::regclass AND tn.nspname = ? AND vn.nspname <> ? ORDER BY 1")) {
            query.setString(1, schema);
            query.setString(2, schema);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
        }
        return names;
    }

    /** The schema's tables and views, quoted, in name order. */
    private static List<String> relations(Connection pg, String schema) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement query = pg.prepareStatement("SELECT c.relname FROM pg_class c JOIN pg_namespace n"
                + " ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'v', 'm', 'f')"
                + " ORDER BY c.relname")) {
            query.setString(1, schema);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    names.add(new TableName(schema, rows.getString(1)).sql());
                }
            }
        }
        return names;
    }

    /** {@code <table>_<columns>_idx}, shortened with a hash when longer than PostgreSQL's 63 bytes. */
    static String indexName(String table, List<String> columns) {
        String name = table + "_" + String.join("_", columns) + "_idx";
        if (name.getBytes(StandardCharsets.UTF_8).length <= 63) {
            return name;
        }
        String hash;
        try {
            hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(name.getBytes(StandardCharsets.UTF_8))).substring(0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
        String prefix = name.substring(0, Math.min(name.length(), 50));
        while (prefix.getBytes(StandardCharsets.UTF_8).length > 50) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        return prefix + "_" + hash + "_idx";
    }

    /** A string literal that reads the same whatever standard_conforming_strings says. */
    static String literal(String text) {
        return "E'" + text.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    private static void rollbackQuietly(Connection pg) {
        try {
            pg.rollback();
        } catch (SQLException e) {
            LOG.debug("Rolling back the publication failed: {}", e.getMessage());
        }
    }

    /** The URL with any password replaced by {@code ***}, for messages and logs. */
    static String redact(String url) {
        String redacted = PASSWORD_PARAMETER.matcher(url).replaceAll("$1***");
        return PASSWORD_IN_USER_INFO.matcher(redacted).replaceAll("$1***@");
    }

    private static EntrepotException failure(String doing, String location, String schema, String password,
                                             SQLException e) {
        String detail = detail(e);
        if (!password.isEmpty()) {
            detail = detail.replace(password, "***");
        }
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String unchanged = "The serving schema " + schema + " is unchanged.";
        if (!(e instanceof PSQLException)) {
            return EntrepotException.failed("Reading the warehouse failed while " + doing + ": " + detail, unchanged
                    + " Check that the mart can be queried in DuckDB.", e);
        }
        String message = "Publishing to PostgreSQL (" + location + ") failed while " + doing + ": " + detail;
        String hint;
        if (state.startsWith("08") && doing.equals("connecting")) {
            message = "Cannot reach the PostgreSQL server of the serving schema at " + location + ": " + detail;
            hint = "Start the server, or correct the host and port in publish.postgres_url (ENTREPOT_SERVING_URL).";
        } else if (state.startsWith("08") || state.startsWith("57P")) {
            message = "The connection to the PostgreSQL server of the serving schema at " + location + " broke while "
                    + doing + ": " + detail;
            hint = unchanged + " PostgreSQL rolled the unfinished publication back; check the server, then publish"
                    + " again.";
        } else if (state.startsWith("28")) {
            message = "The PostgreSQL server of the serving schema at " + location + " refused the user: " + detail;
            hint = "Check the user and password in publish.postgres_url (" + URL_FORM + ").";
        } else if (state.equals("3D000")) {
            message = "The PostgreSQL server at " + location + " has no such database: " + detail;
            hint = "Create the database (CREATE DATABASE ...), or name another in publish.postgres_url.";
        } else if (state.equals("42501")) {
            hint = unchanged + " The user must be allowed to create schemas in the database (GRANT CREATE ON"
                    + " DATABASE ... TO ...) and own the serving schema.";
        } else if (state.equals("42704") && doing.startsWith("granting")) {
            hint = unchanged + " Create the role (CREATE ROLE ... NOLOGIN), or correct the reader role setting.";
        } else if (state.equals("22021") && detail.contains("0x00")) {
            hint = unchanged + " PostgreSQL text cannot hold the NUL character: remove it in the mart's dbt model,"
                    + " e.g. replace(col, chr(0), '').";
        } else if (state.startsWith("22")) {
            hint = unchanged + " PostgreSQL refused a value of the mart: correct it in the mart's dbt model.";
        } else if (state.equals("55P03") || state.equals("40P01")) {
            message = "Publishing to PostgreSQL (" + location + ") gave up " + doing + " after " + SWAP_TRIES
                    + " tries: readers kept the tables of " + schema + " (" + detail + ").";
            hint = unchanged + " Long queries or open transactions on the serving schema hold its tables (see"
                    + " pg_stat_activity); publish again when they end.";
        } else {
            hint = unchanged;
        }
        return EntrepotException.failed(message, hint, e);
    }

    /** The server's message and where it happened (a COPY names the line and column), on one line. */
    private static String detail(SQLException e) {
        if (e instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
            ServerErrorMessage server = psql.getServerErrorMessage();
            String where = server.getWhere() == null ? "" : " (" + server.getWhere().lines()
                    .collect(Collectors.joining("; ")) + ")";
            return server.getMessage() + where;
        }
        String message = String.valueOf(e.getMessage());
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
