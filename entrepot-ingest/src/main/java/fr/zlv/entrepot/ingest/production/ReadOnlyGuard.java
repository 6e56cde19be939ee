package fr.zlv.entrepot.ingest.production;

import fr.zlv.entrepot.core.EntrepotException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Refuses to sync through a session that could change production.
 *
 * <p>Two checks, both before any row is read: the transaction must be read-only (a connection pooler
 * that drops session options would otherwise hand us a writable session), and, unless the settings allow
 * it, the user itself must not be able to write (no superuser, no INSERT, UPDATE, DELETE or TRUNCATE on
 * the tables synced), so a mistaken configuration with an owner's credentials stops here.
 */
final class ReadOnlyGuard {

    private ReadOnlyGuard() {
    }

    static void check(Connection connection, List<String> qualifiedTables, boolean requireReadOnlyUser)
            throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(
                     "SELECT current_setting('transaction_read_only'), current_user,"
                             + " (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)")) {
            result.next();
            String user = result.getString(2);
            if (!"on".equals(result.getString(1))) {
                throw EntrepotException.failed("The production session of user '" + user + "' is not read-only"
                                + " (transaction_read_only is off): the sync refuses to read through it.",
                        "Connect to PostgreSQL directly or through a pooler that keeps session options;"
                                + " the sync sets default_transaction_read_only=on when it connects.", null);
            }
            if (!requireReadOnlyUser) {
                return;
            }
            List<String> writable = new ArrayList<>();
            if (result.getBoolean(3)) {
                writable.add("superuser");
            }
            try (PreparedStatement privileges = connection.prepareStatement(
                    "SELECT t FROM unnest(?::text[]) AS t"
                            + " WHERE has_table_privilege(to_regclass(t), 'INSERT, UPDATE, DELETE, TRUNCATE')")) {
                privileges.setArray(1, connection.createArrayOf("text", qualifiedTables.toArray()));
                try (ResultSet tables = privileges.executeQuery()) {
                    while (tables.next()) {
                        writable.add("may write to " + tables.getString(1));
                    }
                }
            }
            if (!writable.isEmpty()) {
                String shown = writable.size() > 4
                        ? String.join(", ", writable.subList(0, 4)) + " and " + (writable.size() - 4) + " more"
                        : String.join(", ", writable);
                throw EntrepotException.badInput("The production user '" + user + "' can change production ("
                                + shown + "): the sync refuses a user that can write.",
                        "Use a user with SELECT only (POSTGRES_PRODUCTION_READONLY_USER). To accept the risk,"
                                + " set production.require_read_only_user: false; sessions stay read-only.");
            }
        }
    }
}
