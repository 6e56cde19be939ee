package fr.zlv.entrepot.ingest.production;

import static org.assertj.core.api.Assertions.assertThat;

import fr.zlv.entrepot.core.settings.ProductionSettings;
import fr.zlv.entrepot.core.settings.ProductionTable;
import fr.zlv.entrepot.core.settings.Secret;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every PostgreSQL type the programme's tables use (and a few more) crosses to DuckDB with its value. */
class TypeMappingIT {

    private static final String DATABASE = "entrepot_it_types";
    private static boolean postgis;
    private static Warehouse warehouse;
    private static ProductionSettings settings;
    private static SyncReport report;

    @BeforeAll
    static void syncEveryType() {
        TestPostgres.drop(DATABASE);
        TestPostgres.execute("postgres", "CREATE DATABASE " + DATABASE);
        try {
            TestPostgres.execute(DATABASE, "CREATE EXTENSION IF NOT EXISTS postgis");
            postgis = true;
        } catch (IllegalStateException e) {
            postgis = false;
        }
        TestPostgres.execute(DATABASE,
                "CREATE TYPE housing_kind AS ENUM ('APPART', 'MAISON', 'l''autre')",
                "CREATE DOMAIN insee_code AS varchar(5) CHECK (VALUE ~ '^[0-9AB]{5}$')",
                """
                CREATE TABLE every_type (
                  id int PRIMARY KEY, b bool, i2 int2, i4 int4, i8 int8, f4 float4, f8 float8,
                  n numeric(10,2), n_free numeric, m money, t text, vc varchar(5), ch char(3), u uuid,
                  d date, ts timestamp, tstz timestamptz, tm time, tmtz timetz, iv interval,
                  j json, jb jsonb, bin bytea, e housing_kind, code insee_code,
                  t_arr text[], i_arr int[], u_arr uuid[], n_arr numeric[], d_arr date[], tstz_arr timestamptz[],
                  e_arr housing_kind[], fts tsvector, ip inet, doubled int8 GENERATED ALWAYS AS (i4::int8 * 2) STORED
                  %s)
                """.formatted(postgis ? ", geom geometry" : ""),
                """
                INSERT INTO every_type (id, b, i2, i4, i8, f4, f8, n, n_free, m, t, vc, ch, u, d, ts, tstz, tm, tmtz, iv,
                  j, jb, bin, e, code, t_arr, i_arr, u_arr, n_arr, d_arr, tstz_arr, e_arr, fts, ip) VALUES
                (1, true, -32768, 2147483647, -9223372036854775808, 1.5, 0.1, 12345678.91, 3.14159265358979323846,
                 '12.34', 'a, "quoted"' || E'\\n' || 'line; é ✓', 'abcde', 'ab', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
                 '2024-02-29', '2024-03-31 02:30:00.123456', '2024-03-31 02:30:00.5+02', '23:59:59.999999', '10:00:00+02',
                 '1 year 2 months 3 days 04:05:06.789', '{"a": [1, 2]}', '{"status": "Suivi en cours", "n": 1.5}',
                 '\\x00ff10', 'MAISON', '01001', '{"12 RUE DES LILAS","33000 BORDEAUX, \\"centre\\"",NULL}', '{1,2,3}',
                 '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}', '{1.5,2.25}', '{2024-01-01,2019-12-31}',
                 '{"2024-01-01 10:00:00+01"}', '{APPART,l''autre}', to_tsvector('simple', 'rue des lilas'), '192.168.0.1/24'),
                (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                 NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
                (3, false, 0, 0, 0, '-Infinity', 'NaN', -0.01, 0, '0', '', '', '', '00000000-0000-0000-0000-000000000000',
                 'infinity', '1970-01-01 00:00:00', '1969-12-31 23:59:59-12', '00:00:00', '00:00:00-05:30',
                 '-1 days +02:03:00', '[]', '{}', '\\x', 'l''autre', '2A004', '{}', '{}', '{}', '{}', '{}', '{}', '{}',
                 '', '::1')
                """);
        if (postgis) {
            TestPostgres.execute(DATABASE, "UPDATE every_type SET geom = ST_GeomFromText('POINT(2.35 48.85)', 4326) WHERE id = 1");
        }
        settings = TestPostgres.settings(DATABASE)
                .withConnection(TestPostgres.server().host(), TestPostgres.server().port(), DATABASE,
                        TestPostgres.server().adminUser(), Secret.empty())
                .withRequireReadOnlyUser(false)
                .withTables(List.of(ProductionTable.of("every_type")));
        warehouse = Warehouse.inMemory();
        report = new ProductionSync(settings, warehouse).run(List.of(), ProductionSync.Listener.NONE);
    }

