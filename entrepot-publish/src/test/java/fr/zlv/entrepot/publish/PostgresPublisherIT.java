package fr.zlv.entrepot.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.settings.WarehouseSettings;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import fr.zlv.entrepot.demo.PostgresLocator;
import fr.zlv.entrepot.demo.PostgresServer;
import fr.zlv.entrepot.publish.PublishPlan.PublishedTable;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL serving schema against a real server (ENTREPOT_TEST_POSTGRES_URL, else 127.0.0.1:5432, else an
 * embedded one) and a real DuckDB warehouse file. Each test publishes to a schema of its own in the {@code postgres}
 * database, dropped after it.
 */
class PostgresPublisherIT {

    private static PostgresServer server;
    private static String password;

    @TempDir
    Path directory;
    private Warehouse warehouse;
    private String schema;
    private String url;
    private final List<String> roles = new ArrayList<>();

    @BeforeAll
    static void findServer() {
        String configured = System.getenv("ENTREPOT_TEST_POSTGRES_URL");
        server = PostgresLocator.find(configured, Path.of("target", "embedded-pg"));
        PostgresServer found = server;
        Runtime.getRuntime().addShutdownHook(new Thread(found::close));
        // A server found without a password trusts local users and ignores this one, which is there to show that it
        // never appears in a message.
        Matcher given = configured == null ? null
                : Pattern.compile("password=([^&]*)|//[^/:@]*:([^/@]*)@").matcher(configured);
        password = given != null && given.find() ? (given.group(1) != null ? given.group(1) : given.group(2))
                : "never-shown-s3cret";
    }

    @BeforeEach
    void openWarehouse() {
        warehouse = Warehouse.open(new WarehouseSettings(directory.resolve("warehouse.duckdb").toString(), 1.0, 2,
                null));
        warehouse.execute("CREATE SCHEMA IF NOT EXISTS marts");
        schema = "serving_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        url = url("postgres");
    }

    @AfterEach
    void dropEverything() throws SQLException {
        warehouse.close();
        for (String suffix : List.of("", PostgresPublisher.NEXT_SUFFIX, PostgresPublisher.OLD_SUFFIX, "_views")) {
            execute("DROP SCHEMA IF EXISTS " + schema + suffix + " CASCADE");
        }
        for (String role : roles) {
            execute("DROP ROLE IF EXISTS " + role);
        }
    }

    private static String url(String database) {
        return server.jdbcUrl(database) + "?user=" + server.adminUser() + "&password=" + password;
    }

    private PublishPlan plan(String... martsAndNames) {
        List<PublishedTable> tables = new ArrayList<>();
        for (int i = 0; i < martsAndNames.length; i += 2) {
            tables.add(new PublishedTable(martsAndNames[i], martsAndNames[i + 1], false));
        }
        return new PublishPlan(directory.resolve("publish.yml"), "marts", tables);
    }

    private PublicationReport publish(PublishPlan plan) {
        return PostgresPublisher.publish(warehouse, plan, PublicationGate.OPEN, url, schema, Map.of());
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = server.connect("postgres"); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** The first row of a query, each column as PostgreSQL's text output, in UTC. */
    private static List<String> row(String sql) throws SQLException {
        try (Connection connection = server.connect("postgres"); Statement statement = connection.createStatement()) {
            statement.execute("SET TimeZone = 'UTC'");
            try (ResultSet rows = statement.executeQuery(sql)) {
                assertThat(rows.next()).as("a row from " + sql).isTrue();
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                    values.add(rows.getString(i));
                }
                return values;
            }
        }
    }

    private static String value(String sql) throws SQLException {
        return row(sql).get(0);
    }

    private static List<String> column(String sql) throws SQLException {
        try (Connection connection = server.connect("postgres"); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }
    }

    private List<String> schemasLike() throws SQLException {
        return column("SELECT nspname FROM pg_namespace WHERE nspname LIKE '" + schema + "%' ORDER BY nspname");
    }

    private void versionedMarts(int version, String... marts) {
        for (String mart : marts) {
            warehouse.execute("CREATE OR REPLACE TABLE marts." + mart + " AS SELECT range AS id, " + version
                    + " AS version, 'row ' || range AS label FROM range(" + version * 1000 + ")");
        }
    }

