package fr.zlv.entrepot.dbt;

import fr.zlv.entrepot.dbt.adapter.Adapter;
import fr.zlv.entrepot.dbt.adapter.Adapters;
import fr.zlv.entrepot.dbt.adapter.LazyAdapter;
import fr.zlv.entrepot.dbt.adapter.QueryTable;
import fr.zlv.entrepot.dbt.artifacts.Artifacts;
import fr.zlv.entrepot.dbt.graph.Node;
import fr.zlv.entrepot.dbt.graph.ResourceType;
import fr.zlv.entrepot.dbt.graph.Selector;
import fr.zlv.entrepot.dbt.graph.SourceDefinition;
import fr.zlv.entrepot.dbt.jinja.Builtins;
import fr.zlv.entrepot.dbt.jinja.JinjaEngine;
import fr.zlv.entrepot.dbt.jinja.RenderState;
import fr.zlv.entrepot.dbt.parse.NodeView;
import fr.zlv.entrepot.dbt.parse.ParsedProject;
import fr.zlv.entrepot.dbt.parse.ProjectParser;
import fr.zlv.entrepot.dbt.project.DbtProject;
import fr.zlv.entrepot.dbt.project.Profile;
import fr.zlv.entrepot.dbt.run.Compiler;
import fr.zlv.entrepot.dbt.run.Console;
import fr.zlv.entrepot.dbt.run.NodeResult;
import fr.zlv.entrepot.dbt.run.RunOptions;
import fr.zlv.entrepot.dbt.run.Runner;
import fr.zlv.entrepot.dbt.run.SourceFreshness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The dbt engine's entry point: loads a project and its profile, parses it, and runs dbt's commands against
 * the profile's warehouse. Each command prints what dbt prints (through the {@link Console}) and writes dbt's
 * artefacts in the project's {@code target/}.
 *
 * <pre>{@code
 * try (DbtEngine dbt = DbtEngine.load(DbtEngine.Options.of(Path.of("warehouse/dbt")))) {
 *     CommandResult result = dbt.run(Selection.ALL);
 * }
 * }</pre>
 */
public final class DbtEngine implements AutoCloseable {

    /**
     * How the engine is invoked: dbt's global flags.
     *
     * @param threads    null: the profile's
     * @param adapters   opens the warehouse for a profile (the default opens the profile's: DuckDB from its path,
     *                   PostgreSQL from its host, port, user, dbname...)
     * @param storeFailures keep every test's failing rows in the audit schema
     */
    public record Options(Path projectDir, Path profilesDir, String target, Map<String, Object> vars, Integer threads,
                          boolean fullRefresh, boolean failFast, Map<String, String> environment, Console console,
                          Function<Profile, Adapter> adapters, boolean storeFailures) {

        public static Options of(Path projectDir) {
            return new Options(projectDir, null, null, Map.of(), null, false, false, System.getenv(),
                    text -> System.out.println(text), null, false);
        }

        public Options withProfilesDir(Path directory) {
            return new Options(projectDir, directory, target, vars, threads, fullRefresh, failFast, environment, console,
                    adapters, storeFailures);
        }

        public Options withTarget(String name) {
            return new Options(projectDir, profilesDir, name, vars, threads, fullRefresh, failFast, environment, console,
                    adapters, storeFailures);
        }

        public Options withVars(Map<String, Object> values) {
            return new Options(projectDir, profilesDir, target, values, threads, fullRefresh, failFast, environment,
                    console, adapters, storeFailures);
        }

        public Options withThreads(Integer count) {
            return new Options(projectDir, profilesDir, target, vars, count, fullRefresh, failFast, environment, console,
                    adapters, storeFailures);
        }

        public Options withFullRefresh(boolean value) {
            return new Options(projectDir, profilesDir, target, vars, threads, value, failFast, environment, console,
                    adapters, storeFailures);
        }

        public Options withFailFast(boolean value) {
            return new Options(projectDir, profilesDir, target, vars, threads, fullRefresh, value, environment, console,
                    adapters, storeFailures);
        }

        public Options withEnvironment(Map<String, String> values) {
            return new Options(projectDir, profilesDir, target, vars, threads, fullRefresh, failFast, values, console,
                    adapters, storeFailures);
        }

        public Options withConsole(Console lines) {
            return new Options(projectDir, profilesDir, target, vars, threads, fullRefresh, failFast, environment, lines,
                    adapters, storeFailures);
        }

        public Options withStoreFailures(boolean value) {
            return new Options(projectDir, profilesDir, target, vars, threads, fullRefresh, failFast, environment, console,
                    adapters, value);
        }

        public Options withAdapters(Function<Profile, Adapter> factory) {
            return new Options(projectDir, profilesDir, target, vars, threads, fullRefresh, failFast, environment, console,
                    factory, storeFailures);
        }
    }

