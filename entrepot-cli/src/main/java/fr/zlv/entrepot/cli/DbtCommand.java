package fr.zlv.entrepot.cli;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.settings.LoadedSettings;
import fr.zlv.entrepot.dbt.DbtEngine;
import fr.zlv.entrepot.dbt.DbtEngine.CommandResult;
import fr.zlv.entrepot.dbt.DbtEngine.Selection;
import fr.zlv.entrepot.dbt.adapter.QueryTable;
import fr.zlv.entrepot.dbt.graph.ResourceType;
import fr.zlv.entrepot.dbt.project.Yaml;
import fr.zlv.entrepot.dbt.run.NodeResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code entrepot dbt ...}: dbt's commands, run by Entrepôt's engine on the warehouse's dbt project (or any
 * other with {@code --project-dir}), with dbt's flags, output, artefacts and exit codes.
 */
@Command(name = "dbt", mixinStandardHelpOptions = true,
        description = {"Run a dbt project with Entrepôt's engine: the warehouse's (transform.project_dir of the",
                "settings) or any other (--project-dir). Same commands, flags, console lines, target/ artefacts and",
                "exit codes as dbt (0 success, 1 a node failed, 2 the project or the command is wrong)."},
        subcommands = {DbtCommand.Debug.class, DbtCommand.Parse.class, DbtCommand.Compile.class, DbtCommand.Run.class,
                DbtCommand.Seed.class, DbtCommand.Snapshot.class, DbtCommand.Test.class, DbtCommand.Build.class, DbtCommand.Ls.class,
                DbtCommand.Clean.class, DbtCommand.Show.class, DbtCommand.Source.class, DbtDocsCommand.class})
final class DbtCommand implements Runnable {

    @ParentCommand
    EntrepotCommand root;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** dbt's global flags. */
    static final class ProjectOptions {

        @Option(names = "--project-dir", paramLabel = "DIR",
                description = "The dbt project (default: DBT_PROJECT_DIR, else transform.project_dir of the settings).")
        Path projectDir;

        @Option(names = "--profiles-dir", paramLabel = "DIR",
                description = "Where profiles.yml is (default: DBT_PROFILES_DIR, the project, ~/.dbt).")
        Path profilesDir;

        @Option(names = {"-t", "--target"}, paramLabel = "NAME", description = "The profile's target to use.")
        String target;

        @Option(names = "--vars", paramLabel = "YAML", description = "Variables, as YAML: '{start_date: 2024-01-01}'.")
        String vars;

        @Option(names = "--threads", paramLabel = "N", description = "Nodes built at once (default: the profile's).")
        Integer threads;

        @Option(names = {"-q", "--quiet"}, description = "Print only errors (and print() calls).")
        boolean quiet;
    }

    /** dbt's node selection flags. */
    static final class SelectionOptions {

        @Option(names = {"-s", "--select", "-m", "--models"}, arity = "1..*", paramLabel = "SELECTOR",
                description = "Nodes to include: name, +name, name+, @name, tag:x, path:x, config.k:v, source:x,"
                        + " resource_type:x, package:x; spaces unite, commas intersect.")
        List<String> select = new ArrayList<>();

        @Option(names = "--exclude", arity = "1..*", paramLabel = "SELECTOR", description = "Nodes to leave out.")
        List<String> exclude = new ArrayList<>();

        @Option(names = "--selector", paramLabel = "NAME", description = "A selector of selectors.yml.")
        String selector;

        @Option(names = "--indirect-selection", paramLabel = "MODE",
                description = "Which tests come with the selected nodes: eager (a parent selected; the default),"
                        + " cautious (all parents selected), buildable (each parent selected or upstream of one),"
                        + " empty (none). Default: DBT_INDIRECT_SELECTION, else eager.")
        String indirectSelection;

        Selection selection() {
            String mode = indirectSelection != null ? indirectSelection : System.getenv("DBT_INDIRECT_SELECTION");
            return new Selection(select, exclude, selector,
                    mode == null || mode.isBlank() ? null : DbtEngine.IndirectSelection.parse(mode));
        }
    }

    /** Flags of the commands that build. */
    static final class BuildOptions {

        @Option(names = "--full-refresh", description = "Rebuild incremental models from scratch.")
        boolean fullRefresh;

        @Option(names = {"-x", "--fail-fast"}, description = "Stop at the first failure.")
        boolean failFast;

        @Option(names = "--store-failures", description = "Keep every test's failing rows in the audit schema.")
        boolean storeFailures;

        @Option(names = "--json", description = "Print the results as JSON (instead of dbt's lines).")
        boolean json;
    }

    // ------------------------------------------------------------------ how a command starts