    @Test
    void everyDuckDbTypeArrivesAsItsPostgresType() throws SQLException {
        warehouse.execute("CREATE TABLE marts.marts_types (v VARCHAR, b BIGINT, i INTEGER, s SMALLINT, t TINYINT,"
                + " us USMALLINT, ui UINTEGER, ub UBIGINT, h HUGEINT, d DOUBLE, f FLOAT, dec DECIMAL(12,3),"
                + " bo BOOLEAN, da DATE, ts TIMESTAMP, tstz TIMESTAMPTZ, tm TIME, ttz TIMETZ, iv INTERVAL, u UUID,"
                + " bl BLOB, l VARCHAR[], li INTEGER[], ld DATE[], ll VARCHAR[][], st STRUCT(a INTEGER, b VARCHAR),"
                + " m MAP(VARCHAR, INTEGER), j JSON, e ENUM('low', 'high'), tsn TIMESTAMP_NS, fa INTEGER[2], n INTEGER)");
        warehouse.execute("INSERT INTO marts.marts_types VALUES ('tab' || chr(9) || 'newline' || chr(10) || 'cr'"
                + " || chr(13) || 'backslash\\ \"quoted\" ''single'' é ✓', 9223372036854775807, -2147483648, 32767,"
                + " -128, 65535, 4294967295, 18446744073709551615, 170141183460469231731687303715884105727, 0.1,"
                + " 1.5, 12345.678, true, DATE '2024-02-29', TIMESTAMP '2024-02-29 13:45:56.123456',"
                + " TIMESTAMPTZ '2024-03-01 10:00:00+01', TIME '23:59:59.5', TIMETZ '12:00:00+02',"
                + " INTERVAL '1 year 2 months 3 days 04:05:06', '0c7e2f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6',"
                + " '\\x00\\xFFab'::BLOB, ['a', 'b,c', 'd\"e', NULL, '{x}', '', 'back\\slash'], [1, 2, NULL],"
                + " [DATE '2024-01-01'], [['a'], ['b', NULL]], {'a': 1, 'b': 'x'}, MAP {'k': 1},"
                + " '{\"z\": [1, 2]}', 'high', TIMESTAMP_NS '2024-01-01 00:00:00', [3, 4], 7)");
        warehouse.execute("INSERT INTO marts.marts_types VALUES (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
                + " NULL, 'inf', '-inf', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
                + " NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 8)");
        warehouse.execute("INSERT INTO marts.marts_types (v, d, bl, l, n) VALUES ('', 'nan', ''::BLOB, [], 9)");

        PublicationReport report = publish(plan("marts_types", "types"));

        assertThat(report.tables()).containsExactly(new PublicationReport.TableCount("types", 3));
        Map<String, String> types = new LinkedHashMap<>();
        try (Connection connection = server.connect("postgres");
             PreparedStatement query = connection.prepareStatement("SELECT attname, format_type(atttypid, atttypmod)"
                     + " FROM pg_attribute WHERE attrelid = ?::regclass AND attnum > 0 ORDER BY attnum")) {
            query.setString(1, schema + ".types");
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    types.put(rows.getString(1), rows.getString(2));
                }
            }
        }
        assertThat(types).containsExactly(Map.entry("v", "text"), Map.entry("b", "bigint"), Map.entry("i", "integer"),
                Map.entry("s", "smallint"), Map.entry("t", "smallint"), Map.entry("us", "integer"),
                Map.entry("ui", "bigint"), Map.entry("ub", "numeric(20,0)"), Map.entry("h", "numeric(39,0)"),
                Map.entry("d", "double precision"), Map.entry("f", "real"), Map.entry("dec", "numeric(12,3)"),
                Map.entry("bo", "boolean"), Map.entry("da", "date"), Map.entry("ts", "timestamp without time zone"),
                Map.entry("tstz", "timestamp with time zone"), Map.entry("tm", "time without time zone"),
                Map.entry("ttz", "time with time zone"), Map.entry("iv", "interval"), Map.entry("u", "uuid"),
                Map.entry("bl", "bytea"), Map.entry("l", "text[]"), Map.entry("li", "integer[]"),
                Map.entry("ld", "date[]"), Map.entry("ll", "jsonb"), Map.entry("st", "jsonb"),
                Map.entry("m", "jsonb"), Map.entry("j", "jsonb"), Map.entry("e", "text"),
                Map.entry("tsn", "timestamp without time zone"), Map.entry("fa", "integer[]"), Map.entry("n", "integer"));

        String table = schema + ".types";
        assertThat(row("SELECT v, b::text, i::text, s::text, t::text, us::text, ui::text, ub::text, h::text, d::text,"
                + " f::text, dec::text, bo::text, da::text, ts::text, tstz::text, tm::text, ttz::text, iv::text,"
                + " u::text, bl::text FROM " + table + " WHERE n = 7")).containsExactly(
                "tab\tnewline\ncr\rbackslash\\ \"quoted\" 'single' é ✓", "9223372036854775807", "-2147483648",
                "32767", "-128", "65535", "4294967295", "18446744073709551615",
                "170141183460469231731687303715884105727", "0.1", "1.5", "12345.678", "true", "2024-02-29",
                "2024-02-29 13:45:56.123456", "2024-03-01 09:00:00+00", "23:59:59.5", "12:00:00+02",
                "1 year 2 mons 3 days 04:05:06", "0c7e2f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6", "\\x00ff6162");
        // Arrays keep their elements exactly, NULL included; nested values arrive as JSON.
        assertThat(row("SELECT l[1], l[2], l[3], (l[4] IS NULL)::text, l[5], l[6], l[7], cardinality(l), li::text, ld::text,"
                + " ll::text, st::text, m::text, j::text, e, tsn::text, fa::text FROM " + table + " WHERE n = 7")).containsExactly(
                "a", "b,c", "d\"e", "true", "{x}", "", "back\\slash", "7", "{1,2,NULL}", "{2024-01-01}",
                "[[\"a\"], [\"b\", null]]", "{\"a\": 1, \"b\": \"x\"}", "{\"k\": 1}", "{\"z\": [1, 2]}", "high",
                "2024-01-01 00:00:00", "{3,4}");
        assertThat(row("SELECT num_nulls(v, b, i, s, t, us, ui, ub, h, dec, bo, da, ts, tstz, tm, ttz, iv, u, bl, l, li,"
                + " ld, ll, st, m, j, e, tsn, fa), d::text, f::text FROM " + table + " WHERE n = 8"))
                .containsExactly("29", "Infinity", "-Infinity");
        assertThat(row("SELECT v, (v IS NULL)::text, d::text, bl::text, cardinality(l) FROM " + table + " WHERE n = 9"))
                .containsExactly("", "false", "NaN", "\\x", "0");
    }

    @Test
    void tablesArriveWithTheirRowsCommentsAndIndexes() throws SQLException {
        warehouse.execute("CREATE TABLE marts.marts_production_housing AS SELECT range AS housing_id, 'G' || (range"
                + " % 50) AS geo_code, CASE WHEN range % 3 = 0 THEN 'vacant' ELSE 'occupied' END AS status,"
                + " ['x', 'y'] AS tags FROM range(1000)");
        warehouse.execute("CREATE TABLE marts.marts_production_owners AS SELECT range AS owner_id, 'name ' || range"
                + " AS name FROM range(500)");
        warehouse.execute("COMMENT ON TABLE marts.marts_production_owners IS 'Owners, from DuckDB''s comment'");
        warehouse.execute("COMMENT ON COLUMN marts.marts_production_owners.name IS 'Pseudonymised name'");
        Map<String, TableDocs> docs = Map.of(
                "marts_production_housing", new TableDocs("One row per housing: its vacancy's 'status'",
                        Map.of("housing_id", "The housing's id", "status", "vacant or occupied\\ (back)",
                                "not_a_column", "documented in dbt only"), List.of()),
                "marts_production_owners", new TableDocs("", Map.of(), List.of(List.of("name"),
                        List.of("owner_id", "name"))));

        PublicationReport report = PostgresPublisher.publish(warehouse, plan("marts_production_housing", "housing",
                "marts_production_owners", "owners"), PublicationGate.OPEN, url, schema, docs);

        assertThat(report.target()).isEqualTo("postgres");
        assertThat(report.tables()).containsExactly(new PublicationReport.TableCount("housing", 1000),
                new PublicationReport.TableCount("owners", 500));
        assertThat(report.bytes()).isPositive();
        assertThat(report.location()).contains("password=***", "schema " + schema).doesNotContain(password);
        assertThat(row("SELECT (SELECT count(*) FROM " + schema + ".housing), (SELECT count(*) FROM " + schema
                + ".owners), (SELECT count(*) FROM " + schema + ".housing WHERE status = 'vacant')"))
                .containsExactly("1000", "500", "334");
        assertThat(row("SELECT obj_description('" + schema + ".housing'::regclass, 'pg_class'),"
                + " col_description('" + schema + ".housing'::regclass, 1),"
                + " col_description('" + schema + ".housing'::regclass, 2),"
                + " col_description('" + schema + ".housing'::regclass, 3),"
                + " obj_description('" + schema + ".owners'::regclass, 'pg_class'),"
                + " col_description('" + schema + ".owners'::regclass, 2)")).containsExactly(
                "One row per housing: its vacancy's 'status'", "The housing's id", null, "vacant or occupied\\ (back)",
                "Owners, from DuckDB's comment", "Pseudonymised name");
        assertThat(value("SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = '" + schema
                + "'")).isEqualTo("Marts published by Entrepôt, version " + report.version() + ".");
        // Without indexes in the docs, the key-like columns are indexed; given ones replace them.
        assertThat(column("SELECT indexdef FROM pg_indexes WHERE schemaname = '" + schema + "' ORDER BY indexname"))
                .containsExactly(
                        "CREATE INDEX housing_geo_code_idx ON " + schema + ".housing USING btree (geo_code)",
                        "CREATE INDEX housing_housing_id_idx ON " + schema + ".housing USING btree (housing_id)",
                        "CREATE INDEX owners_name_idx ON " + schema + ".owners USING btree (name)",
                        "CREATE INDEX owners_owner_id_name_idx ON " + schema + ".owners USING btree (owner_id, name)");
        assertThat(value("SELECT count(*) FROM pg_stats WHERE schemaname = '" + schema + "' AND tablename = 'housing'"))
                .as("statistics gathered before the swap").isEqualTo("4");
    }

    @Test
    void aReaderNeverSeesAMissingTableNorTwoVersionsAtOnce() throws Exception {
        versionedMarts(1, "marts_a", "marts_b");
        publish(plan("marts_a", "a", "marts_b", "b"));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong reads = new AtomicLong();
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        Set<Integer> versionsSeen = new ConcurrentSkipListSet<>();
        // Tables in both orders (a swap that would deadlock with a reader must give way), and a slow query that holds
        // both tables while a swap comes.
        String a = "(SELECT count(*) FROM " + schema + ".a), (SELECT min(version) FROM " + schema + ".a)";
        String b = "(SELECT count(*) FROM " + schema + ".b), (SELECT max(version) FROM " + schema + ".b)";
        record Query(String sql, boolean aFirst) {
        }
        List<Query> queries = List.of(new Query("SELECT " + a + ", " + b, true),
                new Query("SELECT " + b + ", " + a, false), new Query("SELECT " + a + ", " + b + ", pg_sleep(0.05)", true));
        Thread reader = new Thread(() -> {
            try (Connection connection = server.connect("postgres"); Statement statement = connection.createStatement()) {
                for (int i = 0; !stop.get(); i++) {
                    Query query = queries.get(i % queries.size());
                    int first = query.aFirst() ? 1 : 3;
                    int second = query.aFirst() ? 3 : 1;
                    try (ResultSet rows = statement.executeQuery(query.sql())) {
                        rows.next();
                        long countA = rows.getLong(first);
                        int versionA = rows.getInt(first + 1);
                        long countB = rows.getLong(second);
                        int versionB = rows.getInt(second + 1);
                        if (countA != countB || versionA != versionB || countA != versionA * 1000L) {
                            problems.add("read a=" + countA + " rows of version " + versionA + ", b=" + countB
                                    + " rows of version " + versionB);
                        }
                        versionsSeen.add(versionA);
                    } catch (SQLException e) {
                        problems.add(e.getMessage());
                    }
                    reads.incrementAndGet();
                }
            } catch (SQLException e) {
                problems.add("reader connection: " + e.getMessage());
            }
        });
        reader.start();
        try {
            for (int version = 2; version <= 6; version++) {
                waitForReads(reads, 3);
                versionedMarts(version, "marts_a", "marts_b");
                publish(plan("marts_a", "a", "marts_b", "b"));
            }
            waitForReads(reads, 3);
        } finally {
            stop.set(true);
            reader.join();
        }

        assertThat(problems).isEmpty();
        assertThat(versionsSeen).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(schemasLike()).containsExactly(schema);
    }

    @Test
    void aReaderInALongTransactionDelaysTheSwapAndKeepsReadingOneVersion() throws Exception {
        versionedMarts(1, "marts_a", "marts_b");
        publish(plan("marts_a", "a", "marts_b", "b"));
        versionedMarts(2, "marts_a", "marts_b");
        try (Connection reader = server.connect("postgres"); Statement statement = reader.createStatement()) {
            reader.setAutoCommit(false);
            List<String> seen = new ArrayList<>();
            seen.add(firstValue(statement, "SELECT count(*) FROM " + schema + ".a"));
            List<Object> outcome = Collections.synchronizedList(new ArrayList<>());
            Thread publisher = new Thread(() -> {
                try {
                    outcome.add(publish(plan("marts_a", "a", "marts_b", "b")));
                } catch (RuntimeException e) {
                    outcome.add(e);
                }
            });
            publisher.start();
            waitFor("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'entrepot publish'"
                    + " AND wait_event_type = 'Lock'");
            // Longer than the swap's lock timeout: it gives way and tries again, as often as needed.
            Thread.sleep(1200);
            // The swap waits for table a, which this transaction read: b still shows the same version.
            seen.add(firstValue(statement, "SELECT count(*) FROM " + schema + ".b"));
            reader.commit();
            publisher.join();

            assertThat(seen).containsExactly("1000", "1000");
            assertThat(outcome).hasSize(1).first().isInstanceOf(PublicationReport.class);
        }
        assertThat(row("SELECT (SELECT count(*) FROM " + schema + ".a), (SELECT count(*) FROM " + schema + ".b)"))
                .containsExactly("2000", "2000");
    }

    @Test
    void aPublicationKilledMidCopyLeavesThePreviousOneAndNoShadow() throws Exception {
        versionedMarts(1, "marts_a");
        publish(plan("marts_a", "a"));
        // A mart that takes for ever to copy: the server ends the publication's session while it copies, as it does
        // when the publishing process is killed and its connection drops.
        warehouse.execute("CREATE VIEW marts.marts_endless AS SELECT range AS id, 'row ' || range AS label"
                + " FROM range(1000000000)");
        Thread killer = new Thread(() -> {
            try {
                // The COPY of the endless mart, not that of marts_a before it (killing that one would end the
                // publication while it indexes a, not while it copies).
                waitFor("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'entrepot publish'"
                        + " AND query LIKE 'COPY%endless%'");
                execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name ="
                        + " 'entrepot publish'");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        killer.start();

        EntrepotException error = catchThrowableOfType(() -> publish(plan("marts_a", "a", "marts_endless",
                "endless")), EntrepotException.class);
        killer.join();

        assertThat(error).hasMessageContaining("broke while copying marts.marts_endless");
        assertThat(error.hint()).contains("is unchanged", "rolled the unfinished publication back");
        assertThat(value("SELECT count(*) FROM " + schema + ".a")).isEqualTo("1000");
        assertThat(schemasLike()).containsExactly(schema);
    }

    @Test
    void viewsBuiltOnTheServingTablesGoWithTheOldVersion() throws SQLException {
        versionedMarts(1, "marts_a");
        publish(plan("marts_a", "a"));
        execute("CREATE SCHEMA " + schema + "_views");
        execute("CREATE VIEW " + schema + "_views.big_a AS SELECT * FROM " + schema + ".a WHERE id > 10");

        publish(plan("marts_a", "a"));

        assertThat(column("SELECT table_name FROM information_schema.views WHERE table_schema = '" + schema
                + "_views'")).isEmpty();
    }

    private static String firstValue(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    /** Waits until a count query gives more than 0 (a minute at most). */
    private static void waitFor(String countQuery) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (Long.parseLong(value(countQuery)) == 0) {
            assertThat(System.nanoTime()).as("waiting for " + countQuery).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    /** Lets the reader run at least {@code more} queries: each version is read before the next one comes. */
    private static void waitForReads(AtomicLong reads, int more) throws InterruptedException {
        long target = reads.get() + more;
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (reads.get() < target && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(reads.get()).as("reads done by the reader").isGreaterThanOrEqualTo(target);
    }

    @Test
    void theGateRefusesThePublicationNamingTablesAndProblems() throws SQLException {
        versionedMarts(1, "marts_a", "marts_owners");
        PublicationGate gate = (source, mart) -> mart.equals("marts_owners")
                ? List.of("column full_name is classified as personal data (pii: direct)") : List.of();

        EntrepotException error = catchThrowableOfType(() -> PostgresPublisher.publish(warehouse,
                plan("marts_a", "a", "marts_owners", "owners"), gate, url, schema, Map.of()), EntrepotException.class);

        assertThat(error).hasMessageContaining("marts.marts_owners (published as owners): column full_name is"
                + " classified as personal data (pii: direct)").hasMessageContaining("nothing was written")
                .hasMessageContaining("PostgreSQL serving schema");
        assertThat(error.getMessage()).doesNotContain("marts_a");
        assertThat(error.exitCode()).isEqualTo(EntrepotException.BAD_INPUT);
        assertThat(error.hint()).contains("pseudonymise", "publish.yml");
        assertThat(schemasLike()).isEmpty();
    }

    @Test
    void aMissingMartIsNamedAndThePreviousPublicationStays() throws SQLException {
        versionedMarts(1, "marts_a", "marts_b");
        publish(plan("marts_a", "a", "marts_b", "b"));
        versionedMarts(2, "marts_a", "marts_b");

        EntrepotException error = catchThrowableOfType(() -> publish(plan("marts_a", "a", "marts_missing", "missing",
                "marts_b", "b")), EntrepotException.class);

        assertThat(error).hasMessageContaining("has no marts.marts_missing (published as missing)");
        assertThat(error.hint()).contains("remove them from " + directory.resolve("publish.yml"));
        assertThat(row("SELECT (SELECT count(*) FROM " + schema + ".a), (SELECT count(*) FROM " + schema + ".b)"))
                .containsExactly("1000", "1000");
        assertThat(schemasLike()).containsExactly(schema);
    }

    @Test
    void aValueRefusedMidCopyLeavesThePreviousPublicationAndNoShadow() throws SQLException {
        versionedMarts(1, "marts_a", "marts_b", "marts_c");
        publish(plan("marts_a", "a", "marts_b", "b", "marts_c", "c"));
        versionedMarts(2, "marts_a", "marts_b", "marts_c");
        // PostgreSQL text cannot hold NUL: the copy of b fails after a was copied into the shadow schema.
        warehouse.execute("UPDATE marts.marts_b SET label = 'bad' || chr(0) || 'value' WHERE id = 1500");

        EntrepotException error = catchThrowableOfType(() -> publish(plan("marts_a", "a", "marts_b", "b", "marts_c",
                "c")), EntrepotException.class);

        assertThat(error).hasMessageContaining("failed while copying marts.marts_b into " + schema
                + PostgresPublisher.NEXT_SUFFIX + ".b").hasMessageContaining("0x00");
        assertThat(error.getMessage()).doesNotContain(password);
        assertThat(error.hint()).contains("serving schema " + schema + " is unchanged", "NUL");
        assertThat(row("SELECT (SELECT count(*) FROM " + schema + ".a), (SELECT max(version) FROM " + schema + ".a),"
                + " (SELECT count(*) FROM " + schema + ".b), (SELECT count(*) FROM " + schema + ".c)"))
                .containsExactly("1000", "1", "1000", "1000");
        assertThat(schemasLike()).containsExactly(schema);
    }

    @Test
    void aShadowSchemaLeftByACrashIsDroppedAndANewVersionReplacesTheOldOne() throws SQLException {
        versionedMarts(1, "marts_a", "marts_b");
        publish(plan("marts_a", "a", "marts_b", "b"));
        execute("CREATE SCHEMA " + schema + PostgresPublisher.NEXT_SUFFIX);
        execute("CREATE TABLE " + schema + PostgresPublisher.NEXT_SUFFIX + ".half_copied AS SELECT 1 AS x");
        versionedMarts(2, "marts_a");

        PublicationReport report = publish(plan("marts_a", "a"));

        assertThat(report.rows()).isEqualTo(2000);
        assertThat(schemasLike()).containsExactly(schema);
        assertThat(column("SELECT table_name FROM information_schema.tables WHERE table_schema = '" + schema + "'"))
                .as("a table no longer in the plan is no longer published").containsExactly("a");
        assertThat(value("SELECT count(*) FROM " + schema + ".a")).isEqualTo("2000");
    }

    @Test
    void aReaderRoleMaySelectAndAMissingOneIsNamed() throws SQLException {
        String role = schema + "_reader";
        roles.add(role);
        execute("CREATE ROLE " + role + " NOLOGIN");
        versionedMarts(1, "marts_a");

        PostgresPublisher.publish(warehouse, plan("marts_a", "a"), PublicationGate.OPEN, url, schema, role, Map.of());

        assertThat(row("SELECT has_schema_privilege('" + role + "', '" + schema + "', 'USAGE'), has_table_privilege('"
                + role + "', '" + schema + ".a', 'SELECT'), has_table_privilege('" + role + "', '" + schema
                + ".a', 'INSERT')")).containsExactly("t", "t", "f");

        EntrepotException error = catchThrowableOfType(() -> PostgresPublisher.publish(warehouse, plan("marts_a", "a"),
                PublicationGate.OPEN, url, schema, "no_such_reader_role", Map.of()), EntrepotException.class);
        assertThat(error).hasMessageContaining("granting SELECT to the role no_such_reader_role")
                .hasMessageContaining("does not exist");
        assertThat(error.hint()).contains("CREATE ROLE");
        assertThat(value("SELECT count(*) FROM " + schema + ".a")).isEqualTo("1000");
    }

    @Test
    void aWrongDatabaseIsNamedWithoutThePassword() {
        versionedMarts(1, "marts_a");
        String wrong = url("no_such_database_for_serving");

        EntrepotException error = catchThrowableOfType(() -> PostgresPublisher.publish(warehouse, plan("marts_a", "a"),
                PublicationGate.OPEN, wrong, schema, Map.of()), EntrepotException.class);

        assertThat(error).hasMessageContaining("has no such database")
                .hasMessageContaining("password=***").hasMessageNotContaining(password);
        assertThat(error.hint()).contains("CREATE DATABASE");
    }

    @Test
    void withoutAServingDatabaseTheTargetIsSkipped() {
        versionedMarts(1, "marts_a");

        PublicationReport report = PostgresPublisher.publish(warehouse, plan("marts_a", "a"), PublicationGate.OPEN,
                null, "serving", Map.of());

        assertThat(report.skipped()).contains("publish.postgres_url");
        assertThat(report.tables()).isEmpty();
    }

    @Test
    void aSchemaNameThatIsNotAPlainNameIsRefusedBeforeConnecting() {
        versionedMarts(1, "marts_a");

        EntrepotException error = catchThrowableOfType(() -> PostgresPublisher.publish(warehouse, plan("marts_a", "a"),
                PublicationGate.OPEN, url, "Serving; DROP", Map.of()), EntrepotException.class);

        assertThat(error).hasMessageContaining("'Serving; DROP'").hasMessageNotContaining(password);
        assertThat(error.exitCode()).isEqualTo(EntrepotException.BAD_INPUT);
        assertThat(error.hint()).contains("postgres_schema");
    }
}
