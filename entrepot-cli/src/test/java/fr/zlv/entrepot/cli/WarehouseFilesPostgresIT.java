package fr.zlv.entrepot.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import fr.zlv.entrepot.dbt.DbtEngine;
import fr.zlv.entrepot.dbt.graph.ResourceType;
import fr.zlv.entrepot.dbt.run.NodeResult;
import fr.zlv.entrepot.demo.PostgresLocator;
import fr.zlv.entrepot.demo.PostgresServer;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The yearly-file side of the warehouse's dbt project on PostgreSQL: the hand-made raw tables of
 * {@link WarehouseFilesModelsTest} (LOVAC, land files, reference files, admin cuts, the production staging the
 * analysis reads) copied into a PostgreSQL database with their DuckDB types, the same models built on both engines,
 * and every model compared: its row count, the count of true values of each boolean column and the sum of each
 * numeric column.
 */
class WarehouseFilesPostgresIT {

    private static final List<String> SELECTION = List.of("path:models/staging/lovac", "path:models/staging/ff",
            "path:models/staging/external", "path:models/staging/admin", "path:models/intermediate/lovac",
            "path:models/intermediate/analysis", "path:models/marts/analysis", "path:models/marts/admin");

    @TempDir
    Path workspace;

    @Test
    void theYearlyFileModelsBuildOnPostgresqlWithTheFiguresOfDuckdb() throws Exception {
        Path duckdb = workspace.resolve("files.duckdb");
        WarehouseFilesModelsTest.createRawTables(duckdb);

        PostgresServer server = PostgresLocator.find(System.getenv("ENTREPOT_TEST_POSTGRES_URL"),
                Path.of("target", "embedded-pg"));
        String name = "warehouse_files_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (Connection admin = server.connect("postgres"); Statement sql = admin.createStatement()) {
            sql.execute("create database " + name);
        }
        try {
            copyRawTables(duckdb, server, name);

            Map<String, String> duckEnvironment = new LinkedHashMap<>(System.getenv());
            duckEnvironment.put("ENTREPOT_WAREHOUSE", duckdb.toString());
            duckEnvironment.put("ENTREPOT_PII_KEY", "a test key for the pseudonyms");
            List<String> models = build(copyProject("duckdb"), null, duckEnvironment);

            Path profiles = Files.createDirectories(workspace.resolve("profiles"));
            Files.writeString(profiles.resolve("profiles.yml"), "entrepot:\n  target: pg\n  outputs:\n    pg:\n"
                    + "      type: postgres\n      host: " + server.host() + "\n      port: " + server.port() + "\n"
                    + "      user: " + server.adminUser() + "\n"
                    + "      password: \"{{ env_var('ENTREPOT_TEST_PG_PASSWORD', '') }}\"\n"
                    + "      dbname: " + name + "\n      schema: public\n      threads: 2\n");
            Map<String, String> pgEnvironment = new LinkedHashMap<>(System.getenv());
            pgEnvironment.put("ENTREPOT_PII_KEY", "a test key for the pseudonyms");
            pgEnvironment.put("ENTREPOT_TEST_PG_PASSWORD", password(server, name));
            List<String> pgModels = build(copyProject("postgres"), profiles, pgEnvironment);
            assertThat(pgModels).containsExactlyInAnyOrderElementsOf(models).hasSizeGreaterThan(20);

            try (Connection duck = DriverManager.getConnection("jdbc:duckdb:" + duckdb);
                 Connection pg = server.connect(name)) {
                for (String model : models) {
                    String relation = relation(pg, model);
                    Map<String, Object> onPostgres = figures(pg, pg, relation);
                    Map<String, Object> onDuckdb = figures(pg, duck, relation);
                    assertThat(onPostgres.keySet()).as(model).containsExactlyElementsOf(onDuckdb.keySet());
                    onDuckdb.forEach((figure, value) -> {
                        Object other = onPostgres.get(figure);
                        if (value == null || other == null) {
                            assertThat(other).as(model + " " + figure).isEqualTo(value);
                        } else {
                            assertThat(((Number) other).doubleValue()).as(model + " " + figure)
                                    .isCloseTo(((Number) value).doubleValue(), within(1e-6 * Math.max(1,
                                            Math.abs(((Number) value).doubleValue()))));
                        }
                    });
                }
                // Not a comparison of empty relations: the analysis has vacant housings and exits.
                try (Statement sql = pg.createStatement(); ResultSet exits = sql.executeQuery(
                        "select count(*), count(*) filter (where is_out_of_vacancy) from int.int_analysis_housing_out")) {
                    exits.next();
                    assertThat(exits.getLong(1)).isGreaterThan(exits.getLong(2));
                    assertThat(exits.getLong(2)).isPositive();
                }
            }
        } finally {
            try (Connection admin = server.connect("postgres"); Statement sql = admin.createStatement()) {
                sql.execute("drop database if exists " + name + " with (force)");
            }
        }
    }

    /** Builds the selection (models and their data tests); every node must pass. Returns the models built. */
    private static List<String> build(Path project, Path profiles, Map<String, String> environment) {
        List<String> console = new ArrayList<>();
        DbtEngine.Options options = DbtEngine.Options.of(project).withEnvironment(environment).withConsole(console::add);
        try (DbtEngine dbt = DbtEngine.load(profiles == null ? options : options.withProfilesDir(profiles))) {
            DbtEngine.CommandResult result = dbt.build(DbtEngine.Selection.of(SELECTION.toArray(String[]::new)));
            List<String> failed = result.results().stream().filter(NodeResult::failed)
                    .map(r -> r.node().name() + ": " + r.message()).toList();
            assertThat(failed).as(String.join("\n", console)).isEmpty();
            return result.results().stream().filter(r -> r.node().type() == ResourceType.MODEL)
                    .map(r -> r.node().name()).toList();
        }
    }

    /** The schema-qualified relation a model was built as (its schema read from PostgreSQL's catalog). */
    private static String relation(Connection pg, String model) throws SQLException {
        try (PreparedStatement find = pg.prepareStatement("select table_schema from information_schema.tables"
                + " where table_name = ? and table_schema <> 'public'")) {
            find.setString(1, model);
            try (ResultSet schema = find.executeQuery()) {
                assertThat(schema.next()).as(model).isTrue();
                return schema.getString(1) + "." + model;
            }
        }
    }

    /**
     * A relation's figures on one engine: its row count, the true values of each boolean column, the sum of each
     * numeric column (the columns as PostgreSQL's catalog lists them).
     */
    private static Map<String, Object> figures(Connection pg, Connection engine, String relation) throws SQLException {
        List<String> expressions = new ArrayList<>(List.of("count(*)"));
        List<String> labels = new ArrayList<>(List.of("rows"));
        String[] parts = relation.split("\\.");
        try (PreparedStatement columns = pg.prepareStatement("select column_name, data_type from"
                + " information_schema.columns where table_schema = ? and table_name = ? order by ordinal_position")) {
            columns.setString(1, parts[0]);
            columns.setString(2, parts[1]);
            try (ResultSet column = columns.executeQuery()) {
                while (column.next()) {
                    String quoted = "\"" + column.getString(1) + "\"";
                    switch (column.getString(2)) {
                        case "boolean" -> expressions.add("count(*) filter (where " + quoted + ")");
                        case "integer", "bigint", "smallint", "numeric", "double precision", "real" ->
                                expressions.add("cast(sum(" + quoted + ") as double precision)");
                        default -> {
                            continue;
                        }
                    }
                    labels.add(column.getString(1));
                }
            }
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        try (Statement sql = engine.createStatement(); ResultSet row = sql.executeQuery(
                "select " + String.join(", ", expressions) + " from " + relation)) {
            row.next();
            for (int i = 0; i < labels.size(); i++) {
                figures.put(labels.get(i), row.getObject(i + 1));
            }
        }
        return figures;
    }

    /** Copies every table of the DuckDB file into the PostgreSQL database: same schemas, tables and types, lower-case column names. */
    private static void copyRawTables(Path duckdb, PostgresServer server, String database) throws SQLException {
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:" + duckdb);
             Connection pg = server.connect(database);
             Statement tables = duck.createStatement();
             ResultSet table = tables.executeQuery("select table_schema, table_name from information_schema.tables"
                     + " where table_type = 'BASE TABLE' order by 1, 2")) {
            while (table.next()) {
                String qualified = table.getString(1) + "." + table.getString(2);
                List<String> names = new ArrayList<>();
                List<String> types = new ArrayList<>();
                try (PreparedStatement columns = duck.prepareStatement("select column_name, data_type from"
                        + " information_schema.columns where table_schema = ? and table_name = ? order by ordinal_position")) {
                    columns.setString(1, table.getString(1));
                    columns.setString(2, table.getString(2));
                    try (ResultSet column = columns.executeQuery()) {
                        while (column.next()) {
                            // Lower-case, as PostgreSQL folds the models' unquoted names (DuckDB ignores case).
                            names.add("\"" + column.getString(1).toLowerCase(java.util.Locale.ROOT) + "\"");
                            types.add(postgresType(column.getString(2)));
                        }
                    }
                }
                try (Statement sql = pg.createStatement()) {
                    sql.execute("create schema if not exists " + table.getString(1));
                    List<String> definitions = new ArrayList<>();
                    for (int c = 0; c < names.size(); c++) {
                        definitions.add(names.get(c) + " " + types.get(c));
                    }
                    sql.execute("create table " + qualified + " (" + String.join(", ", definitions) + ")");
                }
                try (Statement read = duck.createStatement();
                     ResultSet rows = read.executeQuery("select * from " + qualified);
                     PreparedStatement insert = pg.prepareStatement("insert into " + qualified + " values ("
                             + types.stream().map(type -> "cast(? as " + type + ")").collect(Collectors.joining(", "))
                             + ")")) {
                    while (rows.next()) {
                        for (int c = 1; c <= names.size(); c++) {
                            insert.setString(c, rows.getString(c));
                        }
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
            }
        }
    }

    /** PostgreSQL's name of a DuckDB column type of the raw tables (text for any other). */
    private static String postgresType(String duckdbType) {
        return switch (duckdbType) {
            case "BIGINT", "INTEGER", "SMALLINT", "BOOLEAN", "DATE", "UUID", "TIMESTAMP" -> duckdbType.toLowerCase();
            case "DOUBLE" -> "double precision";
            case "TIMESTAMP WITH TIME ZONE" -> "timestamptz";
            default -> duckdbType.startsWith("DECIMAL") ? duckdbType.toLowerCase().replace("decimal", "numeric") : "text";
        };
    }

    private static String password(PostgresServer server, String database) {
        String url = server.jdbcUrlWithCredentials(database);
        int at = url.indexOf("&password=");
        return at < 0 ? "" : URLDecoder.decode(url.substring(at + "&password=".length()), StandardCharsets.UTF_8);
    }

    private Path copyProject(String name) throws IOException {
        Path source = Path.of("..", "warehouse", "dbt");
        Path target = workspace.resolve(name);
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path path : walk.filter(path -> !source.relativize(path).toString().startsWith("target")).toList()) {
                Path copy = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(path, copy);
                }
            }
        }
        return target;
    }
}