    /** The engine's options from the flags, the environment and (when present) Entrepôt's settings. */
    DbtEngine.Options options(ProjectOptions project, BuildOptions build, boolean silent) {
        Map<String, String> environment = new HashMap<>(System.getenv());
        Path projectDir = project.projectDir;
        LoadedSettings settings = optionalSettings();
        if (projectDir == null && environment.get("DBT_PROJECT_DIR") != null) {
            projectDir = Path.of(environment.get("DBT_PROJECT_DIR"));
        }
        if (projectDir == null) {
            projectDir = settings != null ? Path.of(settings.settings().transform().projectDir()) : Path.of(".");
        }
        String target = project.target;
        if (settings != null) {
            // The warehouse project's profile reads the warehouse file from ENTREPOT_WAREHOUSE: the settings' path,
            // absolute (the settings resolve a relative ENTREPOT_WAREHOUSE against their own directory).
            environment.putAll(settings.settings().warehouse().profileEnvironment());
            if (target == null && project.projectDir == null) {
                target = settings.settings().warehouse().dbtTarget(settings.settings().transform().target());
            }
        }
        Map<String, Object> vars = project.vars == null ? Map.of() : Yaml.parseMap(project.vars, "--vars");
        boolean quiet = project.quiet || silent;
        return new DbtEngine.Options(projectDir, project.profilesDir, target, vars, project.threads,
                build != null && build.fullRefresh, build != null && build.failFast, environment,
                quiet ? text -> { } : System.out::println, null, build != null && build.storeFailures);
    }

    /** Entrepôt's settings when the --config file exists: a dbt project elsewhere needs none. */
    private LoadedSettings optionalSettings() {
        if (!Files.isRegularFile(root.config)) {
            return null;
        }
        return root.settings();
    }

