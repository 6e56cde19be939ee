package fr.zlv.entrepot.publish;

import static fr.zlv.entrepot.publish.BiFiles.reader;
import static fr.zlv.entrepot.publish.BiFiles.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.settings.WarehouseSettings;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import fr.zlv.entrepot.demo.PostgresLocator;
import fr.zlv.entrepot.demo.PostgresServer;
import fr.zlv.entrepot.publish.PublishPlan.PublishedTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Publication from a PostgreSQL warehouse (a database of its own on a real server, with a {@code marts} schema of
 * varied types) to the BI DuckDB file and to a PostgreSQL serving schema; the DuckDB-only targets refuse it.
 */
class PostgresWarehousePublishIT {

    private static final String TEXT = "He said \"hi\", then\nleft;\ttab \\ backslash, 'quoted' é€";

    private static PostgresServer server;

    @TempDir
    Path directory;
    private String database;
    private String url;
    private Warehouse warehouse;
    private final List<String> servingSchemas = new ArrayList<>();

    @BeforeAll
    static void findServer() {
        server = PostgresLocator.find(System.getenv("ENTREPOT_TEST_POSTGRES_URL"), Path.of("target", "embedded-pg"));
        PostgresServer found = server;
        Runtime.getRuntime().addShutdownHook(new Thread(found::close));
    }

    @BeforeEach
    void createWarehouse() throws SQLException {
        database = "entrepot_pubwh_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (Connection admin = server.connect("postgres"); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        url = server.jdbcUrlWithCredentials(database);
        warehouse = Warehouse.open(new WarehouseSettings(url, null, null, null));
        warehouse.execute("CREATE SCHEMA marts");
        warehouse.execute("CREATE TYPE marts.mood AS ENUM ('calm', 'busy')");
        warehouse.execute("""
                CREATE TABLE marts.marts_types (
                  id integer, small smallint, big bigint, amount numeric(12,2), large numeric(38,10),
                  huge numeric(50,0), ratio numeric, label text, code varchar(10), letter char(2), flag boolean,
                  day date, at timestamp, at_tz timestamptz, score double precision, real_score real, uid uuid,
                  doc jsonb, raw json, tags text[], counts integer[], amounts numeric(8,3)[], blob bytea,
                  span interval, mood marts.mood)""");
        warehouse.execute("COMMENT ON TABLE marts.marts_types IS 'Every type, with ''quotes''.'");
        warehouse.execute("COMMENT ON COLUMN marts.marts_types.label IS 'A label: text with commas, quotes, newlines.'");
        warehouse.execute("INSERT INTO marts.marts_types VALUES (1, -32768, 9223372036854775807, -1234567890.12,"
                + " 1234567890123456789012345678.0123456789, 12345678901234567890123456789012345678901234567890,"
                + " 0.333333333333, " + PostgresPublisher.literal(TEXT) + ", '', 'ab', true, DATE '2024-02-29',"
                + " TIMESTAMP '2024-02-29 13:14:15.123456', TIMESTAMPTZ '2024-02-29 13:14:15.5+02', 1.5e300, 0.25,"
                + " 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{\"k\": [1, \"x,y\"], \"q\": \"\\\"\"}', '{\"a\": null}',"
                + " ARRAY['a,b', 'c\"d', NULL, '', 'e\nf'], ARRAY[1, NULL, 3], ARRAY[1.5, -2.125]::numeric(8,3)[],"
                + " '\\x00ff10'::bytea, INTERVAL '1 year 2 months 3 days 04:05:06', 'busy')");
        warehouse.execute("INSERT INTO marts.marts_types (id) VALUES (2)");
        warehouse.execute("INSERT INTO marts.marts_types (id, label, tags, score) VALUES (3, 'N', ARRAY[]::text[],"
                + " 'NaN')");
        warehouse.execute("CREATE TABLE marts.marts_counts AS SELECT g AS commune_id, g * 2 AS housings"
                + " FROM generate_series(1, 5000) g");
    }

