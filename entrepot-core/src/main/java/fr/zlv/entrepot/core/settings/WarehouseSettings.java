package fr.zlv.entrepot.core.settings;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Where the DuckDB warehouse lives and what it may use. */
public record WarehouseSettings(
        @JsonPropertyDescription("DuckDB file of the warehouse; relative paths start at the settings file's directory.")
        String path,
        @JsonPropertyDescription("DuckDB memory_limit in GB (DUCKDB_MEMORY_LIMIT); empty lets DuckDB take 80% of the RAM.")
        Double memoryLimitGb,
        @JsonPropertyDescription("DuckDB worker threads (DUCKDB_THREAD_NUMBER); empty means one per core.")
        Integer threads,
        @JsonPropertyDescription("Where DuckDB spills when memory is short; empty means <path>.tmp.")
        String tempDirectory) {

    public static final String DEFAULT_PATH = "data/entrepot.duckdb";

    public WarehouseSettings {
        path = path == null || path.isBlank() ? DEFAULT_PATH : path;
        tempDirectory = tempDirectory == null || tempDirectory.isBlank() ? null : tempDirectory;
        if (memoryLimitGb != null && memoryLimitGb <= 0) {
            throw new InvalidSettingException("memory_limit_gb", "must be more than 0");
        }
        if (threads != null && threads < 1) {
            throw new InvalidSettingException("threads", "must be at least 1");
        }
    }

    public WarehouseSettings withPath(String newPath) {
        return new WarehouseSettings(newPath, memoryLimitGb, threads, tempDirectory);
    }

    public WarehouseSettings withTempDirectory(String newTempDirectory) {
        return new WarehouseSettings(path, memoryLimitGb, threads, newTempDirectory);
    }
}
