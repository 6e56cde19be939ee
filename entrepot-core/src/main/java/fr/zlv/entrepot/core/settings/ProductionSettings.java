package fr.zlv.entrepot.core.settings;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** The production PostgreSQL database the daily sync reads, and what it copies. */
public record ProductionSettings(
        @JsonPropertyDescription("Host name or address (POSTGRES_PRODUCTION_DB).")
        String host,
        @JsonPropertyDescription("Port (POSTGRES_PRODUCTION_PORT).")
        Integer port,
        @JsonPropertyDescription("Database name (POSTGRES_PRODUCTION_DB_NAME).")
        String database,
        @JsonPropertyDescription("A user that can only read (POSTGRES_PRODUCTION_READONLY_USER).")
        String user,
        @JsonPropertyDescription("Its password (POSTGRES_PRODUCTION_READONLY_PASSWORD); masked wherever settings print.")
        Secret password,
        @JsonPropertyDescription("PostgreSQL sslmode: disable, allow, prefer, require, verify-ca, verify-full.")
        String sslMode,
        @JsonPropertyDescription("Schema of the production tables.")
        String schema,
        @JsonPropertyDescription("Seconds to wait for the server before giving up.")
        Integer connectTimeoutSeconds,
        @JsonPropertyDescription("Refuse a user that could write to the production tables (superuser, INSERT/UPDATE/DELETE/TRUNCATE).")
        Boolean requireReadOnlyUser,
        @JsonPropertyDescription("Connections reading at once (tables and slices of large tables).")
        Integer parallelism,
        @JsonPropertyDescription("Tables larger than this many 8 kB pages are read in slices of this size, in parallel.")
        Long slicePages,
        @JsonPropertyDescription("The tables to copy into schema production.")
        List<ProductionTable> tables) {

    private static final List<String> SSL_MODES =
            List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

    public ProductionSettings {
        host = blankTo(host, "127.0.0.1");
        port = port == null ? 5432 : port;
        database = blankTo(database, "zero_logement_vacant");
        user = blankTo(user, "readonly");
        password = password == null ? Secret.empty() : password;
        sslMode = blankTo(sslMode, "prefer");
        schema = blankTo(schema, "public");
        connectTimeoutSeconds = connectTimeoutSeconds == null ? 10 : connectTimeoutSeconds;
        requireReadOnlyUser = requireReadOnlyUser == null || requireReadOnlyUser;
        parallelism = parallelism == null ? 2 : parallelism;
        slicePages = slicePages == null ? 16_384L : slicePages;
        tables = tables == null ? List.of() : List.copyOf(tables);
        if (port < 1 || port > 65_535) {
            throw new InvalidSettingException("port", "must be between 1 and 65535");
        }
        if (!SSL_MODES.contains(sslMode)) {
            throw new InvalidSettingException("ssl_mode", "must be one of " + SSL_MODES);
        }
        if (parallelism < 1) {
            throw new InvalidSettingException("parallelism", "must be at least 1");
        }
        if (slicePages < 1) {
            throw new InvalidSettingException("slice_pages", "must be at least 1");
        }
        if (connectTimeoutSeconds < 1) {
            throw new InvalidSettingException("connect_timeout_seconds", "must be at least 1");
        }
    }

    public static ProductionSettings defaults() {
        return new ProductionSettings(null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The JDBC URL, without user or password. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** The same settings pointed at another server, database and user (the demo uses this). */
    public ProductionSettings withConnection(String newHost, int newPort, String newDatabase, String newUser,
                                             Secret newPassword) {
        return new ProductionSettings(newHost, newPort, newDatabase, newUser, newPassword, sslMode, schema,
                connectTimeoutSeconds, requireReadOnlyUser, parallelism, slicePages, tables);
    }

    public ProductionSettings withParallelism(int newParallelism, long newSlicePages) {
        return new ProductionSettings(host, port, database, user, password, sslMode, schema, connectTimeoutSeconds,
                requireReadOnlyUser, newParallelism, newSlicePages, tables);
    }

    public ProductionSettings withRequireReadOnlyUser(boolean required) {
        return new ProductionSettings(host, port, database, user, password, sslMode, schema, connectTimeoutSeconds,
                required, parallelism, slicePages, tables);
    }

    public ProductionSettings withTables(List<ProductionTable> newTables) {
        return new ProductionSettings(host, port, database, user, password, sslMode, schema, connectTimeoutSeconds,
                requireReadOnlyUser, parallelism, slicePages, newTables);
    }

    private static String blankTo(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
