package fr.zlv.entrepot.orchestrator.privacy;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.publish.PublicationGate;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The publication's PII gate: a table may leave the warehouse only when the privacy check finds nothing in it
 * (no column classified as personal data, none unclassified, no values that look personal).
 */
public final class PrivacyGate implements PublicationGate {

    private final PrivacyCheck check;
    private final Connection connection;

    /** @param connection a connection to the warehouse the tables are published from */
    public PrivacyGate(PrivacyCheck check, Connection connection) {
        this.check = check;
        this.connection = connection;
    }

    @Override
    public List<String> problems(String schema, String table) {
        try {
            return check.checkTable(connection, schema, table).stream()
                    .map(finding -> finding.qualifiedColumn() + ": " + finding.rule().code() + " (" + finding.detail() + ")")
                    .toList();
        } catch (SQLException e) {
            throw EntrepotException.failed("The privacy check of " + schema + "." + table + " failed: " + e.getMessage(),
                    "Check that the table exists in the warehouse.", e);
        }
    }
}
