package fr.zlv.entrepot.cli;

import fr.zlv.entrepot.core.settings.LoadedSettings;
import fr.zlv.entrepot.core.settings.ServeSettings;
import fr.zlv.entrepot.core.settings.Settings;
import fr.zlv.entrepot.orchestrator.run.Orchestrator;
import fr.zlv.entrepot.semantic.Semantic;
import fr.zlv.entrepot.semantic.model.Model;
import fr.zlv.entrepot.server.web.WebUi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The web UI of {@code entrepot serve}: the orchestrator's assets, jobs and schedules (the warehouse's
 * {@link Platform}), an orchestrator in this process for the runs operators launch from the pages, the dbt docs site
 * ({@code <dbt project>/target}) and the dashboards of {@code dashboards/} beside {@code semantic.yml}, checked against
 * the semantic model. Without a jobs file the operations pages are left out. Closing it cancels the runs it still
 * runs.
 */
final class ServeWeb implements AutoCloseable {

    private final Platform platform;
    private final Orchestrator orchestrator;
    private final WebUi ui;

    private ServeWeb(Platform platform, Orchestrator orchestrator, WebUi ui) {
        this.platform = platform;
        this.orchestrator = orchestrator;
        this.ui = ui;
    }

    WebUi ui() {
        return ui;
    }

    /** The dashboards' directory: {@code dashboards/} next to the semantic model. */
    static Path dashboards(ServeSettings serve) {
        return Path.of(serve.semantic()).toAbsolutePath().resolveSibling("dashboards");
    }

    static ServeWeb open(Settings settings, ServeSettings serve) {
        Path dbtProject = Path.of(settings.transform().projectDir());
        Path publishYml = Path.of(settings.publish().tables());
        Model model = Semantic.validate(Path.of(serve.semantic()), Path.of(serve.access()),
                Files.isRegularFile(dbtProject.resolve("dbt_project.yml")) ? dbtProject : null,
                Files.isRegularFile(publishYml) ? publishYml : null, Path.of(serve.database())).model();
        Platform platform = null;
        Orchestrator orchestrator = null;
        try {
            if (Files.isRegularFile(Path.of(settings.orchestrator().jobs()))) {
                // The platform reads only the settings' values, never their file.
                platform = Platform.open(new LoadedSettings(null, settings, Map.of()));
                orchestrator = platform.orchestrator();
            }
            WebUi ui = WebUi.create(serve, new WebUi.Sources(platform == null ? null : platform.definitions,
                    platform == null ? null : platform.store, orchestrator, dbtProject.resolve("target"),
                    dashboards(serve), model));
            return new ServeWeb(platform, orchestrator, ui);
        } catch (RuntimeException e) {
            if (orchestrator != null) {
                orchestrator.close();
            }
            if (platform != null) {
                platform.close();
            }
            throw e;
        }
    }

    @Override
    public void close() {
        if (orchestrator != null) {
            orchestrator.close();
        }
        if (platform != null) {
            platform.close();
        }
    }
}
