package fr.zlv.entrepot.core.settings;

import java.nio.file.Path;
import java.util.Map;

/**
 * Reads {@code entrepot.yml} ({@link YamlDocument} does the reading, interpolation and checking) and
 * resolves relative paths against the file's directory.
 */
public final class SettingsLoader {

    /** Where the settings are looked for when no {@code --config} is given. */
    public static final Path DEFAULT_FILE = Path.of("warehouse", "entrepot.yml");

    private final Map<String, String> environment;

    public SettingsLoader(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** A loader reading the process environment. */
    public static SettingsLoader fromSystemEnvironment() {
        return new SettingsLoader(System.getenv());
    }

    public LoadedSettings load(Path file) {
        YamlDocument<Settings> document = YamlDocument.read(file, Settings.class, "Settings", environment,
                "Run from the repository root (the default is " + DEFAULT_FILE + "), or pass --config FILE.");
        Path base = document.file().getParent();
        return new LoadedSettings(document.file(), resolvePaths(document.value(), base), document.origins());
    }

    private static Settings resolvePaths(Settings settings, Path base) {
        WarehouseSettings warehouse = settings.warehouse();
        String path = warehouse.isPostgres() ? warehouse.path() : base.resolve(warehouse.path()).normalize().toString();
        String temp = warehouse.tempDirectory() == null ? null
                : base.resolve(warehouse.tempDirectory()).normalize().toString();
        DemoSettings demo = settings.demo();
        DemoSettings resolvedDemo = new DemoSettings(demo.postgresUrl(),
                base.resolve(demo.workspace()).normalize().toString());
        StorageSettings storage = settings.storage()
                .withCacheDirectory(base.resolve(settings.storage().cacheDirectory()).normalize().toString());
        FilesSettings files = settings.files().withCatalog(base.resolve(settings.files().catalog()).normalize().toString());
        TransformSettings transform = settings.transform()
                .withProjectDir(base.resolve(settings.transform().projectDir()).normalize().toString());
        OrchestratorSettings orchestrator = settings.orchestrator();
        String store = orchestrator.storeIsUrl() ? orchestrator.store()
                : base.resolve(orchestrator.store()).normalize().toString();
        orchestrator = orchestrator.withPaths(base.resolve(orchestrator.jobs()).normalize().toString(), store);
        PublishSettings publish = settings.publish();
        publish = publish.withPaths(base.resolve(publish.tables()).normalize().toString(),
                base.resolve(publish.biPath()).normalize().toString(),
                publish.exportDirectory().contains("://") ? publish.exportDirectory()
                        : base.resolve(publish.exportDirectory()).normalize().toString(),
                base.resolve(publish.backupDirectory()).normalize().toString());
        ServeSettings serve = settings.serve();
        // The API reads the published BI file unless told otherwise.
        serve = serve.withPaths(base.resolve(serve.semantic()).normalize().toString(),
                base.resolve(serve.access()).normalize().toString(),
                serve.database() == null ? publish.biPath() : base.resolve(serve.database()).normalize().toString());
        return new Settings(new WarehouseSettings(path, warehouse.memoryLimitGb(), warehouse.threads(), temp,
                        warehouse.lockWaitSeconds()),
                settings.production(), storage, files, transform, orchestrator, publish, serve, resolvedDemo);
    }
}
