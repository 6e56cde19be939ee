package fr.zlv.entrepot.demo.production;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.settings.Secret;
import fr.zlv.entrepot.demo.DemoRandom;
import fr.zlv.entrepot.demo.PostgresServer;
import fr.zlv.entrepot.demo.territory.Departement;
import fr.zlv.entrepot.demo.territory.Territory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Creates the demo's copy of the production database: a fresh database on a PostgreSQL server, the
 * tables of the application, synthetic rows shaped like the real ones, keys and foreign keys, and a
 * read-only role for the warehouse's sync.
 *
 * <p>Steps: (1) drop and create the database; (2) create the tables, {@code fast_housing} partitioned
 * by département; (3) fill the tables with COPY, several at once; (4) add keys and foreign keys, then
 * ANALYZE; (5) create the read-only role {@value #READONLY_ROLE} with SELECT on every table.
 */
public final class ProductionDatabase {

    /** The role the warehouse reads the demo database with: SELECT only. */
    public static final String READONLY_ROLE = "zlv_readonly";
    public static final Secret READONLY_PASSWORD = Secret.of("zlv_readonly");

    /** The demo's reference date: events and dates are placed before it, so a seed always gives the same rows. */
    public static final LocalDate DEFAULT_AS_OF = LocalDate.of(2026, 11, 1);

    /**
     * @param housings    rows of fast_housing; the other tables follow (about 5 rows in all per housing)
     * @param seed        the same seed gives the same rows
     * @param asOf        the date the data describes
     * @param parallelism tables filled at once
     */
    public record Options(long housings, long seed, LocalDate asOf, int parallelism) {
        public Options {
            if (housings < 100) {
                throw EntrepotException.badInput("The demo needs at least 100 housings (got " + housings + ").", null);
            }
            if (parallelism < 1) {
                throw EntrepotException.badInput("Parallelism must be at least 1.", null);
            }
        }

        public static Options of(long housings, long seed) {
            return new Options(housings, seed, DEFAULT_AS_OF, Math.max(2, Runtime.getRuntime().availableProcessors()));
        }
    }

    /** What was created: the database, the rows of each table, and the user to read it with. */
    public record Result(String database, Map<String, Long> rows, long millis, boolean postgis,
                         String readOnlyUser, Secret readOnlyPassword) {
        @com.fasterxml.jackson.annotation.JsonProperty
        public long totalRows() {
            return rows.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Told of the work as it goes; all methods may be called from several threads. */
    public interface Progress {
        void step(String description, long expectedRows);

        void rows(long count);

        Progress NONE = new Progress() {
            @Override
            public void step(String description, long expectedRows) {
            }

            @Override
            public void rows(long count) {
            }
        };
    }

    private ProductionDatabase() {
    }

    public static Result create(PostgresServer server, String database, Options options, Progress progress) {
        if (!database.matches("[a-z_][a-z0-9_]*")) {
            throw EntrepotException.badInput("Database name '" + database + "' must be lower-case letters, digits"
                    + " and underscores.", null);
        }
        long started = System.nanoTime();
        try {
            progress.step("Creating database " + database + " on " + server.description(), 0);
            recreateDatabase(server, database);
            boolean postgis = createTables(server, database, options);

            World world = new World(new DemoRandom(options.seed()), options.housings(), options.asOf());
            progress.step("Generating rows", Math.round(options.housings() * 4.5));
            AtomicLong written = new AtomicLong();
            ProductionTables tables = new ProductionTables(world, () -> server.connect(database), postgis, count -> {
                if (written.incrementAndGet() % 1000 == 0) {
                    progress.rows(1000);
                }
            });
            Map<String, Long> rows = fill(tables, options.parallelism());

            progress.step("Adding keys and foreign keys", 0);
            runScript(server, database, "production-constraints.sql", null);
            try (Connection connection = server.connect(database); Statement statement = connection.createStatement()) {
                statement.execute("ANALYZE");
            }
            progress.step("Creating the read-only role " + READONLY_ROLE, 0);
            createReadOnlyRole(server, database);
            return new Result(database, rows, (System.nanoTime() - started) / 1_000_000, postgis, READONLY_ROLE,
                    READONLY_PASSWORD);
        } catch (SQLException e) {
            throw EntrepotException.failed("Creating the demo database " + database + " on " + server.description()
                    + " failed: " + e.getMessage(), null, e);
        }
    }

    private static void recreateDatabase(PostgresServer server, String database) throws SQLException {
        try (Connection connection = server.connect("postgres"); Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + database);
        }
    }

    /** Creates the tables; returns true when geometry columns use PostGIS. */
    private static boolean createTables(PostgresServer server, String database, Options options) throws SQLException {
        boolean postgis = false;
        try (Connection connection = server.connect(database); Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery(
                    "SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")) {
                if (rows.next()) {
                    statement.execute("CREATE EXTENSION IF NOT EXISTS postgis");
                    postgis = true;
                }
            } catch (SQLException e) {
                postgis = false;
            }
        }
        runScript(server, database, "production-schema.sql", postgis ? "geometry" : "bytea");
        try (Connection connection = server.connect(database); Statement statement = connection.createStatement()) {
            for (Departement departement : Territory.generate(new DemoRandom(options.seed()), options.housings()).departements()) {
                String code = departement.code();
                statement.execute("CREATE TABLE fast_housing_" + code.toLowerCase() + " PARTITION OF fast_housing"
                        + " FOR VALUES FROM ('" + code + "000') TO ('" + code + "999')");
            }
            statement.execute("CREATE TABLE fast_housing_default PARTITION OF fast_housing DEFAULT");
        }
        return postgis;
    }

    private static Map<String, Long> fill(ProductionTables tables, int parallelism) throws SQLException {
        List<ProductionTableJob> jobs = List.of(
                () -> {
                    Map<String, Long> counts = new TreeMap<>(tables.establishmentsAndUsers());
                    counts.putAll(tables.groupsCampaignsAndPerimeters());
                    return counts;
                },
                tables::housing, tables::ownersHousing, tables::owners, tables::events, tables::buildings,
                tables::notes);
        ExecutorService pool = Executors.newFixedThreadPool(parallelism, runnable -> {
            Thread thread = new Thread(runnable, "demo-generator");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Map<String, Long>>> futures = new ArrayList<>();
            for (ProductionTableJob job : jobs) {
                futures.add(pool.submit(job::run));
            }
            Map<String, Long> rows = new TreeMap<>();
            for (Future<Map<String, Long>> future : futures) {
                rows.putAll(future.get());
            }
            return rows;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private interface ProductionTableJob {
        Map<String, Long> run() throws SQLException;
    }

    private static void runScript(PostgresServer server, String database, String resource, String geometry)
            throws SQLException {
        String sql;
        try (InputStream in = ProductionDatabase.class.getResourceAsStream("/fr/zlv/entrepot/demo/" + resource)) {
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("The demo resource " + resource + " is missing from the jar", e);
        }
        if (geometry != null) {
            sql = sql.replace("{{GEOMETRY}}", geometry);
        }
        try (Connection connection = server.connect(database); Statement statement = connection.createStatement()) {
            for (String command : sql.replaceAll("(?m)^--.*$", "").split(";")) {
                if (!command.isBlank()) {
                    statement.execute(command);
                }
            }
        }
    }

    private static void createReadOnlyRole(PostgresServer server, String database) throws SQLException {
        try (Connection connection = server.connect(database); Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery(
                    "SELECT 1 FROM pg_roles WHERE rolname = '" + READONLY_ROLE + "'")) {
                if (!rows.next()) {
                    statement.execute("CREATE ROLE " + READONLY_ROLE + " LOGIN PASSWORD '"
                            + READONLY_PASSWORD.reveal() + "'");
                }
            }
            statement.execute("ALTER ROLE " + READONLY_ROLE + " SET default_transaction_read_only = on");
            statement.execute("GRANT CONNECT ON DATABASE " + database + " TO " + READONLY_ROLE);
            statement.execute("GRANT USAGE ON SCHEMA public TO " + READONLY_ROLE);
            statement.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + READONLY_ROLE);
        }
    }
}
