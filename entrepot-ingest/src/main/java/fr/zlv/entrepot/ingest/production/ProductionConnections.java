package fr.zlv.entrepot.ingest.production;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.settings.ProductionSettings;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Opens sessions on the production database that cannot write: every session starts with
 * {@code default_transaction_read_only=on}, in UTC and ISO date style (so values cross as DuckDB reads
 * them), and without the statement or idle timeouts that would cut a long read.
 *
 * <p>Connection failures become one message each: server unreachable, unknown host, user or password
 * refused, no such database; the password never appears in them.
 */
public final class ProductionConnections {

    /** The session settings of every sync connection (also given to psql by the benchmark, for a fair floor). */
    public static final String SESSION_OPTIONS = "-c default_transaction_read_only=on -c TimeZone=UTC"
            + " -c DateStyle=ISO,YMD -c IntervalStyle=postgres -c extra_float_digits=3 -c statement_timeout=0"
            + " -c idle_in_transaction_session_timeout=0";

    private final ProductionSettings settings;

    public ProductionConnections(ProductionSettings settings) {
        this.settings = settings;
    }

    String where() {
        return settings.host() + ":" + settings.port();
    }

    Connection open() {
        Properties properties = new Properties();
        properties.setProperty("user", settings.user());
        if (!settings.password().isEmpty()) {
            properties.setProperty("password", settings.password().reveal());
        }
        properties.setProperty("sslmode", settings.sslMode());
        properties.setProperty("connectTimeout", String.valueOf(settings.connectTimeoutSeconds()));
        properties.setProperty("ApplicationName", "entrepot-production-sync");
        properties.setProperty("options", SESSION_OPTIONS);
        properties.setProperty("readOnly", "true");
        properties.setProperty("readOnlyMode", "always");
        try {
            Connection connection = DriverManager.getConnection(settings.jdbcUrl(), properties);
            connection.setAutoCommit(false);
            return connection;
        } catch (SQLException e) {
            throw explain(e);
        }
    }

    EntrepotException explain(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        Throwable cause = e.getCause();
        String server = "the production PostgreSQL at " + where();
        if (cause instanceof UnknownHostException) {
            return EntrepotException.failed("Unknown host '" + settings.host() + "' for the production PostgreSQL.",
                    "Check POSTGRES_PRODUCTION_DB (production.host).", e);
        }
        if (cause instanceof ConnectException || cause instanceof NoRouteToHostException
                || cause instanceof SocketTimeoutException || state.equals("08001")) {
            return EntrepotException.failed("Cannot reach " + server + ": " + firstLine(e) + ".",
                    "Check POSTGRES_PRODUCTION_DB and POSTGRES_PRODUCTION_PORT (production.host, production.port),"
                            + " that the server runs and accepts connections from this machine.", e);
        }
        if (state.equals("28P01") || state.equals("28000")) {
            return EntrepotException.failed(capitalise(server) + " refused user '" + settings.user()
                            + "': wrong password, or no such user.",
                    "Check POSTGRES_PRODUCTION_READONLY_USER and POSTGRES_PRODUCTION_READONLY_PASSWORD.", e);
        }
        if (state.equals("3D000")) {
            return EntrepotException.failed("There is no database '" + settings.database() + "' on " + server + ".",
                    "Check POSTGRES_PRODUCTION_DB_NAME (production.database).", e);
        }
        return EntrepotException.failed(capitalise(server) + " answered with an error: " + firstLine(e) + ".", null, e);
    }

    private static String capitalise(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    private static String firstLine(SQLException e) {
        String message = String.valueOf(e.getMessage());
        int end = message.indexOf('\n');
        return (end < 0 ? message : message.substring(0, end)).replaceAll("\\.$", "");
    }
}
