package fr.zlv.entrepot.core.settings;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Where the warehouse lives and what it may use: a DuckDB file (the default), or a PostgreSQL database given as a
 * {@code jdbc:postgresql://host:5432/database?user=NAME&password=SECRET} URL, which several processes (workers on
 * several machines, BI tools) reach at once.
 */
public record WarehouseSettings(
        @JsonPropertyDescription("DuckDB file of the warehouse (relative paths start at the settings file's directory),"
                + " or a jdbc:postgresql://host:5432/db?user=...&password=... URL for a PostgreSQL warehouse.")
        String path,
        @JsonPropertyDescription("DuckDB memory_limit in GB (DUCKDB_MEMORY_LIMIT); empty lets DuckDB take 80% of the RAM.")
        Double memoryLimitGb,
        @JsonPropertyDescription("DuckDB worker threads (DUCKDB_THREAD_NUMBER); empty means one per core.")
        Integer threads,
        @JsonPropertyDescription("Where DuckDB spills when memory is short; empty means <path>.tmp.")
        String tempDirectory,
        @JsonPropertyDescription("Seconds to wait for a DuckDB warehouse file another process holds before failing"
                + " (ENTREPOT_WAREHOUSE_LOCK_WAIT); 0: fail at once. Workers sharing one file wait at least an hour.")
        Integer lockWaitSeconds) {

    /** Without waiting for another process's lock. */
    public WarehouseSettings(String path, Double memoryLimitGb, Integer threads, String tempDirectory) {
        this(path, memoryLimitGb, threads, tempDirectory, 0);
    }

    public static final String DEFAULT_PATH = "data/entrepot.duckdb";

    public WarehouseSettings {
        path = path == null || path.isBlank() ? DEFAULT_PATH : path;
        tempDirectory = tempDirectory == null || tempDirectory.isBlank() ? null : tempDirectory;
        lockWaitSeconds = lockWaitSeconds == null ? 0 : lockWaitSeconds;
        if (lockWaitSeconds < 0) {
            throw new InvalidSettingException("lock_wait_seconds", "must be 0 or more");
        }
        if (memoryLimitGb != null && memoryLimitGb <= 0) {
            throw new InvalidSettingException("memory_limit_gb", "must be more than 0");
        }
        if (threads != null && threads < 1) {
            throw new InvalidSettingException("threads", "must be at least 1");
        }
    }

    /** The prefix of a PostgreSQL warehouse's {@link #path}. */
    public static final String POSTGRES_PREFIX = "jdbc:postgresql:";

    /** True when the warehouse is a PostgreSQL database rather than a DuckDB file (not a settings key). */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isPostgres() {
        return path.startsWith(POSTGRES_PREFIX);
    }

    /**
     * The environment the warehouse's dbt profile reads: {@code ENTREPOT_WAREHOUSE} (the DuckDB file, or the URL), and
     * for a PostgreSQL warehouse its parts ({@code ENTREPOT_WAREHOUSE_HOST}, {@code _PORT}, {@code _DBNAME},
     * {@code _USER}, {@code _PASSWORD}), which the profile's {@code postgres} output reads.
     */
    public java.util.Map<String, String> profileEnvironment() {
        java.util.Map<String, String> environment = new java.util.LinkedHashMap<>();
        environment.put("ENTREPOT_WAREHOUSE", path);
        if (isPostgres()) {
            java.util.Properties parts = org.postgresql.Driver.parseURL(path, null);
            if (parts == null) {
                throw new InvalidSettingException("path", "is not a PostgreSQL JDBC URL"
                        + " (jdbc:postgresql://host:5432/database?user=NAME&password=SECRET)");
            }
            environment.put("ENTREPOT_WAREHOUSE_HOST", parts.getProperty("PGHOST", "localhost").split(",")[0]);
            environment.put("ENTREPOT_WAREHOUSE_PORT", parts.getProperty("PGPORT", "5432").split(",")[0]);
            environment.put("ENTREPOT_WAREHOUSE_DBNAME", parts.getProperty("PGDBNAME", ""));
            environment.put("ENTREPOT_WAREHOUSE_USER", parts.getProperty("user", System.getProperty("user.name")));
            environment.put("ENTREPOT_WAREHOUSE_PASSWORD", parts.getProperty("password", ""));
        }
        return environment;
    }

    /** The dbt target to build with when the settings name none: the profile's {@code postgres} output for a
     * PostgreSQL warehouse, else the profile's default (null). */
    public String dbtTarget(String configuredTarget) {
        if (configuredTarget != null && !configuredTarget.isBlank()) {
            return configuredTarget;
        }
        return isPostgres() ? "postgres" : null;
    }

    public WarehouseSettings withPath(String newPath) {
        return new WarehouseSettings(newPath, memoryLimitGb, threads, tempDirectory, lockWaitSeconds);
    }

    public WarehouseSettings withTempDirectory(String newTempDirectory) {
        return new WarehouseSettings(path, memoryLimitGb, threads, newTempDirectory, lockWaitSeconds);
    }

    /** The same warehouse, waiting up to {@code seconds} for a DuckDB file another process holds. */
    public WarehouseSettings withLockWaitSeconds(int seconds) {
        return new WarehouseSettings(path, memoryLimitGb, threads, tempDirectory, seconds);
    }
}