    /**
     * dbt's {@code --indirect-selection}: which tests come along with the nodes they test. {@code EAGER} (dbt's
     * default): a test whose parent is selected; {@code CAUTIOUS}: only when all its parents are selected;
     * {@code BUILDABLE}: when each parent is selected or upstream of a selected node; {@code EMPTY}: none.
     */
    public enum IndirectSelection {
        EAGER, CAUTIOUS, BUILDABLE, EMPTY;

        /** The mode named as dbt names it ({@code eager}, {@code cautious}, {@code buildable}, {@code empty}). */
        public static IndirectSelection parse(String name) {
            for (IndirectSelection mode : values()) {
                if (mode.name().equalsIgnoreCase(name.strip())) {
                    return mode;
                }
            }
            throw DbtException.project("Unknown indirect selection '" + name + "'.",
                    "Use eager (the default), cautious, buildable or empty.");
        }
    }

    /** dbt's {@code --select}, {@code --exclude}, {@code --selector} and {@code --indirect-selection}. */
    public record Selection(List<String> select, List<String> exclude, String selector, IndirectSelection indirect) {

        public static final Selection ALL = new Selection(List.of(), List.of(), null);

        public Selection {
            indirect = indirect == null ? IndirectSelection.EAGER : indirect;
        }

        public Selection(List<String> select, List<String> exclude, String selector) {
            this(select, exclude, selector, IndirectSelection.EAGER);
        }

        public static Selection of(String... terms) {
            return new Selection(List.of(terms), List.of(), null);
        }

        public Selection withIndirect(IndirectSelection mode) {
            return new Selection(select, exclude, selector, mode);
        }
    }

    /** What a command did: one result per node, and how long it took. */
    public record CommandResult(String command, List<NodeResult> results, double elapsedSeconds) {

        public long count(NodeResult.Status status) {
            return results.stream().filter(result -> result.status() == status).count();
        }

        public boolean succeeded() {
            return results.stream().noneMatch(NodeResult::failed);
        }

        /** dbt's exit code: 0 when every node succeeded, 1 when one failed (2 is for errors thrown). */
        public int exitCode() {
            return succeeded() ? 0 : 1;
        }

        public NodeResult result(String name) {
            return results.stream().filter(result -> result.node().name().equals(name)).findFirst().orElse(null);
        }
    }

    private final Options options;
    private final ParsedProject project;
    private final Artifacts artifacts;
    private Adapter adapter;

    private DbtEngine(Options options, ParsedProject project, String invocationId) {
        this.options = options;
        this.project = project;
        this.artifacts = new Artifacts(invocationId, project.profile().type());
    }

    /** Loads and parses the project (and its packages), with the profile's target. */
    public static DbtEngine load(Options options) {
        DbtProject root = DbtProject.load(options.projectDir());
        Profile profile = loadProfile(root, options);
        Map<String, Object> flags = new LinkedHashMap<>(root.flags());
        flags.put("FULL_REFRESH", options.fullRefresh());
        flags.put("WHICH", "run");
        int threads = threads(options, profile);
        String invocation = UUID.randomUUID().toString();
        Map<String, Object> target = profile.targetContext();
        target.put("threads", threads);
        Builtins.Settings settings = new Builtins.Settings(profile.type(), target, flags, root.name(), invocation,
                options.environment(), options.console()::line, name -> "");
        ParsedProject parsed = new ProjectParser(root, profile, options.vars(), settings, threads).parse();
        return new DbtEngine(options, parsed, invocation);
    }

