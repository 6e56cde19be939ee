package fr.zlv.entrepot.cli;

import fr.zlv.entrepot.core.settings.LoadedSettings;
import fr.zlv.entrepot.core.settings.Settings;
import fr.zlv.entrepot.dbt.DbtEngine;
import fr.zlv.entrepot.ingest.files.FileIngestion;
import fr.zlv.entrepot.ingest.files.FileSource;
import fr.zlv.entrepot.orchestrator.run.Definitions;
import fr.zlv.entrepot.orchestrator.run.Orchestrator;
import fr.zlv.entrepot.orchestrator.store.RunStore;
import fr.zlv.entrepot.orchestrator.store.RunStores;
import fr.zlv.entrepot.orchestrator.warehouse.JobsFile;
import fr.zlv.entrepot.orchestrator.warehouse.PublishAssets;
import fr.zlv.entrepot.publish.PublishPlan;
import fr.zlv.entrepot.orchestrator.warehouse.WarehouseDefinitions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The warehouse as the orchestrator sees it, from a set of settings: the assets (production tables, file tables,
 * dbt nodes), the jobs file, and the run store. Closing it closes the store and the object stores.
 */
final class Platform implements AutoCloseable {

    final LoadedSettings loaded;
    final JobsFile jobs;
    final Definitions definitions;
    final RunStore store;
    final Lake lake;

    private Platform(LoadedSettings loaded, Lake lake, JobsFile jobs, Definitions definitions, RunStore store) {
        this.loaded = loaded;
        this.lake = lake;
        this.jobs = jobs;
        this.definitions = definitions;
        this.store = store;
    }

    static Platform open(LoadedSettings loaded) {
        return open(loaded, Map.of());
    }

    /** The platform, its dbt project run with these environment variables added (the demo's keys). */
    static Platform open(LoadedSettings loaded, Map<String, String> extraEnvironment) {
        Settings settings = loaded.settings();
        JobsFile jobs = JobsFile.load(Path.of(settings.orchestrator().jobs()));
        Lake lake = new Lake(loaded);
        try {
            Map<String, String> environment = new HashMap<>(System.getenv());
            environment.putAll(extraEnvironment);
            environment.putAll(settings.warehouse().profileEnvironment());
            List<FileSource> files = Files.isRegularFile(Path.of(settings.files().catalog()))
                    ? Lake.catalog(loaded, null, System.getenv()).sources() : List.of();
            Path projectDir = Path.of(settings.transform().projectDir());
            DbtEngine.Options dbt = Files.isRegularFile(projectDir.resolve("dbt_project.yml"))
                    ? DbtEngine.Options.of(projectDir).withEnvironment(environment).withTarget(settings.warehouse().dbtTarget(settings.transform().target()))
                    : null;
            WarehouseDefinitions.FileLoader loader = (warehouse, sources) -> new FileIngestion(warehouse, lake.cache,
                    lake.cacheDirectory).run(sources, false, FileIngestion.Listener.NONE);
            Path publishFile = Path.of(settings.publish().tables());
            PublishAssets.Publication publication = Files.isRegularFile(publishFile)
                    ? new PublishAssets.Publication(settings.publish(), PublishPlan.load(publishFile),
                    lake.store, environment)
                    : null;
            Definitions definitions = WarehouseDefinitions.build(new WarehouseDefinitions.Inputs(settings.warehouse(),
                    settings.production(), files, loader, dbt, jobs, Clock.systemUTC(), publication));
            RunStore store = RunStores.open(settings.orchestrator().store());
            return new Platform(loaded, lake, jobs, definitions, store);
        } catch (RuntimeException e) {
            lake.close();
            throw e;
        }
    }

    /** An orchestrator on these definitions; runs its process left behind are closed as interrupted first. */
    Orchestrator orchestrator() {
        Orchestrator orchestrator = new Orchestrator(definitions, store, Orchestrator.Options.defaults()
                .withThreads(jobs.threads()).withMaxConcurrentRuns(jobs.maxConcurrentRuns()));
        RunLogAppender.attach(orchestrator);
        orchestrator.recoverInterrupted().forEach(run -> System.err.println("Run " + run.runId() + " of " + run.job()
                + " was left running by a process that stopped: marked failed (interrupted)."));
        return orchestrator;
    }

    @Override
    public void close() {
        store.close();
        lake.close();
    }
}
