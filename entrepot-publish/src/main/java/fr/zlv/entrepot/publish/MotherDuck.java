package fr.zlv.entrepot.publish;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.warehouse.TableName;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the whole warehouse to a MotherDuck database ({@code CREATE OR REPLACE DATABASE ... FROM}), when
 * {@code MD_TOKEN} is set and DuckDB's motherduck extension can be loaded. The extension is downloaded, so offline
 * it cannot: the copy is then skipped with a message and the rest of the publication goes on. The token never
 * appears in a message.
 */
public final class MotherDuck {

    /** The target's name in reports and on the command line. */
    public static final String TARGET = "motherduck";

    private static final Logger LOG = LoggerFactory.getLogger(MotherDuck.class);

    private MotherDuck() {
    }

    public static PublicationReport copy(Warehouse warehouse, String database, String token) {
        DuckdbOnly.require(warehouse, TARGET, "a copy of the whole warehouse to MotherDuck", "MotherDuck copies DuckDB"
                + " databases: publish the BI file to it instead, or use the PostgreSQL database's own replicas"
                + " (pg_dump, logical replication).");
        if (token == null || token.isBlank()) {
            return PublicationReport.skipped(TARGET, "MD_TOKEN is not set: no copy to MotherDuck");
        }
        long started = System.nanoTime();
        try (Connection connection = warehouse.connect()) {
            String problem = load(connection);
            if (problem != null) {
                String why = "the motherduck extension cannot be loaded: " + hide(problem, token)
                        + "; the rest of the publication goes on";
                LOG.warn("MotherDuck copy skipped: {}", why);
                return PublicationReport.skipped(TARGET, why);
            }
            String source = DuckStatements.string(connection, "SELECT current_database()");
            DuckStatements.execute(connection, "SET motherduck_token = '" + token.replace("'", "''") + "'");
            DuckStatements.execute(connection, "ATTACH 'md:'");
            DuckStatements.execute(connection, "CREATE OR REPLACE DATABASE " + TableName.quote(database) + " FROM "
                    + TableName.quote(source));
            LOG.info("Copied the warehouse {} to MotherDuck database {}", warehouse.location(), database);
            return new PublicationReport(TARGET, "md:" + database, "", List.of(), 0,
                    (System.nanoTime() - started) / 1e9, null);
        } catch (SQLException e) {
            throw EntrepotException.failed("Cannot copy the warehouse to the MotherDuck database " + database + ": "
                    + hide(e.getMessage(), token), "Check MD_TOKEN and the network; the other targets are not affected.",
                    null);
        }
    }

    /** Loads the extension, installing it first when needed; the error that stopped it, or null. */
    private static String load(Connection connection) {
        try {
            DuckStatements.execute(connection, "LOAD motherduck");
            return null;
        } catch (SQLException notInstalled) {
            try {
                DuckStatements.execute(connection, "INSTALL motherduck");
                DuckStatements.execute(connection, "LOAD motherduck");
                return null;
            } catch (SQLException e) {
                return BiFilePublisher.firstLine(e.getMessage());
            }
        }
    }

    private static String hide(String message, String token) {
        return String.valueOf(message).replace(token, "***");
    }
}