    /** Reads profiles.yml, rendering its {@code env_var()} calls. */
    static Profile loadProfile(DbtProject root, Options options) {
        return Profile.load(root, options.profilesDir(), options.target(), options.environment(), text -> {
            if (!text.contains("{{") && !text.contains("{%")) {
                return text;
            }
            Builtins.Settings settings = new Builtins.Settings("duckdb", Map.of(), Map.of(), root.name(), "",
                    options.environment(), line -> { }, name -> "");
            return new JinjaEngine(new Builtins(settings)).render(text,
                    new RenderState(RenderState.Phase.PARSE, null, null, null), Map.of(), Profile.FILE);
        });
    }

    private static int threads(Options options, Profile profile) {
        return options.threads() != null && options.threads() > 0 ? options.threads() : Math.max(1, profile.threads());
    }

    public ParsedProject project() {
        return project;
    }

    public int threads() {
        return threads(options, project.profile());
    }

    public Path targetDirectory() {
        return project.root().root().resolve(project.root().targetPath());
    }

    /** The warehouse connection: connects when something first needs the warehouse. */
    public synchronized Adapter adapter() {
        if (adapter == null) {
            Profile profile = project.profile();
            adapter = new LazyAdapter(profile.type(), () -> options.adapters() != null
                    ? options.adapters().apply(profile)
                    : Adapters.open(profile, project.root().root()));
        }
        return adapter;
    }

    // ------------------------------------------------------------------ commands

    /** {@code dbt parse}: writes target/manifest.json. */
    public CommandResult parse() {
        found();
        console().line("Parsed in " + String.format(Locale.ROOT, "%.2f", project.parseSeconds()) + "s.");
        writeManifest();
        return new CommandResult("parse", List.of(), project.parseSeconds());
    }

    /** {@code dbt ls}: the selected resources, as dbt's {@code --output} formats them, sorted as dbt sorts them. */
    public List<String> list(Selection selection, Set<ResourceType> types, String output) {
        Set<String> ids = selector().select(selection.select(), selection.exclude(), selection.selector());
        addTestsOf(ids, selection);
        List<String> lines = new ArrayList<>();
        for (String id : ids) {
            Node node = project.manifest().node(id);
            if (node != null && (types.isEmpty() || types.contains(node.type()))) {
                lines.add(switch (output) {
                    case "name" -> node.name();
                    case "path" -> node.originalFilePath();
                    case "json" -> Artifacts.json(Map.of("name", node.name(), "resource_type", node.type().dbtName(),
                            "package_name", node.packageName(), "original_file_path", node.originalFilePath(),
                            "unique_id", node.uniqueId(), "alias", node.alias(), "schema", String.valueOf(node.schema()),
                            "config", node.config().asMap(),
                            "tags", node.tags(), "depends_on", Map.of("nodes", List.copyOf(node.dependsOnNodes()))))
                            .replaceAll("\\s*\\n\\s*", " ");
                    default -> String.join(".", node.fqn());
                });
            }
            var source = project.manifest().sources().get(id);
            if (source != null && (types.isEmpty() || types.contains(ResourceType.SOURCE))) {
                lines.add(switch (output) {
                    case "name" -> source.sourceName() + "." + source.name();
                    case "path" -> source.originalFilePath();
                    case "json" -> Artifacts.json(Map.of("name", source.name(), "resource_type", "source",
                            "source_name", source.sourceName(), "unique_id", source.uniqueId()))
                            .replaceAll("\\s*\\n\\s*", " ");
                    default -> "source:" + String.join(".", source.fqn());
                });
            }
        }
        lines.sort(null);
        return lines;
    }

