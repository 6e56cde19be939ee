package fr.zlv.entrepot.orchestrator.store;

import fr.zlv.entrepot.core.EntrepotException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a store's schema to the latest version this code knows: the migrations not yet listed in
 * {@code schema_version} run in order, all in one transaction with their rows in {@code schema_version}, so a store is
 * always at one version or the next. Processes opening the same store at once take turns (SQLite's write lock, a
 * PostgreSQL advisory lock), so each migration runs once.
 */
final class SchemaMigrator {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);

    private SchemaMigrator() {
    }

    /**
     * @param schema the PostgreSQL schema holding the store (created if missing); null for SQLite
     * @return the version the store is at
     */
    static int migrate(Connection connection, StoreDialect dialect, String schema, List<Migration> migrations,
                       String location) throws SQLException {
        int latest = migrations.isEmpty() ? 0 : migrations.get(migrations.size() - 1).version();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            if (dialect == StoreDialect.POSTGRESQL) {
                // Released at commit; a second process opening the store waits here, then finds the work done.
                statement.execute("SELECT pg_advisory_xact_lock(hashtext('entrepot run store " + schema + "'))");
                statement.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
            }
            statement.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY,"
                    + " description TEXT NOT NULL, applied_at BIGINT NOT NULL)");
            int current = currentVersion(statement);
            if (current > latest) {
                throw EntrepotException.failed("The run store at " + location + " is at schema version " + current
                                + ", newer than this Entrepôt knows (version " + latest + ").",
                        "A newer Entrepôt has upgraded this store: run that version, or point "
                                + RunStores.URL_VARIABLE + " at another store.", null);
            }
            for (Migration migration : migrations) {
                if (migration.version() > current) {
                    apply(connection, statement, migration);
                }
            }
            connection.commit();
            if (current < latest) {
                LOG.info("Run store at {} migrated from schema version {} to {}", location, current, latest);
            }
            return Math.max(current, latest);
        } catch (SQLException | RuntimeException e) {
            JdbcRunStore.rollback(connection, e);
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    static int currentVersion(Statement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static void apply(Connection connection, Statement statement, Migration migration) throws SQLException {
        LOG.debug("Applying run store migration V{} ({})", migration.version(), migration.description());
        for (String sql : migration.statements()) {
            try {
                statement.execute(sql);
            } catch (SQLException e) {
                throw new SQLException("migration V" + migration.version() + " (" + migration.description()
                        + ") failed on `" + sql.lines().findFirst().orElse(sql) + "`: " + e.getMessage(),
                        e.getSQLState(), e);
            }
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)")) {
            insert.setInt(1, migration.version());
            insert.setString(2, migration.description());
            insert.setLong(3, Nanos.of(Instant.now()));
            insert.executeUpdate();
        }
    }
}
