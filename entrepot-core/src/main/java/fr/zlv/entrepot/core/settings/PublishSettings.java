package fr.zlv.entrepot.core.settings;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Where the marts are published: the BI file, the PostgreSQL serving schema, object storage, exports, backups. */
public record PublishSettings(
        @JsonPropertyDescription("The tables to publish and their published names (relative to the settings file).")
        String tables,
        @JsonPropertyDescription("The BI DuckDB file, replaced atomically at each publication.")
        String biPath,
        @JsonPropertyDescription("The PostgreSQL database of the serving schema (ENTREPOT_SERVING_URL, jdbc:postgresql:...);"
                + " empty: no PostgreSQL publication.")
        String postgresUrl,
        @JsonPropertyDescription("The serving schema's name in that database.")
        String postgresSchema,
        @JsonPropertyDescription("A role given USAGE on the serving schema and SELECT on its tables at each publication"
                + " (the role BI tools log in as); empty: none.")
        String postgresReaderRole,
        @JsonPropertyDescription("Where the BI file and the Parquet exports are uploaded (s3://bucket/prefix, or a"
                + " directory); empty: no upload.")
        String objectStorage,
        @JsonPropertyDescription("How many uploaded versions to keep.")
        Integer keepVersions,
        @JsonPropertyDescription("Where EXPORT DATABASE writes the whole warehouse: a directory, or s3://bucket/prefix.")
        String exportDirectory,
        @JsonPropertyDescription("The MotherDuck database the warehouse is copied to when MD_TOKEN is set.")
        String motherduckDatabase,
        @JsonPropertyDescription("Where the warehouse's backups go.")
        String backupDirectory,
        @JsonPropertyDescription("Daily backups kept.")
        Integer keepDaily,
        @JsonPropertyDescription("Monthly backups kept (the first of each month).")
        Integer keepMonthly) {

    public PublishSettings {
        tables = blank(tables) ? "publish.yml" : tables;
        biPath = blank(biPath) ? "data/bi/entrepot-bi.duckdb" : biPath;
        postgresUrl = blank(postgresUrl) ? null : postgresUrl;
        postgresSchema = blank(postgresSchema) ? "serving" : postgresSchema;
        postgresReaderRole = blank(postgresReaderRole) ? null : postgresReaderRole;
        objectStorage = blank(objectStorage) ? null : objectStorage;
        keepVersions = keepVersions == null ? 5 : keepVersions;
        exportDirectory = blank(exportDirectory) ? "data/export" : exportDirectory;
        motherduckDatabase = blank(motherduckDatabase) ? "entrepot" : motherduckDatabase;
        backupDirectory = blank(backupDirectory) ? "data/backups" : backupDirectory;
        keepDaily = keepDaily == null ? 7 : keepDaily;
        keepMonthly = keepMonthly == null ? 12 : keepMonthly;
        if (keepVersions < 1 || keepDaily < 1 || keepMonthly < 0) {
            throw new InvalidSettingException("keep_versions", "keep_versions and keep_daily must be at least 1,"
                    + " keep_monthly at least 0");
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    /** The same settings, with the file paths given (resolved against the settings file). */
    public PublishSettings withPaths(String newTables, String newBiPath, String newExportDirectory,
                                     String newBackupDirectory) {
        return new PublishSettings(newTables, newBiPath, postgresUrl, postgresSchema, postgresReaderRole, objectStorage,
                keepVersions,
                newExportDirectory, motherduckDatabase, newBackupDirectory, keepDaily, keepMonthly);
    }
}