    /** {@code dbt compile}: renders the selected models and analyses into target/compiled. */
    public CommandResult compile(Selection selection) {
        List<Node> nodes = selected(selection, EnumSet.of(ResourceType.MODEL, ResourceType.ANALYSIS));
        found();
        Instant started = Instant.now();
        Compiler compiler = compiler();
        Runner runner = new Runner(project, adapter(), compiler, runOptions(), console());
        List<NodeResult> results = runner.execute(nodes, (node, index, total) -> {
            Instant start = Instant.now();
            try {
                compiler.compile(node, false);
                return new NodeResult(node, NodeResult.Status.SUCCESS, null, Thread.currentThread().getName(), start,
                        Instant.now(), null, null, Map.of(), null);
            } catch (RuntimeException e) {
                console().line(e.getMessage());
                return new NodeResult(node, NodeResult.Status.ERROR, e.getMessage(), Thread.currentThread().getName(),
                        start, Instant.now(), null, null, Map.of(), null);
            }
        });
        CommandResult result = new CommandResult("compile", results, seconds(started));
        if (nodes.size() == 1 && results.get(0).status() == NodeResult.Status.SUCCESS) {
            console().line("Compiled node '" + nodes.get(0).name() + "' is:");
            console().line(nodes.get(0).compiledCode());
        }
        finish(result, Map.of());
        return result;
    }

    /** {@code dbt run}: builds the selected models. */
    public CommandResult run(Selection selection) {
        return build("run", selected(selection, EnumSet.of(ResourceType.MODEL)));
    }

    /** {@code dbt seed}: loads the selected seeds. */
    public CommandResult seed(Selection selection) {
        return build("seed", selected(selection, EnumSet.of(ResourceType.SEED)));
    }

    /** {@code dbt build}: seeds and models together, in dependency order. */
    public CommandResult build(Selection selection) {
        return build("build", selected(selection, EnumSet.of(ResourceType.SEED, ResourceType.MODEL,
                ResourceType.SNAPSHOT, ResourceType.TEST, ResourceType.UNIT_TEST)));
    }

    /** {@code dbt snapshot}: the selected snapshots, each adding the new versions of its rows. */
    public CommandResult snapshot(Selection selection) {
        return build("snapshot", selected(selection, EnumSet.of(ResourceType.SNAPSHOT)));
    }

    /** {@code dbt test}: the selected tests, and the tests of the selected models, seeds and sources. */
    public CommandResult test(Selection selection) {
        return build("test", selected(selection, EnumSet.of(ResourceType.TEST, ResourceType.UNIT_TEST)));
    }

    private CommandResult build(String command, List<Node> nodes) {
        found();
        Instant started = Instant.now();
        Runner runner = new Runner(project, adapter(), compiler(), runOptions(), console());
        List<Node> buildable = nodes.stream().filter(node -> !node.isEphemeral()).toList();
        if (buildable.isEmpty()) {
            console().line("Nothing to do. Try checking your model configs and model specification args");
            CommandResult nothing = new CommandResult(command, List.of(), seconds(started));
            finish(nothing, Map.of());
            return nothing;
        }
        console().line("Concurrency: " + threads() + " threads (target='" + project.profile().targetName() + "')");
        console().line("");
        runner.runHooks(project.root().onRunStart(), "on-run-start", Map.of());
        List<NodeResult> results = switch (command) {
            case "test" -> runner.test(buildable);
            case "build" -> runner.buildAll(buildable);
            default -> runner.run(buildable);
        };
        CommandResult result = new CommandResult(command, results, seconds(started));
        runner.runHooks(project.root().onRunEnd(), "on-run-end", onRunEndVariables(results));
        finish(result, Map.of());
        return result;
    }