    @AfterEach
    void dropWarehouse() throws SQLException {
        warehouse.close();
        try (Connection admin = server.connect("postgres"); Statement statement = admin.createStatement()) {
            for (String schema : servingSchemas) {
                statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
            statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    private PublishPlan plan(String... marts) {
        List<PublishedTable> tables = new ArrayList<>();
        for (String mart : marts) {
            tables.add(new PublishedTable(mart, mart.replace("marts_", ""), true));
        }
        return new PublishPlan(directory.resolve("publish.yml"), "marts", tables);
    }

    @Test
    void theBiFileHoldsEachMartWithItsTypesValuesAndComments() throws Exception {
        Path bi = directory.resolve("bi/entrepot-bi.duckdb");
        PublicationReport report = new BiFilePublisher().publish(warehouse, plan("marts_types", "marts_counts"),
                PublicationGate.OPEN, bi);

        assertThat(report.tables()).containsExactly(new PublicationReport.TableCount("types", 3),
                new PublicationReport.TableCount("counts", 5000));
        try (Connection duck = reader(bi)) {
            assertThat(strings(duck, "SELECT column_name || ' ' || data_type FROM duckdb_columns()"
                    + " WHERE table_name = 'types' ORDER BY column_index")).containsExactly(
                    "id INTEGER", "small SMALLINT", "big BIGINT", "amount DECIMAL(12,2)", "large DECIMAL(38,10)",
                    "huge DOUBLE", "ratio DOUBLE", "label VARCHAR", "code VARCHAR", "letter VARCHAR", "flag BOOLEAN",
                    "day DATE", "at TIMESTAMP", "at_tz TIMESTAMP WITH TIME ZONE", "score DOUBLE", "real_score FLOAT",
                    "uid UUID", "doc JSON", "raw JSON", "tags VARCHAR[]", "counts INTEGER[]", "amounts DECIMAL(8,3)[]",
                    "blob BLOB", "span INTERVAL", "mood VARCHAR");
            assertThat(strings(duck, "SELECT comment FROM duckdb_tables() WHERE table_name = 'types'"))
                    .containsExactly("Every type, with 'quotes'.");
            assertThat(strings(duck, "SELECT comment FROM duckdb_columns() WHERE table_name = 'types'"
                    + " AND column_name = 'label'")).containsExactly("A label: text with commas, quotes, newlines.");
            try (Statement statement = duck.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT *, CAST(tags AS VARCHAR) AS tags_text,"
                         + " CAST(counts AS VARCHAR) AS counts_text, CAST(amounts AS VARCHAR) AS amounts_text,"
                         + " hex(blob) AS blob_hex, CAST(span AS VARCHAR) AS span_text, json_extract_string(doc, '$.q') AS q,"
                         + " CAST(epoch_us(at_tz) AS BIGINT) AS at_tz_us FROM types ORDER BY id")) {
                rows.next();
                assertThat(rows.getInt("id")).isEqualTo(1);
                assertThat(rows.getShort("small")).isEqualTo((short) -32768);
                assertThat(rows.getLong("big")).isEqualTo(Long.MAX_VALUE);
                assertThat(rows.getBigDecimal("amount")).isEqualByComparingTo("-1234567890.12");
                assertThat(rows.getBigDecimal("large")).isEqualByComparingTo("1234567890123456789012345678.0123456789");
                assertThat(rows.getDouble("huge")).isEqualTo(
                        new java.math.BigDecimal("12345678901234567890123456789012345678901234567890").doubleValue());
                assertThat(rows.getDouble("ratio")).isEqualTo(0.333333333333);
                assertThat(rows.getString("label")).isEqualTo(TEXT);
                assertThat(rows.getString("code")).isEmpty();
                assertThat(rows.getString("letter")).isEqualTo("ab");
                assertThat(rows.getBoolean("flag")).isTrue();
                assertThat(rows.getObject("day", LocalDate.class)).isEqualTo(LocalDate.of(2024, 2, 29));
                assertThat(rows.getObject("at", LocalDateTime.class))
                        .isEqualTo(LocalDateTime.of(2024, 2, 29, 13, 14, 15, 123_456_000));
                assertThat(Instant.EPOCH.plusNanos(rows.getLong("at_tz_us") * 1000))
                        .isEqualTo(OffsetDateTime.parse("2024-02-29T13:14:15.5+02:00").toInstant());
                assertThat(rows.getDouble("score")).isEqualTo(1.5e300);
                assertThat(rows.getFloat("real_score")).isEqualTo(0.25f);
                assertThat(rows.getObject("uid")).isEqualTo(UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
                assertThat(rows.getString("q")).isEqualTo("\"");
                assertThat(rows.getString("raw")).isEqualTo("{\"a\": null}");
                assertThat(Arrays.asList((Object[]) rows.getArray("tags").getArray()))
                        .containsExactly("a,b", "c\"d", null, "", "e\nf");
                assertThat(rows.getString("counts_text")).isEqualTo("[1, NULL, 3]");
                assertThat(rows.getString("amounts_text")).isEqualTo("[1.500, -2.125]");
                assertThat(rows.getString("blob_hex")).isEqualTo("00FF10");
                assertThat(rows.getString("span_text")).isEqualTo("1 year 2 months 3 days 04:05:06");
                assertThat(rows.getString("mood")).isEqualTo("busy");

                rows.next();
                assertThat(rows.getInt("id")).isEqualTo(2);
                for (String column : List.of("small", "big", "amount", "large", "huge", "ratio", "label", "code",
                        "letter", "flag", "day", "at", "at_tz", "score", "real_score", "uid", "doc", "raw", "tags",
                        "counts", "amounts", "blob", "span", "mood")) {
                    assertThat(rows.getObject(column)).as(column).isNull();
                }
                rows.next();
                assertThat(rows.getString("label")).isEqualTo("N");
                assertThat(rows.getString("tags_text")).isEqualTo("[]");
                assertThat(rows.getDouble("score")).isNaN();
            }
            assertThat(strings(duck, "SELECT CAST(sum(housings) AS VARCHAR) FROM counts")).containsExactly("25005000");
        }
    }

    @Test
    void aFailedCopyKeepsThePreviousBiFile() throws Exception {
        Path bi = directory.resolve("entrepot-bi.duckdb");
        new BiFilePublisher().publish(warehouse, plan("marts_counts"), PublicationGate.OPEN, bi);
        byte[] before = Files.readAllBytes(bi);

        EntrepotException missing = catchThrowableOfType(() -> new BiFilePublisher().publish(warehouse,
                plan("marts_counts", "marts_absent"), PublicationGate.OPEN, bi), EntrepotException.class);
        assertThat(missing.getMessage()).contains("marts.marts_absent does not exist in the warehouse postgresql://");
        // A value DuckDB cannot hold (a timestamp beyond its range) fails in the middle of the copy.
        warehouse.execute("CREATE TABLE marts.marts_far AS SELECT TIMESTAMP '294270-01-01 00:00:00' AS at");
        EntrepotException failed = catchThrowableOfType(() -> new BiFilePublisher().publish(warehouse,
                plan("marts_counts", "marts_far"), PublicationGate.OPEN, bi), EntrepotException.class);
        assertThat(failed.getMessage()).startsWith("Publishing to the BI file " + bi.toAbsolutePath() + " failed");
        assertThat(failed.hint()).contains("The live BI file is unchanged");

        assertThat(Files.readAllBytes(bi)).isEqualTo(before);
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .allMatch(name -> !name.endsWith(".tmp") && !name.endsWith(".csv"));
        }
        // A killed publication's CSV file goes with the next publication.
        Path leftover = Files.writeString(directory.resolve(".entrepot-pg-marts_counts-123456789.csv"), "1,2\n");
        new BiFilePublisher().publish(warehouse, plan("marts_counts"), PublicationGate.OPEN, bi);
        assertThat(leftover).doesNotExist();
    }

    @Test
    void theServingSchemaInTheWarehouseDatabaseIsAnExactCopy() throws Exception {
        String schema = "serving_" + database.substring(database.length() - 6);
        PublicationReport report = PostgresPublisher.publish(warehouse, plan("marts_types", "marts_counts"),
                PublicationGate.OPEN, url, schema, Map.of());
        assertThat(report.rows()).isEqualTo(5003);
        try (Connection pg = server.connect(database)) {
            assertSameRowsAndTypes(pg, pg, schema);
            assertThat(strings(pg, "SELECT obj_description('" + schema + ".types'::regclass, 'pg_class')"))
                    .containsExactly("Every type, with 'quotes'.");
            assertThat(strings(pg, "SELECT indexname FROM pg_indexes WHERE schemaname = '" + schema + "'"))
                    .containsExactlyInAnyOrder("types_id_idx", "counts_commune_id_idx");
        }
    }

    @Test
    void theServingSchemaInAnotherDatabaseIsAnExactCopy() throws Exception {
        String schema = "serving_" + database.substring(database.length() - 6);
        servingSchemas.add(schema);
        PostgresPublisher.publish(warehouse, plan("marts_types", "marts_counts"), PublicationGate.OPEN,
                server.jdbcUrlWithCredentials("postgres"), schema, Map.of());
        // Published again: the swap replaces the first version.
        warehouse.execute("INSERT INTO marts.marts_counts VALUES (5001, 1)");
        PublicationReport report = PostgresPublisher.publish(warehouse, plan("marts_types", "marts_counts"),
                PublicationGate.OPEN, server.jdbcUrlWithCredentials("postgres"), schema, Map.of());
        assertThat(report.tables()).containsExactly(new PublicationReport.TableCount("types", 3),
                new PublicationReport.TableCount("counts", 5001));
        try (Connection source = server.connect(database); Connection serving = server.connect("postgres")) {
            assertSameRowsAndTypes(source, serving, schema);
        }
    }

    /** Same rows (as PostgreSQL's row text) and column types, the warehouse-only enum as text. */
    private static void assertSameRowsAndTypes(Connection source, Connection serving, String schema)
            throws SQLException {
        for (String mart : List.of("types", "counts")) {
            assertThat(strings(serving, "SELECT t::text FROM " + schema + "." + mart + " t ORDER BY 1"))
                    .as(mart).isEqualTo(strings(source, "SELECT t::text FROM marts.marts_" + mart + " t ORDER BY 1"));
            String types = "SELECT attname || ' ' || format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid"
                    + " = '%s'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum";
            assertThat(strings(serving, String.format(types, schema + "." + mart))).as(mart)
                    .isEqualTo(strings(source, String.format(types, "marts.marts_" + mart)).stream()
                            .map(column -> column.equals("mood marts.mood") ? "mood text" : column).toList());
        }
    }

    @Test
    void parquetFilesComeFromTheBiFile() throws Exception {
        Path bi = directory.resolve("entrepot-bi.duckdb");
        PublishPlan plan = plan("marts_counts");
        new BiFilePublisher().publish(warehouse, plan, PublicationGate.OPEN, bi);

        ParquetExport.Result result = ParquetExport.export(bi, plan, PublicationGate.OPEN, directory.resolve("pq"));

        assertThat(result.files()).singleElement().satisfies(file -> {
            assertThat(file.name()).isEqualTo("counts");
            assertThat(file.rows()).isEqualTo(5000);
        });
        EntrepotException fromPostgres = catchThrowableOfType(() -> ParquetExport.export(warehouse, plan,
                PublicationGate.OPEN, directory.resolve("pq2")), EntrepotException.class);
        assertThat(fromPostgres.hint()).contains("BI file");
    }

    @Test
    void theGateStillRefusesAMartBeforeAnythingIsWritten() {
        Path bi = directory.resolve("entrepot-bi.duckdb");
        PublicationGate gate = (schema, table) -> table.equals("marts_types") ? List.of("label: pii direct")
                : List.of();
        EntrepotException refused = catchThrowableOfType(() -> new BiFilePublisher().publish(warehouse,
                plan("marts_counts", "marts_types"), gate, bi), EntrepotException.class);
        assertThat(refused.getMessage()).contains("marts.marts_types (published as types): label: pii direct");
        assertThat(bi).doesNotExist();
    }

    @Test
    void backupsExportsAndMotherDuckSayTheyNeedADuckdbWarehouse() {
        EntrepotException backup = catchThrowableOfType(() -> new Backups(directory.resolve("backups"), 7, 12)
                .backup(warehouse, Instant.now()), EntrepotException.class);
        EntrepotException export = catchThrowableOfType(() -> new DatabaseExport().export(warehouse,
                directory.resolve("exports")), EntrepotException.class);
        EntrepotException motherduck = catchThrowableOfType(() -> MotherDuck.copy(warehouse, "entrepot", "token"),
                EntrepotException.class);

        assertThat(backup.getMessage()).isEqualTo("The backup target (a copy of the warehouse file) works on a DuckDB"
                + " warehouse only; the warehouse " + warehouse.location() + " is a PostgreSQL database.");
        assertThat(backup.hint()).contains("pg_dump");
        assertThat(backup.exitCode()).isEqualTo(EntrepotException.BAD_INPUT);
        assertThat(export.getMessage()).startsWith("The export target (EXPORT DATABASE");
        assertThat(export.hint()).contains("pg_dump");
        assertThat(motherduck.getMessage()).startsWith("The motherduck target");
        assertThat(directory.resolve("backups")).doesNotExist();
    }
}
