package fr.zlv.entrepot.core.settings;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Everything {@code entrepot.yml} can say. Each section is a record; a key missing from the file takes
 * the default its record gives. {@link SettingsLoader} reads the file, fills in {@code ${ENV}} values,
 * rejects unknown keys and wrong types, and resolves relative paths against the file's directory.
 */
public record Settings(
        @JsonPropertyDescription("The DuckDB warehouse file and its resources.")
        WarehouseSettings warehouse,
        @JsonPropertyDescription("The production PostgreSQL database, read-only, synced into schema production.")
        ProductionSettings production,
        @JsonPropertyDescription("The S3-compatible object storage and the download cache.")
        StorageSettings storage,
        @JsonPropertyDescription("The yearly and reference files.")
        FilesSettings files,
        @JsonPropertyDescription("The dbt project of the warehouse's transformations.")
        TransformSettings transform,
        @JsonPropertyDescription("The orchestrator's jobs file and run store.")
        OrchestratorSettings orchestrator,
        @JsonPropertyDescription("Where and how the marts are published.")
        PublishSettings publish,
        @JsonPropertyDescription("The HTTP server of `entrepot serve`: GraphQL API, tokens, limits.")
        ServeSettings serve,
        @JsonPropertyDescription("What `entrepot demo` uses.")
        DemoSettings demo) {

    public Settings {
        warehouse = warehouse == null ? new WarehouseSettings(null, null, null, null) : warehouse;
        production = production == null ? ProductionSettings.defaults() : production;
        storage = storage == null ? StorageSettings.defaults() : storage;
        files = files == null ? new FilesSettings(null) : files;
        transform = transform == null ? new TransformSettings(null, null) : transform;
        orchestrator = orchestrator == null ? new OrchestratorSettings(null, null) : orchestrator;
        publish = publish == null ? new PublishSettings(null, null, null, null, null, null, null, null, null, null, null,
                null)
                : publish;
        serve = serve == null ? ServeSettings.defaults() : serve;
        demo = demo == null ? new DemoSettings(null, null) : demo;
    }

    public static Settings defaults() {
        return new Settings(null, null, null, null, null, null, null, null, null);
    }

    public Settings withWarehouse(WarehouseSettings newWarehouse) {
        return new Settings(newWarehouse, production, storage, files, transform, orchestrator, publish, serve, demo);
    }

    public Settings withProduction(ProductionSettings newProduction) {
        return new Settings(warehouse, newProduction, storage, files, transform, orchestrator, publish, serve, demo);
    }

    public Settings withStorage(StorageSettings newStorage) {
        return new Settings(warehouse, production, newStorage, files, transform, orchestrator, publish, serve, demo);
    }

    public Settings withFiles(FilesSettings newFiles) {
        return new Settings(warehouse, production, storage, newFiles, transform, orchestrator, publish, serve, demo);
    }

    public Settings withOrchestrator(OrchestratorSettings newOrchestrator) {
        return new Settings(warehouse, production, storage, files, transform, newOrchestrator, publish, serve, demo);
    }

    public Settings withPublish(PublishSettings newPublish) {
        return new Settings(warehouse, production, storage, files, transform, orchestrator, newPublish, serve, demo);
    }

    public Settings withServe(ServeSettings newServe) {
        return new Settings(warehouse, production, storage, files, transform, orchestrator, publish, newServe, demo);
    }
}