    /** What on-run-end hooks see: {@code results} (status, node, message) and the {@code schemas} built. */
    private static Map<String, Object> onRunEndVariables(List<NodeResult> results) {
        List<Map<String, Object>> views = new ArrayList<>();
        List<String> schemas = new ArrayList<>();
        Map<String, List<String>> databaseSchemas = new LinkedHashMap<>();
        for (NodeResult result : results) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("status", result.status().dbtName());
            view.put("message", result.message());
            view.put("execution_time", result.executionSeconds());
            view.put("node", NodeView.of(result.node()));
            views.add(view);
            if (!schemas.contains(result.node().schema())) {
                schemas.add(result.node().schema());
            }
        }
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("results", views);
        variables.put("schemas", schemas);
        variables.put("database_schemas", databaseSchemas);
        return variables;
    }

    /**
     * {@code dbt docs generate}: compiles the nodes (unless {@code compile} is false), reads the warehouse's
     * catalog, and writes target/manifest.json, target/catalog.json and the documentation site (target/index.html).
     */
    public fr.zlv.entrepot.dbt.docs.DocsResult docs(boolean compile) {
        return fr.zlv.entrepot.dbt.docs.DocsGenerator.generate(project, adapter(), targetDirectory(),
                artifacts.invocationId(), compile);
    }

    /**
     * {@code dbt source freshness}: the selected sources (all when nothing is selected) that have a freshness rule,
     * checked; writes target/sources.json.
     */
    public List<SourceFreshness.Result> sourceFreshness(Selection selection) {
        found();
        Instant started = Instant.now();
        Set<String> ids = selection.select().isEmpty() && selection.selector() == null
                ? new java.util.LinkedHashSet<>(project.manifest().sources().keySet())
                : selector().select(selection.select(), selection.exclude(), selection.selector());
        List<SourceDefinition> sources = project.manifest().sources().values().stream()
                .filter(source -> ids.contains(source.uniqueId()) && SourceFreshness.checkable(source)).toList();
        if (sources.isEmpty()) {
            console().line("Nothing to do: no selected source has a freshness block and a loaded_at_field.");
        }
        List<SourceFreshness.Result> results = new SourceFreshness(adapter(), console()).check(sources);
        double elapsed = seconds(started);
        Artifacts.write(targetDirectory().resolve("sources.json"), SourceFreshness.document(results, elapsed,
                artifacts.invocationId()));
        console().line("");
        long stale = results.stream().filter(SourceFreshness.Result::failed).count();
        for (SourceFreshness.Result result : results) {
            if (result.error() != null) {
                console().line("  " + result.error());
            }
        }
        console().line("Done. PASS=" + results.stream().filter(r -> r.status().equals("pass")).count() + " WARN="
                + results.stream().filter(r -> r.status().equals("warn")).count() + " ERROR=" + stale + " TOTAL="
                + results.size());
        return results;
    }

    /**
     * {@code dbt show}: compiles a model (or inline SQL) and returns its first {@code limit} rows, without
     * building anything.
     */
    public QueryTable show(Selection selection, String inline, int limit) {
        String sql;
        if (inline != null) {
            RenderState state = new RenderState(RenderState.Phase.COMPILE, null, project.resolver(), adapter());
            sql = project.jinja().render(inline, state, Map.of(), "inline query");
        } else {
            List<Node> nodes = selected(selection, EnumSet.of(ResourceType.MODEL, ResourceType.SEED,
                    ResourceType.ANALYSIS));
            if (nodes.size() != 1) {
                throw DbtException.project("show needs one model (--select) or --inline SQL; the selection matches "
                        + nodes.size() + " nodes.", null);
            }
            Node node = nodes.get(0);
            sql = node.type() == ResourceType.SEED ? "select * from " + relationOf(node)
                    : compiler().compile(node, false);
        }
        String limited = limit < 0 ? sql : "select * from (\n" + stripSemicolon(sql) + "\n) as dbt_show limit " + limit;
        return adapter().query(limited);
    }

    /** {@code dbt debug}: the project, the profile and the connection, checked. Returns the lines printed. */
    public static List<String> debug(Options options) {
        List<String> lines = new ArrayList<>();
        boolean ok = true;
        DbtProject root = null;
        lines.add("Running with dbt=" + Artifacts.DBT_VERSION + " (Entrepôt)");
        lines.add("dbt version: " + Artifacts.DBT_VERSION);
        lines.add("java version: " + System.getProperty("java.version"));
        try {
            root = DbtProject.load(options.projectDir());
            lines.add("Using dbt_project.yml file at " + root.root().resolve(DbtProject.FILE));
            lines.add("project: " + root.name() + " [OK found and valid]");
        } catch (RuntimeException e) {
            lines.add("project: [ERROR] " + e.getMessage());
            ok = false;
        }
        if (root != null) {
            try {
                Profile profile = loadProfile(root, options);
                lines.add("Using profiles.yml file at " + profile.file());
                lines.add("profiles.yml file [OK found and valid]");
                lines.add("Connection:");
                lines.add("  type: " + profile.type());
                lines.add("  target: " + profile.targetName());
                lines.add("  schema: " + profile.schema());
                if (profile.settings().get("path") != null) {
                    lines.add("  path: " + profile.settings().get("path"));
                }
                for (String key : List.of("host", "port", "user", "dbname", "database")) {
                    if (profile.type().equals("postgres") && profile.settings().get(key) != null) {
                        lines.add("  " + key + ": " + profile.settings().get(key));
                    }
                }
                try (Adapter adapter = options.adapters() != null ? options.adapters().apply(profile)
                        : Adapters.open(profile, root.root())) {
                    adapter.query("select 1");
                    lines.add("  Connection test: [OK connection ok]");
                }
            } catch (RuntimeException e) {
                lines.add("[ERROR] " + e.getMessage());
                ok = false;
            }
        }
        lines.add("");
        lines.add(ok ? "All checks passed!" : "Some checks failed: see above.");
        if (!ok) {
            throw new DebugFailed(lines);
        }
        return lines;
    }

    /** {@code dbt debug} found a problem; {@link #lines()} says which. */
    public static final class DebugFailed extends RuntimeException {
        private final transient List<String> lines;

        DebugFailed(List<String> lines) {
            super(String.join("\n", lines));
            this.lines = List.copyOf(lines);
        }

        public List<String> lines() {
            return lines;
        }
    }

    /** {@code dbt clean}: deletes the project's clean-targets (only inside the project). Returns what it deleted. */
    public static List<Path> clean(Path projectDir) {
        DbtProject root = DbtProject.load(projectDir);
        List<Path> deleted = new ArrayList<>();
        for (String target : root.cleanTargets()) {
            Path directory = root.root().resolve(target).normalize();
            if (!directory.startsWith(root.root()) || directory.equals(root.root())) {
                throw DbtException.project("clean-targets entry '" + target + "' is outside the project ("
                        + root.root() + "): refusing to delete it.", "List only folders inside the project.");
            }
            if (Files.exists(directory)) {
                deleteTree(directory);
                deleted.add(directory);
            }
        }
        return deleted;
    }

    private static void deleteTree(Path directory) {
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw DbtException.runtime("Cannot delete " + directory + ": " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ helpers

    /** The selected nodes of the given types, in dependency order. */
    public List<Node> selected(Selection selection, Set<ResourceType> types) {
        Set<String> ids = selector().select(selection.select(), selection.exclude(), selection.selector());
        if (types.contains(ResourceType.TEST)) {
            addTestsOf(ids, selection);
        }
        List<Node> nodes = new ArrayList<>();
        if (types.contains(ResourceType.UNIT_TEST)) {
            for (Node unitTest : project.manifest().unitTests().values()) {
                if (ids.contains(unitTest.uniqueId())) {
                    nodes.add(unitTest);
                }
            }
        }
        for (Node node : project.manifest().topologicalOrder()) {
            if (ids.contains(node.uniqueId()) && types.contains(node.type())) {
                nodes.add(node);
            }
        }
        return nodes;
    }

    /**
     * dbt's indirect selection: the tests that come along with the selected nodes (see {@link IndirectSelection}),
     * unless they are excluded. Tests selected directly stay whatever the mode.
     */
    private void addTestsOf(Set<String> ids, Selection selection) {
        if (selection.indirect() == IndirectSelection.EMPTY) {
            return;
        }
        Set<String> excluded = selection.exclude().isEmpty() ? Set.of()
                : selector().select(selection.exclude(), List.of(), null);
        Set<String> buildable = selection.indirect() == IndirectSelection.BUILDABLE ? withAncestors(ids) : ids;
        Set<String> selected = Set.copyOf(ids);
        List<Node> candidates = new ArrayList<>(project.manifest().nodes().values());
        candidates.addAll(project.manifest().unitTests().values());
        for (Node node : candidates) {
            boolean test = node.type() == ResourceType.TEST || node.type() == ResourceType.UNIT_TEST;
            if (!test || ids.contains(node.uniqueId()) || excluded.contains(node.uniqueId())
                    || node.dependsOnNodes().isEmpty()) {
                continue;
            }
            boolean comes = switch (selection.indirect()) {
                case EAGER -> node.dependsOnNodes().stream().anyMatch(selected::contains);
                case CAUTIOUS -> selected.containsAll(node.dependsOnNodes());
                case BUILDABLE -> node.dependsOnNodes().stream().anyMatch(selected::contains)
                        && buildable.containsAll(node.dependsOnNodes());
                case EMPTY -> false;
            };
            if (comes) {
                ids.add(node.uniqueId());
            }
        }
    }

    /** The nodes and everything upstream of them. */
    private Set<String> withAncestors(Set<String> ids) {
        Set<String> all = new java.util.HashSet<>(ids);
        java.util.ArrayDeque<String> pending = new java.util.ArrayDeque<>(ids);
        while (!pending.isEmpty()) {
            Node node = project.manifest().node(pending.pop());
            if (node == null) {
                continue;
            }
            for (String parent : node.dependsOnNodes()) {
                if (all.add(parent)) {
                    pending.push(parent);
                }
            }
        }
        return all;
    }

    private Selector selector() {
        return new Selector(project.manifest());
    }

    private Compiler compiler() {
        return new Compiler(project, adapter(), targetDirectory());
    }

    private RunOptions runOptions() {
        return new RunOptions(threads(), options.fullRefresh(), options.failFast(), options.storeFailures());
    }

    private Console console() {
        return options.console();
    }

    private static fr.zlv.entrepot.dbt.adapter.Relation relationOf(Node node) {
        return new fr.zlv.entrepot.dbt.adapter.Relation(node.database(), node.schema(), node.alias(), "table");
    }

    private static String stripSemicolon(String sql) {
        String trimmed = sql.strip();
        return trimmed.endsWith(";") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }

    private static double seconds(Instant started) {
        return (System.currentTimeMillis() - started.toEpochMilli()) / 1000.0;
    }

    /** "Found 12 models, 3 seeds, 2 sources, 140 macros" as dbt says it. */
    private void found() {
        Map<ResourceType, Long> counts = new LinkedHashMap<>();
        for (Node node : project.manifest().nodes().values()) {
            counts.merge(node.type(), 1L, Long::sum);
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((type, count) -> parts.add(plural(count, switch (type) {
            case ANALYSIS -> "analysis";
            case TEST -> "data test";
            default -> type.dbtName();
        })));
        if (!project.manifest().unitTests().isEmpty()) {
            parts.add(plural(project.manifest().unitTests().size(), "unit test"));
        }
        parts.add(plural(project.manifest().sources().size(), "source"));
        parts.add(plural(project.manifest().macros().size(), "macro"));
        console().line("Found " + String.join(", ", parts));
        console().line("");
    }

    private static String plural(long count, String noun) {
        if (count == 1) {
            return "1 " + noun;
        }
        return count + " " + (noun.equals("analysis") ? "analyses" : noun + "s");
    }

    /** Writes the artefacts and prints dbt's closing lines. */
    private void finish(CommandResult result, Map<String, Object> extraArgs) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("which", result.command());
        args.put("threads", threads());
        args.put("full_refresh", options.fullRefresh());
        args.put("fail_fast", options.failFast());
        args.put("target", project.profile().targetName());
        args.put("vars", options.vars());
        args.put("project_dir", project.root().root().toString());
        args.putAll(extraArgs);
        Artifacts.write(targetDirectory().resolve("run_results.json"), artifacts.runResults(result.results(),
                result.elapsedSeconds(), args));
        writeManifest();
        printSummary(result);
    }

    private void writeManifest() {
        Artifacts.write(targetDirectory().resolve("manifest.json"), artifacts.manifest(project.manifest()));
    }

    private void printSummary(CommandResult result) {
        Console console = console();
        Map<String, Long> built = new LinkedHashMap<>();
        for (NodeResult nodeResult : result.results()) {
            String kind = switch (nodeResult.node().type()) {
                case SEED -> "seed";
                case ANALYSIS -> "analysis";
                case TEST -> "data test";
                case UNIT_TEST -> "unit test";
                case SNAPSHOT -> "snapshot";
                default -> nodeResult.node().materialized() + " model";
            };
            built.merge(kind, 1L, Long::sum);
        }
        List<String> parts = new ArrayList<>();
        built.forEach((kind, count) -> parts.add(count + " " + kind + (count == 1 ? "" : "s")));
        console.line("");
        long whole = (long) result.elapsedSeconds();
        console.line("Finished running " + (parts.isEmpty() ? "nothing" : String.join(", ", parts)) + " in "
                + whole / 3600 + " hours " + whole % 3600 / 60 + " minutes and "
                + String.format(Locale.ROOT, "%.2f", result.elapsedSeconds() % 60) + " seconds ("
                + String.format(Locale.ROOT, "%.2f", result.elapsedSeconds()) + "s).");
        console.line("");
        long errors = result.count(NodeResult.Status.ERROR) + result.count(NodeResult.Status.FAIL);
        long warnings = result.count(NodeResult.Status.WARN);
        if (errors == 0 && warnings == 0) {
            console.line("Completed successfully");
        } else {
            // dbt's words, which log readers look for.
            console.line("Completed with " + errors + " error" + (errors == 1 ? "" : "s") + ", 0 partial successes, and "
                    + warnings + " warning" + (warnings == 1 ? "" : "s") + ":");
            for (NodeResult nodeResult : result.results()) {
                if (nodeResult.failed() || nodeResult.status() == NodeResult.Status.WARN) {
                    console.line("");
                    console.line("  " + describeProblem(nodeResult));
                }
            }
        }
        console.line("");
        long pass = result.count(NodeResult.Status.SUCCESS) + result.count(NodeResult.Status.PASS);
        console.line("Done. PASS=" + pass + " WARN=" + result.count(NodeResult.Status.WARN) + " ERROR=" + errors
                + " SKIP=" + result.count(NodeResult.Status.SKIPPED) + " TOTAL=" + result.results().size());
    }

    /** A failed or warning node as the summary lists it; a test says what it found and where its SQL is. */
    private String describeProblem(NodeResult result) {
        Node node = result.node();
        if (node.type() == ResourceType.UNIT_TEST && result.status() == NodeResult.Status.FAIL) {
            return "Failure in unit_test " + node.name() + " (" + node.originalFilePath() + ")\n\n" + result.message();
        }
        if (node.type() != ResourceType.TEST || result.status() == NodeResult.Status.ERROR) {
            return result.message();
        }
        return (result.status() == NodeResult.Status.FAIL ? "Failure" : "Warning") + " in test " + node.name() + " ("
                + node.originalFilePath() + ")\n  " + result.message() + "\n\n  compiled code at "
                + project.root().targetPath() + "/compiled/" + node.packageName() + "/" + Compiler.buildPath(node);
    }

    @Override
    public synchronized void close() {
        if (adapter != null) {
            adapter.close();
            adapter = null;
        }
    }
}
