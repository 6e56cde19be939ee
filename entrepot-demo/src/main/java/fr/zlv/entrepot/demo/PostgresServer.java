package fr.zlv.entrepot.demo;

import fr.zlv.entrepot.core.settings.Secret;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A PostgreSQL server the demo may administer (create a database and a role), and how it was found.
 * Closing it stops the server when the demo started it (embedded); a server found running is left alone.
 */
public class PostgresServer implements AutoCloseable {

    private final String host;
    private final int port;
    private final String adminUser;
    private final Secret adminPassword;
    private final String description;

    public PostgresServer(String host, int port, String adminUser, Secret adminPassword, String description) {
        this.host = host;
        this.port = port;
        this.adminUser = adminUser;
        this.adminPassword = adminPassword;
        this.description = description;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String adminUser() {
        return adminUser;
    }

    /** How the server was found, for messages: "PostgreSQL 15.4 at 127.0.0.1:5432". */
    public String description() {
        return description;
    }

    /** The same server and administrator, with another description. */
    public PostgresServer describedAs(String newDescription) {
        return new PostgresServer(host, port, adminUser, adminPassword, newDescription);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** The URL with the administrator's credentials in it, for tools that take one URL (never printed). */
    public String jdbcUrlWithCredentials(String database) {
        String url = jdbcUrl(database) + "?user=" + java.net.URLEncoder.encode(adminUser, java.nio.charset.StandardCharsets.UTF_8);
        return adminPassword.isEmpty() ? url
                : url + "&password=" + java.net.URLEncoder.encode(adminPassword.reveal(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A connection to {@code database} as the administrator. */
    public Connection connect(String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", adminUser);
        if (!adminPassword.isEmpty()) {
            properties.setProperty("password", adminPassword.reveal());
        }
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("ApplicationName", "entrepot-demo");
        return DriverManager.getConnection(jdbcUrl(database), properties);
    }

    /** True when this process started the server and stops it on {@link #close()}. */
    public boolean embedded() {
        return false;
    }

    @Override
    public void close() {
        // A server found running belongs to someone else.
    }
}
