package fr.zlv.entrepot.dbt.parse;

import com.hubspot.jinjava.lib.fn.MacroFunction;
import fr.zlv.entrepot.dbt.DbtException;
import fr.zlv.entrepot.dbt.graph.ColumnInfo;
import fr.zlv.entrepot.dbt.graph.DocBlock;
import fr.zlv.entrepot.dbt.graph.MacroDefinition;
import fr.zlv.entrepot.dbt.graph.Manifest;
import fr.zlv.entrepot.dbt.graph.Node;
import fr.zlv.entrepot.dbt.graph.ResourceType;
import fr.zlv.entrepot.dbt.graph.SourceDefinition;
import fr.zlv.entrepot.dbt.jinja.Builtins;
import fr.zlv.entrepot.dbt.jinja.JinjaEngine;
import fr.zlv.entrepot.dbt.jinja.Preprocessor;
import fr.zlv.entrepot.dbt.jinja.RenderState;
import fr.zlv.entrepot.dbt.project.ConfigTree;
import fr.zlv.entrepot.dbt.project.DbtProject;
import fr.zlv.entrepot.dbt.project.NodeConfig;
import fr.zlv.entrepot.dbt.project.Profile;
import fr.zlv.entrepot.dbt.project.Yaml;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Reads a dbt project into a {@link Manifest}.
 *
 * <p>Steps, in order: (1) read the macros of Entrepôt, of each package under {@code dbt_packages/} and of the
 * project, so Jinja can call them; (2) read the docs blocks; (3) find the models, seeds and analyses of every
 * project; (4) read the properties files (descriptions, columns, configs, sources); (5) resolve each node's
 * configuration ({@code dbt_project.yml}, then the properties, then the node's own {@code config()}) and find
 * its refs and sources, reading simple models without rendering them; (6) name each node's relation
 * (database, schema, alias: {@code generate_*_name}); (7) link nodes to what they depend on and refuse cycles.
 */
public final class ProjectParser {

    private final DbtProject root;
    private final Profile profile;
    private final Map<String, Object> cliVars;
    private final Builtins.Settings settings;
    private final int threads;

    public ProjectParser(DbtProject root, Profile profile, Map<String, Object> cliVars, Builtins.Settings settings,
                         int threads) {
        this.root = root;
        this.profile = profile;
        this.cliVars = cliVars;
        this.settings = settings;
        this.threads = Math.max(1, threads);
    }

    public ParsedProject parse() {
        long started = System.nanoTime();
        List<DbtProject> packages = root.packages();
        Manifest manifest = new Manifest(root.name());
        Map<String, String> docs = new LinkedHashMap<>();
        Builtins builtins = new Builtins(new Builtins.Settings(settings.adapterType(), settings.target(),
                settings.flags(), settings.projectName(), settings.invocationId(), settings.environment(),
                settings.console(), name -> docs.getOrDefault(name, "")));
        JinjaEngine jinja = new JinjaEngine(builtins);
        Set<String> projectNames = new LinkedHashSet<>();
        projectNames.add(root.name());
        packages.forEach(p -> projectNames.add(p.name()));
        ProjectResolver resolver = new ProjectResolver(root, cliVars, jinja, settings.adapterType(), projectNames);

        // (1) macros: Entrepôt's defaults, then the packages', then the project's (which override).
        List<MacroDefinition> definitions = new ArrayList<>();
        jinja.installInternal(jinja.parseMacros("dbt", BuiltinMacros.dbt(), definitions, false));
        Map<String, Map<String, MacroFunction>> packageMacros = new LinkedHashMap<>();
        for (DbtProject pkg : packages) {
            packageMacros.put(pkg.name(), jinja.parseMacros(pkg.name(), macroFiles(pkg), definitions, false));
        }
        BuiltinMacros.packages().forEach((name, files) -> {
            if (!packageMacros.containsKey(name)) {
                packageMacros.put(name, jinja.parseMacros(name, files, definitions, false));
            }
        });
        Map<String, MacroFunction> rootMacros = jinja.parseMacros(root.name(), macroFiles(root), definitions, true);
        jinja.install(rootMacros, packageMacros);
        definitions.forEach(definition -> manifest.macros().put(definition.uniqueId(), definition));

        // (2) docs blocks.
        List<DbtProject> all = new ArrayList<>(packages);
        all.add(root);
        for (DbtProject project : all) {
            for (Path file : files(project, docPaths(project), ".md")) {
                for (Preprocessor.DocsBlock block : Preprocessor.docs(read(file))) {
                    DocBlock doc = new DocBlock(project.name(), block.name(), relative(project, file), block.contents());
                    manifest.docs().put(doc.uniqueId(), doc);
                    docs.put(block.name(), block.contents());
                }
            }
        }

        // (3) and (4): nodes, then properties.
        List<Node> nodes = new ArrayList<>();
        Properties properties = new Properties(docs);
        for (DbtProject project : all) {
            nodes.addAll(findNodes(project, ResourceType.MODEL, project.modelPaths(), ".sql"));
            nodes.addAll(findNodes(project, ResourceType.SEED, project.seedPaths(), ".csv"));
            nodes.addAll(findNodes(project, ResourceType.ANALYSIS, project.analysisPaths(), ".sql"));
            nodes.addAll(findSnapshots(project));
            nodes.addAll(findSingularTests(project));
            List<String> yamlPaths = new ArrayList<>(project.modelPaths());
            yamlPaths.addAll(project.seedPaths());
            yamlPaths.addAll(project.snapshotPaths());
            yamlPaths.addAll(project.analysisPaths());
            yamlPaths.addAll(project.macroPaths());
            for (Path file : files(project, yamlPaths, ".yml", ".yaml")) {
                properties.read(project, relative(project, file), Yaml.readMap(file), docs);
            }
        }
        properties.sources().forEach(source -> manifest.sources().put(source.uniqueId(), source));
        properties.macroDescriptions().forEach((id, description) -> {
            MacroDefinition macro = manifest.macros().get(id);
            if (macro != null) {
                manifest.macros().put(id, new MacroDefinition(macro.packageName(), macro.name(), macro.originalFilePath(),
                        macro.sql(), description));
            }
        });

        // (5) configuration, refs, sources.
        for (Node node : nodes) {
            node.config(baseConfig(node, packages));
            properties.patch(node);
        }
        nodes.addAll(genericTests(properties, nodes, packages));
        parseAll(nodes, jinja, resolver);
        for (Node node : nodes) {
            if (node.config().enabled()) {
                manifest.nodes().put(node.uniqueId(), node);
            } else {
                manifest.disabled().put(node.uniqueId(), node);
            }
        }

        for (Properties.PendingUnitTest pending : properties.unitTests()) {
            Node unitTest = unitTest(pending, packages);
            if (unitTest.config().enabled()) {
                manifest.unitTests().put(unitTest.uniqueId(), unitTest);
            }
        }

        // (6) relations.
        RelationNamer namer = new RelationNamer(jinja, profile, settings.target(), resolver);
        for (Node node : manifest.nodes().values()) {
            namer.name(node);
        }

        // (7) edges.
        resolver.manifest(manifest);
        for (Node node : manifest.nodes().values()) {
            for (Node.Ref ref : node.refs()) {
                node.dependsOnNodes().add(resolver.find(ref.packageName(), ref.name(), node).uniqueId());
            }
            for (List<String> source : node.sources()) {
                node.dependsOnNodes().add(resolver.findSource(source.get(0), source.get(1), node).uniqueId());
            }
        }
        for (Node unitTest : manifest.unitTests().values()) {
            Node model = resolver.find(null, String.valueOf(unitTest.unitTest().get("model")), unitTest);
            unitTest.dependsOnNodes().add(model.uniqueId());
            unitTest.attachedNode(model.uniqueId());
        }
        manifest.topologicalOrder();
        readSelectors(manifest);
        return new ParsedProject(root, packages, profile, manifest, jinja, resolver, (System.nanoTime() - started) / 1e9);
    }

    /** {@code selectors.yml} beside {@code dbt_project.yml}: named selections for {@code --selector}. */
    private void readSelectors(Manifest manifest) {
        Path file = root.root().resolve("selectors.yml");
        if (!Files.isRegularFile(file)) {
            return;
        }
        for (Object entry : Yaml.list(Yaml.readMap(file).get("selectors"))) {
            Map<String, Object> selector = Yaml.map(entry);
            Object name = selector.get("name");
            if (name == null || !selector.containsKey("definition")) {
                throw DbtException.project(file + ": each selector needs a name and a definition.", null);
            }
            Map<String, Object> stored = new LinkedHashMap<>();
            stored.put("name", String.valueOf(name));
            stored.put("description", Yaml.string(selector.get("description"), ""));
            stored.put("definition", selector.get("definition"));
            if (Boolean.parseBoolean(Yaml.string(selector.get("default"), "false"))) {
                stored.put("default", true);
            }
            manifest.selectors().put(String.valueOf(name), stored);
        }
    }

    // ------------------------------------------------------------------ files

    private static List<JinjaEngine.MacroFile> macroFiles(DbtProject project) {
        List<JinjaEngine.MacroFile> files = new ArrayList<>();
        List<String> paths = new ArrayList<>(project.macroPaths());
        paths.addAll(project.testPaths().stream().map(path -> path + "/generic").toList());
        for (Path file : files(project, paths, ".sql")) {
            files.add(new JinjaEngine.MacroFile(relative(project, file), read(file)));
        }
        return files;
    }

    private static List<String> docPaths(DbtProject project) {
        List<String> paths = new ArrayList<>(project.docsPaths());
        if (paths.isEmpty()) {
            paths.addAll(project.modelPaths());
            paths.addAll(project.seedPaths());
            paths.addAll(project.macroPaths());
            paths.addAll(project.snapshotPaths());
            paths.addAll(project.analysisPaths());
            paths.addAll(project.testPaths());
        }
        return paths;
    }

    /** The files under the project's {@code paths} ending in one of {@code extensions}, sorted. */
    static List<Path> files(DbtProject project, List<String> paths, String... extensions) {
        List<Path> found = new ArrayList<>();
        Set<Path> seen = new LinkedHashSet<>();
        for (String path : paths) {
            Path directory = project.root().resolve(path);
            if (!Files.isDirectory(directory)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(directory)) {
                walk.filter(Files::isRegularFile)
                        .filter(file -> {
                            String name = file.getFileName().toString();
                            for (String extension : extensions) {
                                if (name.endsWith(extension)) {
                                    return true;
                                }
                            }
                            return false;
                        })
                        .filter(file -> !file.startsWith(project.root().resolve(project.packagesPath())) || path.startsWith(project.packagesPath()))
                        .sorted()
                        .forEach(file -> {
                            if (seen.add(file)) {
                                found.add(file);
                            }
                        });
            } catch (IOException e) {
                throw DbtException.project("Cannot read " + directory + ": " + e.getMessage(), null, e);
            }
        }
        return found;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw DbtException.project("Cannot read " + file + ": " + e.getMessage(), null, e);
        }
    }

    static String relative(DbtProject project, Path file) {
        return project.root().relativize(file).toString().replace('\\', '/');
    }

    // ------------------------------------------------------------------ nodes

    private static List<Node> findNodes(DbtProject project, ResourceType type, List<String> paths, String extension) {
        List<Node> nodes = new ArrayList<>();
        for (String path : paths) {
            Path directory = project.root().resolve(path);
            for (Path file : files(project, List.of(path), extension)) {
                String inPath = directory.relativize(file).toString().replace('\\', '/');
                String fileName = file.getFileName().toString();
                String name = fileName.substring(0, fileName.length() - extension.length());
                List<String> fqn = new ArrayList<>();
                fqn.add(project.name());
                String folder = inPath.contains("/") ? inPath.substring(0, inPath.lastIndexOf('/')) : "";
                if (!folder.isEmpty()) {
                    fqn.addAll(List.of(folder.split("/")));
                }
                fqn.add(name);
                String raw = type == ResourceType.SEED ? "" : read(file);
                Node node = new Node(type, project.name(), name, file, relative(project, file), inPath, fqn, raw,
                        new NodeConfig());
                node.checksum(sha256(type == ResourceType.SEED ? read(file) : raw));
                nodes.add(node);
            }
        }
        return nodes;
    }

    /** The {@code {% snapshot %}} blocks of the snapshot paths: one node each, named by its block. */
    private static List<Node> findSnapshots(DbtProject project) {
        List<Node> nodes = new ArrayList<>();
        for (String path : project.snapshotPaths()) {
            Path directory = project.root().resolve(path);
            for (Path file : files(project, List.of(path), ".sql")) {
                String inPath = directory.relativize(file).toString().replace('\\', '/');
                String folder = inPath.contains("/") ? inPath.substring(0, inPath.lastIndexOf('/')) : "";
                for (Preprocessor.SnapshotBlock block : Preprocessor.snapshots(read(file))) {
                    List<String> fqn = new ArrayList<>();
                    fqn.add(project.name());
                    if (!folder.isEmpty()) {
                        fqn.addAll(List.of(folder.split("/")));
                    }
                    fqn.add(block.name());
                    Node node = new Node(ResourceType.SNAPSHOT, project.name(), block.name(), file,
                            relative(project, file), inPath, fqn, block.body(), new NodeConfig());
                    node.checksum(sha256(block.body()));
                    nodes.add(node);
                }
            }
        }
        return nodes;
    }

    /** The SQL files under the test paths (but not tests/generic, which holds test macros): singular tests. */
    private static List<Node> findSingularTests(DbtProject project) {
        List<Node> tests = new ArrayList<>();
        for (Node node : findNodes(project, ResourceType.TEST, project.testPaths(), ".sql")) {
            if (!node.path().startsWith("generic/")) {
                tests.add(node);
            }
        }
        return tests;
    }

    /**
     * The generic tests of the properties files, configured by dbt_project.yml's {@code data_tests:} tree, then by
     * their entry. A test of a disabled model is disabled with it.
     */
    private List<Node> genericTests(Properties properties, List<Node> nodes, List<DbtProject> packages) {
        Map<String, Node> targets = new LinkedHashMap<>();
        for (Node node : nodes) {
            targets.put(node.packageName() + "." + node.name(), node);
        }
        List<Node> tests = new ArrayList<>();
        for (Properties.PendingTest pending : properties.tests()) {
            Node test = GenericTests.build(pending.target(), pending.column(), pending.columnTags(), pending.entry());
            NodeConfig config = baseConfig(test, packages);
            config.merge(test.config().asMap());
            Node target = pending.target().isSource() ? null
                    : targets.get(pending.target().packageName() + "." + pending.target().name());
            if (target != null && !target.config().enabled()) {
                config.put("enabled", false);
            }
            test.config(config);
            if (target != null) {
                test.attachedNode(target.uniqueId());
            }
            tests.add(test);
        }
        return tests;
    }

    /**
     * A unit test ({@code unit_tests:}): a model's SQL run on rows given for its inputs, compared with rows expected.
     * It depends on its model; it is named {@code unit_test.<package>.<model>.<name>}.
     */
    private Node unitTest(Properties.PendingUnitTest pending, List<DbtProject> packages) {
        Map<String, Object> definition = pending.definition();
        String name = Yaml.string(definition.get("name"), null);
        String model = Yaml.string(definition.get("model"), null);
        if (name == null || model == null) {
            throw DbtException.project(pending.file() + ": a unit test needs a name and a model.", null);
        }
        if (!(definition.get("expect") instanceof Map<?, ?>)) {
            throw DbtException.project(pending.file() + ": unit test '" + name + "' has no expect: block.",
                    "Write expect: {rows: [...]}.");
        }
        List<String> fqn = new ArrayList<>();
        fqn.add(pending.project().name());
        fqn.addAll(pending.folders());
        fqn.add(model);
        fqn.add(name);
        Node node = new Node(ResourceType.UNIT_TEST, pending.project().name(), name,
                pending.project().root().resolve(pending.file()), pending.file(), pending.file(), fqn, "",
                new NodeConfig(), "unit_test." + pending.project().name() + "." + model + "." + name);
        NodeConfig config = baseConfig(node, packages);
        config.merge(Yaml.map(definition.get("config")));
        node.config(config);
        node.description(Yaml.string(definition.get("description"), ""));
        node.unitTest(definition);
        node.refs().add(new Node.Ref(null, model));
        node.checksum(sha256(String.valueOf(definition)));
        return node;
    }

    /** dbt_project.yml's configuration for a node: the package's own tree, then the root project's. */
    private NodeConfig baseConfig(Node node, List<DbtProject> packages) {
        NodeConfig config = new NodeConfig();
        if (node.type() == ResourceType.TEST) {
            // dbt's test defaults: fail on any row; failing rows, when stored, go to the audit schema.
            config.put("severity", "ERROR");
            config.put("warn_if", "!= 0");
            config.put("error_if", "!= 0");
            config.put("fail_calc", "count(*)");
            config.put("schema", "dbt_test__audit");
        }
        config.put("materialized", switch (node.type()) {
            case TEST -> "test";
            case UNIT_TEST -> "unit_test";
            case SEED -> "seed";
            case SNAPSHOT -> "snapshot";
            case ANALYSIS -> "view";
            default -> "view";
        });
        if (node.type() == ResourceType.SEED) {
            config.put("delimiter", ",");
        }
        if (!node.packageName().equals(root.name())) {
            packages.stream().filter(pkg -> pkg.name().equals(node.packageName())).findFirst()
                    .ifPresent(pkg -> tree(pkg, node.type()).applyTo(config, node.fqn()));
        }
        tree(root, node.type()).applyTo(config, node.fqn());
        return config;
    }

    private static ConfigTree tree(DbtProject project, ResourceType type) {
        return switch (type) {
            case SEED -> project.seeds();
            case SNAPSHOT -> project.snapshots();
            case TEST -> project.tests();
            case UNIT_TEST -> new ConfigTree(Yaml.map(project.raw().get("unit_tests")));
            default -> project.models();
        };
    }

    /** Finds each model's refs, sources and config() call: statically when it can, else by rendering, in parallel. */
    private void parseAll(List<Node> nodes, JinjaEngine jinja, ProjectResolver resolver) {
        List<Node> toRender = new ArrayList<>();
        for (Node node : nodes) {
            if (node.type() == ResourceType.SEED || node.testMetadata() != null) {
                continue;
            }
            StaticParser.Found found = StaticParser.parse(node.rawCode());
            if (found == null) {
                toRender.add(node);
                continue;
            }
            found.refs().forEach(ref -> node.refs().add(new Node.Ref(ref.size() > 1 ? ref.get(0) : null,
                    ref.get(ref.size() - 1))));
            node.sources().addAll(found.sources());
            node.config().merge(found.config());
        }
        if (toRender.isEmpty()) {
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, toRender.size()), runnable -> {
            Thread thread = new Thread(runnable, "dbt-parse");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> work = new ArrayList<>();
            for (Node node : toRender) {
                work.add(pool.submit(() -> {
                    RenderState state = new RenderState(RenderState.Phase.PARSE, node, resolver, null);
                    jinja.render(node.rawCode(), state, Map.of("model", NodeView.of(node)), where(node));
                    node.refs().addAll(state.refs());
                    node.sources().addAll(state.sources());
                    node.config().merge(state.configCalls());
                }));
            }
            for (Future<?> future : work) {
                try {
                    future.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static String where(Node node) {
        return node.type().dbtName() + " " + node.packageName() + "." + node.name() + " (" + node.originalFilePath() + ")";
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The properties files' content, gathered before it is applied to the nodes. */
    private static final class Properties {
        private final Map<String, String> docs;
        private final Map<String, Map<String, Object>> nodePatches = new LinkedHashMap<>();
        private final Map<String, String> patchFiles = new LinkedHashMap<>();
        private final List<SourceDefinition> sources = new ArrayList<>();
        private final Map<String, String> macroDescriptions = new LinkedHashMap<>();

        Properties(Map<String, String> docs) {
            this.docs = docs;
        }

        void read(DbtProject project, String file, Map<String, Object> yaml, Map<String, String> docs) {
            List<String> folders = folders(project, file);
            for (String kind : List.of("models", "seeds", "snapshots", "analyses")) {
                for (Object entry : Yaml.list(yaml.get(kind))) {
                    Map<String, Object> patch = Yaml.map(entry);
                    Object name = patch.get("name");
                    if (name == null) {
                        throw DbtException.project(file + ": an entry under " + kind + " has no name.", null);
                    }
                    String key = project.name() + "." + name;
                    nodePatches.put(key, patch);
                    patchFiles.put(key, project.name() + "://" + file);
                    GenericTests.Target target = new GenericTests.Target(project.name(), String.valueOf(name), null,
                            file, project.root().resolve(file), folders);
                    collectTests(target, patch);
                }
            }
            for (Object entry : Yaml.list(yaml.get("sources"))) {
                readSource(project, file, Yaml.map(entry), docs);
                Map<String, Object> source = Yaml.map(entry);
                for (Object table : Yaml.list(source.get("tables"))) {
                    Map<String, Object> tableMap = Yaml.map(table);
                    GenericTests.Target target = new GenericTests.Target(project.name(),
                            Yaml.string(tableMap.get("name"), ""), Yaml.string(source.get("name"), ""), file,
                            project.root().resolve(file), folders);
                    collectTests(target, tableMap);
                }
            }
            for (Object entry : Yaml.list(yaml.get("unit_tests"))) {
                unitTests.add(new PendingUnitTest(project, file, folders, Yaml.map(entry)));
            }
            for (Object entry : Yaml.list(yaml.get("macros"))) {
                Map<String, Object> macro = Yaml.map(entry);
                macroDescriptions.put("macro." + project.name() + "." + macro.get("name"),
                        Yaml.string(macro.get("description"), ""));
            }
        }

        private void readSource(DbtProject project, String file, Map<String, Object> source, Map<String, String> docs) {
            String sourceName = Yaml.string(source.get("name"), null);
            if (sourceName == null) {
                throw DbtException.project(file + ": a source has no name.", null);
            }
            String schema = Yaml.string(source.get("schema"), sourceName);
            String database = Yaml.string(source.get("database"), null);
            for (Object tableEntry : Yaml.list(source.get("tables"))) {
                Map<String, Object> table = Yaml.map(tableEntry);
                String name = Yaml.string(table.get("name"), null);
                if (name == null) {
                    throw DbtException.project(file + ": a table of source '" + sourceName + "' has no name.", null);
                }
                Map<String, Object> freshness = new LinkedHashMap<>(Yaml.map(source.get("freshness")));
                if (table.containsKey("freshness")) {
                    if (table.get("freshness") == null) {
                        freshness.clear();
                    } else {
                        freshness.putAll(Yaml.map(table.get("freshness")));
                    }
                }
                Map<String, Object> meta = new LinkedHashMap<>(Yaml.map(source.get("meta")));
                meta.putAll(Yaml.map(table.get("meta")));
                List<String> tags = new ArrayList<>(Yaml.strings(source.get("tags")));
                tags.addAll(Yaml.strings(table.get("tags")));
                sources.add(new SourceDefinition(project.name(), sourceName, name,
                        database, schema, Yaml.string(table.get("identifier"), name),
                        describe(table.get("description"), docs), describe(source.get("description"), docs),
                        columns(table.get("columns"), docs),
                        Yaml.string(table.containsKey("loaded_at_field") ? table.get("loaded_at_field")
                                : source.get("loaded_at_field"), null),
                        freshness, meta, tags, file, Yaml.map(table.get("config"))));
            }
        }

        List<SourceDefinition> sources() {
            return sources;
        }

        /** A unit test of a properties file: its project, file and definition. */
        record PendingUnitTest(DbtProject project, String file, List<String> folders, Map<String, Object> definition) {
        }

        private final List<PendingUnitTest> unitTests = new ArrayList<>();

        List<PendingUnitTest> unitTests() {
            return unitTests;
        }

        /** A generic test found in a properties file, turned into a node once every node is known. */
        record PendingTest(GenericTests.Target target, String column, List<String> columnTags, Object entry) {
        }

        private final List<PendingTest> tests = new ArrayList<>();

        List<PendingTest> tests() {
            return tests;
        }

        /** The entry's tests: on the whole node ({@code tests:}/{@code data_tests:}) and on each column. */
        private void collectTests(GenericTests.Target target, Map<String, Object> entry) {
            for (String key : List.of("tests", "data_tests")) {
                for (Object test : Yaml.list(entry.get(key))) {
                    tests.add(new PendingTest(target, null, List.of(), test));
                }
            }
            for (Object columnEntry : Yaml.list(entry.get("columns"))) {
                Map<String, Object> column = Yaml.map(columnEntry);
                String name = Yaml.string(column.get("name"), null);
                if (name == null) {
                    continue;
                }
                for (String key : List.of("tests", "data_tests")) {
                    for (Object test : Yaml.list(column.get(key))) {
                        tests.add(new PendingTest(target, name, Yaml.strings(column.get("tags")), test));
                    }
                }
            }
        }

        /** The folders of a properties file under its resource path: models/staging/x.yml gives [staging]. */
        private static List<String> folders(DbtProject project, String file) {
            List<String> roots = new ArrayList<>(project.modelPaths());
            roots.addAll(project.seedPaths());
            roots.addAll(project.snapshotPaths());
            roots.addAll(project.analysisPaths());
            roots.addAll(project.macroPaths());
            for (String root : roots) {
                String prefix = root.endsWith("/") ? root : root + "/";
                if (file.startsWith(prefix)) {
                    String rest = file.substring(prefix.length());
                    return rest.contains("/") ? List.of(rest.substring(0, rest.lastIndexOf('/')).split("/")) : List.of();
                }
            }
            return List.of();
        }

        Map<String, String> macroDescriptions() {
            return macroDescriptions;
        }

        void patch(Node node) {
            String key = node.packageName() + "." + node.name();
            Map<String, Object> patch = nodePatches.get(key);
            if (patch == null) {
                return;
            }
            node.patchPath(patchFiles.get(key));
            node.description(describe(patch.get("description"), docs));
            node.columns(columns(patch.get("columns"), docs));
            node.config().merge(Yaml.map(patch.get("config")));
            if (patch.containsKey("tags")) {
                node.config().merge(Map.of("tags", patch.get("tags")));
            }
            if (patch.containsKey("meta")) {
                node.config().merge(Map.of("meta", patch.get("meta")));
            }
            if (patch.containsKey("docs")) {
                node.config().put("docs", patch.get("docs"));
            }
        }

        private static Map<String, ColumnInfo> columns(Object value, Map<String, String> docs) {
            Map<String, ColumnInfo> columns = new LinkedHashMap<>();
            for (Object entry : Yaml.list(value)) {
                Map<String, Object> column = Yaml.map(entry);
                String name = Yaml.string(column.get("name"), null);
                if (name == null) {
                    continue;
                }
                List<Object> tests = new ArrayList<>(Yaml.list(column.get("tests")));
                tests.addAll(Yaml.list(column.get("data_tests")));
                Map<String, Object> meta = new LinkedHashMap<>(Yaml.map(column.get("meta")));
                meta.putAll(Yaml.map(Yaml.map(column.get("config")).get("meta")));
                columns.put(name, new ColumnInfo(name, describe(column.get("description"), docs),
                        Yaml.string(column.get("data_type"), null), meta, Yaml.strings(column.get("tags")), tests));
            }
            return columns;
        }

        /** A description, with {@code {{ doc('name') }}} replaced by the docs block. */
        private static String describe(Object value, Map<String, String> docs) {
            String text = Yaml.string(value, "");
            if (!text.contains("doc(")) {
                return text;
            }
            return java.util.regex.Pattern.compile("\\{\\{\\s*doc\\(\\s*['\"](\\w+)['\"]\\s*\\)\\s*}}").matcher(text)
                    .replaceAll(match -> java.util.regex.Matcher.quoteReplacement(docs.getOrDefault(match.group(1), "")));
        }
    }
}
