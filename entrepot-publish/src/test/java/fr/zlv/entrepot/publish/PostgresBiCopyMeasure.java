package fr.zlv.entrepot.publish;

import fr.zlv.entrepot.core.settings.WarehouseSettings;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import fr.zlv.entrepot.demo.PostgresLocator;
import fr.zlv.entrepot.demo.PostgresServer;
import fr.zlv.entrepot.publish.PublishPlan.PublishedTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A one-off measure (not a test): the BI-file publication of a PostgreSQL warehouse's ~1M-row marts through
 * COPY csv → read_csv and through JDBC → appender. Creates and drops its own database.
 *
 * <pre>java -cp ... fr.zlv.entrepot.publish.PostgresBiCopyMeasure [rows]</pre>
 */
public final class PostgresBiCopyMeasure {

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        PostgresServer server = PostgresLocator.find(System.getenv("ENTREPOT_TEST_POSTGRES_URL"),
                Path.of("target", "embedded-pg"));
        String database = "entrepot_measure_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        try (Connection admin = server.connect("postgres"); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        Path directory = Files.createTempDirectory("entrepot-measure-");
        try (Warehouse warehouse = Warehouse.open(new WarehouseSettings(server.jdbcUrlWithCredentials(database),
                null, null, null))) {
            warehouse.execute("CREATE SCHEMA marts");
            // Scalars as a housing mart has them (8 columns), and the same with a text[] and a jsonb column.
            warehouse.execute("CREATE TABLE marts.marts_scalars AS SELECT g::bigint AS housing_id,"
                    + " (g % 35000)::int AS commune_id, 'Commune n°' || (g % 35000) || ', \"centre\"' AS label,"
                    + " (g * 1.25)::numeric(12,2) AS amount, (g % 997) / 7.0::float8 AS score,"
                    + " DATE '2020-01-01' + (g % 1500) AS day, TIMESTAMP '2024-01-01' + g * INTERVAL '1 second' AS at,"
                    + " g % 2 = 0 AS vacant FROM generate_series(1, " + rows + ") g");
            warehouse.execute("CREATE TABLE marts.marts_nested AS SELECT g::bigint AS housing_id,"
                    + " ARRAY['owner ' || (g % 10), 'b'] AS tags, jsonb_build_object('k', g) AS doc,"
                    + " (g % 35000)::int AS commune_id FROM generate_series(1, " + rows + ") g");
            warehouse.execute("VACUUM ANALYZE marts.marts_scalars");
            warehouse.execute("VACUUM ANALYZE marts.marts_nested");
            for (String mart : List.of("marts_scalars", "marts_nested")) {
                PublishPlan plan = new PublishPlan(directory.resolve("publish.yml"), "marts",
                        List.of(new PublishedTable(mart, mart.replace("marts_", ""), false)));
                for (int round = 1; round <= 2; round++) {
                    for (PostgresMarts.Transfer transfer : PostgresMarts.Transfer.values()) {
                        Path bi = directory.resolve(transfer + ".duckdb");
                        long started = System.nanoTime();
                        PublicationReport report = new BiFilePublisher(Clock.systemUTC(), BiFilePublisher.Listener.NONE,
                                transfer).publish(warehouse, plan, PublicationGate.OPEN, bi);
                        double seconds = (System.nanoTime() - started) / 1e9;
                        System.out.printf(Locale.ROOT, "%s round %d %-8s %,d rows in %.2f s (%,.0f rows/s), file %d MB%n",
                                mart, round, transfer, report.rows(), seconds, report.rows() / seconds,
                                Files.size(bi) >> 20);
                    }
                }
            }
        } finally {
            try (Connection admin = server.connect("postgres"); Statement statement = admin.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
            try (var files = Files.walk(directory)) {
                for (Path path : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
            server.close();
        }
    }
}
