package fr.zlv.entrepot.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.settings.LoadedSettings;
import fr.zlv.entrepot.core.settings.SettingsLoader;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

@Command(name = "entrepot",
        mixinStandardHelpOptions = true,
        versionProvider = EntrepotCommand.Version.class,
        description = {"Entrepôt: the analytics data warehouse of the Zéro Logement Vacant programme.", ""},
        footer = {"", "Exit codes: 0 done, 1 a step failed, 2 wrong input (arguments, settings, files).",
                "Documentation: README.md at the root of the repository."},
        subcommands = {DemoCommand.class, IngestCommand.class, SourcesCommand.class, DbtCommand.class, ConfigCommand.class,
                WarehouseCommand.class, RunCommand.Job.class, RunCommand.Materialize.class, RunsCommand.class,
                AssetsCommand.Assets.class, AssetsCommand.Checks.class, AssetsCommand.Jobs.class,
                SchedulesCommand.Schedules.class, SchedulesCommand.DaemonCommand.class, WorkerCommand.class,
                PublishCommand.Publish.class, PublishCommand.Restore.class, PublishCommand.Import.class, PrivacyCommand.class,
                SemanticCommand.class, ServeCommand.class, TokenCommand.class, AuditCommand.class,
                CommandLine.HelpCommand.class})
public final class EntrepotCommand implements Runnable {

    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "Settings file (default: ${DEFAULT-VALUE}).", defaultValue = "warehouse/entrepot.yml")
    Path config;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Show more of what happens (-v: steps, -vv: details).")
    void verbose(boolean[] levels) {
        Logger entrepot = (Logger) LoggerFactory.getLogger("fr.zlv.entrepot");
        entrepot.setLevel(levels.length > 1 ? Level.DEBUG : Level.INFO);
        verbosity = levels.length;
    }

    int verbosity;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The settings of {@code --config}. */
    LoadedSettings settings() {
        return SettingsLoader.fromSystemEnvironment().load(config);
    }

    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new EntrepotCommand());
        commandLine.setExecutionExceptionHandler((exception, line, parseResult) -> {
            EntrepotCommand root = line.getCommandSpec().root().userObject() instanceof EntrepotCommand command
                    ? command : null;
            return Errors.report(exception, root != null && root.verbosity > 0, line.getErr());
        });
        commandLine.setParameterExceptionHandler((exception, args) -> {
            CommandLine line = exception.getCommandLine();
            line.getErr().println("error: " + exception.getMessage());
            line.getErr().println("hint: see `" + line.getCommandSpec().qualifiedName() + " --help`.");
            return EntrepotException.BAD_INPUT;
        });
        return commandLine;
    }

    /** The version written in the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = EntrepotCommand.class.getPackage().getImplementationVersion();
            return new String[] {"entrepot " + (version == null ? "(development build)" : version)
                    + " on Java " + System.getProperty("java.version")};
        }
    }
}