    @AfterAll
    static void drop() {
        if (warehouse != null) {
            warehouse.close();
        }
        TestPostgres.drop(DATABASE);
    }

    private static Map<String, Object> row(int id) throws SQLException {
        try (Connection connection = warehouse.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT * FROM production.every_type WHERE id = " + id)) {
            assertThat(rows.next()).isTrue();
            Map<String, Object> values = new LinkedHashMap<>();
            for (int c = 1; c <= rows.getMetaData().getColumnCount(); c++) {
                values.put(rows.getMetaData().getColumnName(c), rows.getObject(c));
            }
            return values;
        }
    }

    private static String text(String sql) throws SQLException {
        try (Connection connection = warehouse.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    /** The first row of a query, each value as DuckDB prints it. */
    private static List<String> firstRow(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = warehouse.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            for (int c = 1; c <= rows.getMetaData().getColumnCount(); c++) {
                values.add(rows.getString(c));
            }
        }
        return values;
    }

    @Test
    void thePlanNamesTheTypesOfTheWarehouseEngine() {
        SourceTable planned = new ProductionSync(settings, warehouse).plan(List.of()).get(0);
        Map<String, ColumnMapping> byName = new LinkedHashMap<>();
        planned.mappings().forEach(mapping -> byName.put(mapping.column().name(), mapping));

        // What `entrepot ingest production --dry-run` prints for a DuckDB warehouse, then for a PostgreSQL one.
        assertThat(byName.get("e").describe(false)).isEqualTo("e housing_kind → ENUM('APPART', 'MAISON', 'l''autre')");
        assertThat(byName.get("e").describe(true)).isEqualTo("e housing_kind → text");
        assertThat(byName.get("code").describe(false)).endsWith("→ VARCHAR");
        assertThat(byName.get("code").describe(true)).endsWith("→ character varying(5)");
        assertThat(byName.get("n").describe(true)).endsWith("→ numeric(10,2)");
        assertThat(byName.get("e_arr").describe(true)).endsWith("→ text[]");
    }

    @Test
    void eachColumnGetsTheMatchingDuckDbType() throws SQLException {
        Map<String, String> types = new LinkedHashMap<>();
        try (Connection connection = warehouse.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT column_name, data_type FROM information_schema.columns"
                     + " WHERE table_schema = 'production' AND table_name = 'every_type' ORDER BY ordinal_position")) {
            while (rows.next()) {
                types.put(rows.getString(1), rows.getString(2));
            }
        }
        assertThat(types).containsEntry("b", "BOOLEAN").containsEntry("i2", "SMALLINT").containsEntry("i4", "INTEGER")
                .containsEntry("i8", "BIGINT").containsEntry("f4", "FLOAT").containsEntry("f8", "DOUBLE")
                .containsEntry("n", "DECIMAL(10,2)").containsEntry("n_free", "DOUBLE").containsEntry("m", "DECIMAL(38,2)")
                .containsEntry("t", "VARCHAR").containsEntry("vc", "VARCHAR").containsEntry("u", "UUID")
                .containsEntry("d", "DATE").containsEntry("ts", "TIMESTAMP").containsEntry("tstz", "TIMESTAMP WITH TIME ZONE")
                .containsEntry("tm", "TIME").containsEntry("tmtz", "TIME WITH TIME ZONE").containsEntry("iv", "INTERVAL")
                .containsEntry("j", "JSON").containsEntry("jb", "JSON").containsEntry("bin", "BLOB")
                .containsEntry("e", "ENUM('APPART', 'MAISON', 'l''autre')").containsEntry("code", "VARCHAR")
                .containsEntry("t_arr", "VARCHAR[]").containsEntry("i_arr", "INTEGER[]").containsEntry("u_arr", "UUID[]")
                .containsEntry("n_arr", "DOUBLE[]").containsEntry("d_arr", "DATE[]")
                .containsEntry("tstz_arr", "TIMESTAMP WITH TIME ZONE[]").containsEntry("e_arr", "VARCHAR[]")
                .containsEntry("fts", "VARCHAR").containsEntry("ip", "VARCHAR").containsEntry("doubled", "BIGINT");
        if (postgis) {
            assertThat(types).containsEntry("geom", "BLOB");
        }
        assertThat(report.tables().get(0).rows()).isEqualTo(3);
    }