    static int finish(CommandResult result, boolean json, boolean quiet) {
        if (json) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("command", result.command());
            summary.put("elapsed_seconds", result.elapsedSeconds());
            summary.put("success", result.succeeded());
            Map<String, Long> counts = new LinkedHashMap<>();
            for (NodeResult.Status status : NodeResult.Status.values()) {
                counts.put(status.dbtName(), result.count(status));
            }
            summary.put("counts", counts);
            List<Map<String, Object>> nodes = new ArrayList<>();
            for (NodeResult node : result.results()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("unique_id", node.node().uniqueId());
                entry.put("status", node.status().dbtName());
                entry.put("relation", node.node().schema() + "." + node.node().alias());
                entry.put("message", node.message());
                entry.put("execution_time", node.executionSeconds());
                nodes.add(entry);
            }
            summary.put("results", nodes);
            Output.json(System.out, summary);
        } else if (quiet) {
            for (NodeResult node : result.results()) {
                if (node.failed()) {
                    System.err.println(node.message());
                }
            }
        }
        return result.exitCode();
    }

    // ------------------------------------------------------------------ commands

    @Command(name = "debug", mixinStandardHelpOptions = true,
            description = "Check the project, the profile and the connection.")
    static final class Debug implements Callable<Integer> {
        @ParentCommand
        DbtCommand parent;
        @Mixin
        ProjectOptions project;

        @Override
        public Integer call() {
            try {
                DbtEngine.debug(parent.options(project, null, false)).forEach(System.out::println);
                return 0;
            } catch (DbtEngine.DebugFailed failed) {
                failed.lines().forEach(System.out::println);
                return EntrepotException.FAILED;
            }
        }
    }

    @Command(name = "parse", mixinStandardHelpOptions = true,
            description = "Read the project and write target/manifest.json.")
    static final class Parse implements Callable<Integer> {
        @ParentCommand
        DbtCommand parent;
        @Mixin
        ProjectOptions project;

        @Override
        public Integer call() {
            try (DbtEngine dbt = DbtEngine.load(parent.options(project, null, false))) {
                dbt.parse();
                return 0;
            }
        }
    }

    /** A command that renders or builds the selected nodes: compile, run, seed, build. */
    abstract static class NodesCommand implements Callable<Integer> {
        @ParentCommand
        DbtCommand parent;
        @Mixin
        ProjectOptions project;
        @Mixin
        SelectionOptions selection;
        @Mixin
        BuildOptions build;

        abstract CommandResult execute(DbtEngine dbt, Selection selected);

        @Override
        public Integer call() {
            try (DbtEngine dbt = DbtEngine.load(parent.options(project, build, build.json))) {
                return finish(execute(dbt, selection.selection()), build.json, project.quiet);
            }
        }
    }

    @Command(name = "compile", mixinStandardHelpOptions = true,
            description = "Render the selected models' SQL into target/compiled (queries in the Jinja run).")
    static final class Compile extends NodesCommand {
        @Override
        CommandResult execute(DbtEngine dbt, Selection selected) {
            return dbt.compile(selected);
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Build the selected models.")
    static final class Run extends NodesCommand {
        @Override
        CommandResult execute(DbtEngine dbt, Selection selected) {
            return dbt.run(selected);
        }
    }

    @Command(name = "seed", mixinStandardHelpOptions = true, description = "Load the selected seeds (CSV files).")
    static final class Seed extends NodesCommand {
        @Override
        CommandResult execute(DbtEngine dbt, Selection selected) {
            return dbt.seed(selected);
        }
    }

    @Command(name = "test", mixinStandardHelpOptions = true,
            description = "Run the selected data tests (and the tests of the selected models, seeds and sources).")
    static final class Test extends NodesCommand {
        @Override
        CommandResult execute(DbtEngine dbt, Selection selected) {
            return dbt.test(selected);
        }
    }

    @Command(name = "snapshot", mixinStandardHelpOptions = true,
            description = "Run the selected snapshots: each keeps every version of its rows.")
    static final class Snapshot extends NodesCommand {
        @Override
        CommandResult execute(DbtEngine dbt, Selection selected) {
            return dbt.snapshot(selected);
        }
    }

    @Command(name = "build", mixinStandardHelpOptions = true,
            description = "Load seeds, build models and run their tests together, in dependency order.")
    static final class Build extends NodesCommand {
        @Override
        CommandResult execute(DbtEngine dbt, Selection selected) {
            return dbt.build(selected);
        }
    }

    @Command(name = "source", mixinStandardHelpOptions = true, description = "Commands about the project's sources.",
            subcommands = DbtCommand.Freshness.class)
    static final class Source implements Runnable {
        @ParentCommand
        DbtCommand parent;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(System.out);
        }
    }

    @Command(name = "freshness", mixinStandardHelpOptions = true,
            description = {"Check how recent the sources are (freshness: warn_after, error_after, filter; loaded_at_field)",
                    "and write target/sources.json. Exit 1 when one is stale past error_after."})
    static final class Freshness implements Callable<Integer> {
        @ParentCommand
        Source source;
        @Mixin
        ProjectOptions project;
        @Mixin
        SelectionOptions selection;

        @Override
        public Integer call() {
            try (DbtEngine dbt = DbtEngine.load(source.parent.options(project, null, false))) {
                boolean stale = dbt.sourceFreshness(selection.selection()).stream()
                        .anyMatch(fr.zlv.entrepot.dbt.run.SourceFreshness.Result::failed);
                return stale ? EntrepotException.FAILED : 0;
            }
        }
    }

    @Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true,
            description = "List the selected resources.")
    static final class Ls implements Callable<Integer> {
        @ParentCommand
        DbtCommand parent;
        @Mixin
        ProjectOptions project;
        @Mixin
        SelectionOptions selection;

        @Option(names = "--resource-type", paramLabel = "TYPE",
                description = "Only these: model, seed, analysis, source, test, snapshot; repeatable.")
        List<String> resourceTypes = new ArrayList<>();

        @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "selector",
                description = "selector (default), name, path or json.")
        String output;

        @Option(names = "--json", description = "Same as --output json.")
        boolean json;

        @Override
        public Integer call() {
            String format = json ? "json" : output.toLowerCase(Locale.ROOT);
            if (!List.of("selector", "name", "path", "json").contains(format)) {
                throw EntrepotException.badInput("--output must be selector, name, path or json, not '" + output + "'.",
                        null);
            }
            Set<ResourceType> types = EnumSet.noneOf(ResourceType.class);
            for (String type : resourceTypes) {
                try {
                    types.add(ResourceType.valueOf(type.toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw EntrepotException.badInput("Unknown --resource-type '" + type + "'.",
                            "Use model, seed, analysis, source, test or snapshot.");
                }
            }
            try (DbtEngine dbt = DbtEngine.load(parent.options(project, null, true))) {
                dbt.list(selection.selection(), types, format).forEach(System.out::println);
            }
            return 0;
        }
    }

    @Command(name = "clean", mixinStandardHelpOptions = true,
            description = "Delete the project's clean-targets (its target path by default).")
    static final class Clean implements Callable<Integer> {
        @ParentCommand
        DbtCommand parent;
        @Mixin
        ProjectOptions project;

        @Override
        public Integer call() {
            Path directory = parent.options(project, null, true).projectDir();
            for (Path deleted : DbtEngine.clean(directory)) {
                System.out.println("Cleaned " + deleted);
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Preview a model's rows (compiled and queried, nothing built), or an --inline query's.")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        DbtCommand parent;
        @Mixin
        ProjectOptions project;
        @Mixin
        SelectionOptions selection;

        @Option(names = "--inline", paramLabel = "SQL", description = "A query (Jinja allowed: {{ ref('x') }}).")
        String inline;

        @Option(names = "--limit", defaultValue = "5", description = "Rows to show (default: ${DEFAULT-VALUE}; -1: all).")
        int limit;

        @Option(names = "--json", description = "Print the rows as JSON.")
        boolean json;

        @Override
        public Integer call() {
            try (DbtEngine dbt = DbtEngine.load(parent.options(project, null, true))) {
                QueryTable table = dbt.show(selection.selection(), inline, limit);
                if (json) {
                    List<Map<String, Object>> rows = new ArrayList<>();
                    for (List<Object> row : table.getRows()) {
                        Map<String, Object> entry = new LinkedHashMap<>();
                        for (int i = 0; i < row.size(); i++) {
                            entry.put(table.getColumn_names().get(i), row.get(i));
                        }
                        rows.add(entry);
                    }
                    Output.json(System.out, rows);
                    return 0;
                }
                List<List<String>> rows = new ArrayList<>();
                rows.add(table.getColumn_names());
                for (List<Object> row : table.getRows()) {
                    rows.add(row.stream().map(value -> value == null ? "" : String.valueOf(value)).toList());
                }
                Output.table(System.out, rows);
            }
            return 0;
        }
    }
}