    @Test
    void valuesRoundTrip() throws SQLException {
        String sql = "SELECT b, i2, i4, i8, f4, f8, n, n_free, m, t, vc, ch, u::VARCHAR, d::VARCHAR, ts::VARCHAR,"
                + " strftime(tstz AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S.%f'), tm::VARCHAR, tmtz::VARCHAR, iv::VARCHAR,"
                + " j::VARCHAR, jb->>'status', hex(bin), e::VARCHAR, code, t_arr, i_arr, u_arr::VARCHAR, n_arr, d_arr::VARCHAR,"
                + " strftime(tstz_arr[1] AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S'), e_arr, fts, ip, doubled FROM production.every_type WHERE id = 1";
        List<String> values = firstRow(sql);
        assertThat(values).containsExactly("true", "-32768", "2147483647", "-9223372036854775808", "1.5", "0.1",
                "12345678.91", "3.141592653589793", "12.34", "a, \"quoted\"\nline; é ✓", "abcde", "ab ",
                "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "2024-02-29", "2024-03-31 02:30:00.123456",
                "2024-03-31 00:30:00.500000", "23:59:59.999999", "10:00:00+02", "1 year 2 months 3 days 04:05:06.789",
                "{\"a\": [1, 2]}", "Suivi en cours", "00FF10", "MAISON", "01001",
                "[12 RUE DES LILAS, '33000 BORDEAUX, \"centre\"', NULL]", "[1, 2, 3]",
                "[a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11]", "[1.5, 2.25]", "[2024-01-01, 2019-12-31]",
                "2024-01-01 09:00:00", "[APPART, 'l\\'autre']", "'des':2 'lilas':3 'rue':1", "192.168.0.1/24", "4294967294");
        assertThat(text("SELECT t_arr[2] FROM production.every_type WHERE id = 1")).isEqualTo("33000 BORDEAUX, \"centre\"");
        assertThat(text("SELECT t_arr[3] IS NULL FROM production.every_type WHERE id = 1")).isEqualTo("true");
        if (postgis) {
            // Well-known binary of POINT(2.35 48.85): little endian, type 1, then x and y.
            java.nio.ByteBuffer point = java.nio.ByteBuffer.allocate(21).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .put((byte) 1).putInt(1).putDouble(2.35).putDouble(48.85);
            assertThat(text("SELECT hex(geom) FROM production.every_type WHERE id = 1"))
                    .isEqualTo(java.util.HexFormat.of().withUpperCase().formatHex(point.array()));
        }
    }

    @Test
    void nullsStayNullAndEmptyValuesStayEmpty() throws SQLException {
        Map<String, Object> nulls = row(2);
        nulls.forEach((column, value) -> {
            if (!column.equals("id")) {
                assertThat(value).as(column).isNull();
            }
        });
        String sql = "SELECT t = '', vc = '', len(t_arr), len(i_arr), len(u_arr), len(e_arr), f4, f8::VARCHAR, n,"
                + " d::VARCHAR, hex(bin), bin IS NULL, j::VARCHAR, jb::VARCHAR, iv::VARCHAR, tmtz::VARCHAR,"
                + " strftime(tstz AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S'), fts, e::VARCHAR FROM production.every_type WHERE id = 3";
        List<String> values = firstRow(sql);
        assertThat(values).containsExactly("true", "true", "0", "0", "0", "0", "-Infinity", "nan", "-0.01",
                "infinity", "", "false", "[]", "{}", "-1 day 02:03:00", "00:00:00-05:30", "1970-01-01 11:59:59", "",
                "l'autre");
        assertThat(new BigDecimal(values.get(8))).isEqualByComparingTo("-0.01");
    }
}
