package fr.zlv.entrepot.orchestrator.warehouse;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.settings.ProductionSettings;
import fr.zlv.entrepot.core.settings.ProductionTable;
import fr.zlv.entrepot.core.settings.WarehouseSettings;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import fr.zlv.entrepot.dbt.DbtEngine;
import fr.zlv.entrepot.dbt.graph.Manifest;
import fr.zlv.entrepot.dbt.graph.Node;
import fr.zlv.entrepot.dbt.graph.ResourceType;
import fr.zlv.entrepot.dbt.graph.SourceDefinition;
import fr.zlv.entrepot.dbt.run.NodeResult;
import fr.zlv.entrepot.ingest.files.FileIngestion;
import fr.zlv.entrepot.ingest.files.FileSource;
import fr.zlv.entrepot.ingest.production.ProductionSync;
import fr.zlv.entrepot.ingest.production.SyncReport;
import fr.zlv.entrepot.orchestrator.asset.AssetGraph;
import fr.zlv.entrepot.orchestrator.asset.AssetKey;
import fr.zlv.entrepot.orchestrator.asset.AssetSelection;
import fr.zlv.entrepot.orchestrator.asset.AssetSpec;
import fr.zlv.entrepot.orchestrator.asset.CheckSpec;
import fr.zlv.entrepot.orchestrator.privacy.PrivacyCheck;
import fr.zlv.entrepot.orchestrator.run.CheckOutcome;
import fr.zlv.entrepot.orchestrator.run.Definitions;
import fr.zlv.entrepot.orchestrator.run.Materialization;
import fr.zlv.entrepot.orchestrator.run.RetryPolicy;
import fr.zlv.entrepot.orchestrator.run.StepContext;
import fr.zlv.entrepot.orchestrator.run.StepSpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The warehouse's assets and how each is built:
 * <ul>
 *   <li>{@code production/<table>}: every production table, all copied by one step ({@code production_sync}) in one
 *       snapshot (a run that selects some tables copies only those);</li>
 *   <li>{@code lovac/…}, {@code ff/…}, {@code external/…}: every table of the file catalog, one step per table;</li>
 *   <li>{@code <schema>/<table>} of every dbt model, seed and snapshot, built by one {@code dbt_build} step that
 *       runs {@code dbt build} on the selected nodes (their tests become the assets' checks); a dbt source's table is
 *       the upstream asset that ingests it; every model of schema {@code marts} also gets the blocking
 *       {@code privacy} check.</li>
 * </ul>
 * Jobs, schedules, retry policies and checks come from {@code jobs.yml}.
 */
public final class WarehouseDefinitions {

    /** Loads file sources into the warehouse (the command line brings its object stores and download cache). */
    @FunctionalInterface
    public interface FileLoader {
        List<FileIngestion.Outcome> load(Warehouse warehouse, List<FileSource> sources);
    }

    /**
     * What the definitions are made from. {@code files}/{@code fileLoader} and {@code dbt} may be empty/null when the
     * warehouse has no file catalog or no dbt project.
     */
    public record Inputs(WarehouseSettings warehouse, ProductionSettings production, List<FileSource> files,
                         FileLoader fileLoader, DbtEngine.Options dbt, JobsFile jobs, Clock clock,
                         PublishAssets.Publication publication) {

        /** Without publication targets. */
        public Inputs(WarehouseSettings warehouse, ProductionSettings production, List<FileSource> files,
                      FileLoader fileLoader, DbtEngine.Options dbt, JobsFile jobs, Clock clock) {
            this(warehouse, production, files, fileLoader, dbt, jobs, clock, null);
        }
    }

    public static final String PRODUCTION_STEP = "production_sync";
    public static final String DBT_STEP = "dbt_build";

    private final Inputs inputs;
    private final Supplier<Warehouse> openWarehouse;
    private final List<AssetSpec> assets = new ArrayList<>();
    private final List<StepSpec> steps = new ArrayList<>();
    /** The dbt node of each dbt asset, by key. */
    private final Map<AssetKey, Node> dbtNodes = new LinkedHashMap<>();
    /** The dbt project's privacy check (its classification read once, with the manifest); null without dbt. */
    private PrivacyCheck privacy;

    private WarehouseDefinitions(Inputs inputs) {
        this.inputs = inputs;
        this.openWarehouse = () -> Warehouse.open(inputs.warehouse());
    }

    public static Definitions build(Inputs inputs) {
        return new WarehouseDefinitions(inputs).definitions();
    }

    private Definitions definitions() {
        addProduction();
        addFiles();
        if (inputs.dbt() != null) {
            addDbt();
        }
        if (inputs.publication() != null) {
            Map<String, Node> martNodes = new LinkedHashMap<>();
            dbtNodes.values().forEach(node -> martNodes.put(node.alias(), node));
            Set<AssetKey> known = new LinkedHashSet<>();
            assets.forEach(asset -> known.add(asset.key()));
            new PublishAssets(inputs.publication(), inputs.warehouse(), privacy, martNodes, inputs.clock())
                    .addTo(assets, steps, known);
        }
        List<AssetSpec> withChecks = applyChecks();
        List<StepSpec> withRetries = applyRetries(new AssetGraph(withChecks));
        return new Definitions(withChecks, withRetries, inputs.jobs().jobs(), inputs.jobs().schedules(),
                new WarehouseChecks(openWarehouse, inputs.clock(), privacy));
    }

    private void addProduction() {
        List<AssetKey> keys = new ArrayList<>();
        for (ProductionTable table : inputs.production().tables()) {
            AssetKey key = AssetKey.of("production", table.name());
            keys.add(key);
            assets.add(new AssetSpec(key, Set.of(), "production", "postgres", "production database",
                    "Copy of the production table " + inputs.production().schema() + "." + table.source()
                            + ", read-only, in one snapshot with the other production tables.",
                    Set.of("daily"), List.of()));
        }
        if (!keys.isEmpty()) {
            steps.add(new StepSpec(PRODUCTION_STEP, keys, RetryPolicy.NONE, true, this::syncProduction));
        }
    }

    private void syncProduction(StepContext context) throws java.sql.SQLException {
        List<String> tables = context.selected().stream().map(AssetKey::name).toList();
        context.log("Copying " + tables.size() + " production table(s) from " + inputs.production().jdbcUrl());
        try (Warehouse warehouse = openWarehouse.get(); java.sql.Connection connection = warehouse.connect()) {
            SyncReport report = new ProductionSync(inputs.production(), warehouse).run(tables, ProductionSync.Listener.NONE);
            for (SyncReport.TableReport table : report.tables()) {
                context.log(String.format(Locale.ROOT, "production.%s: %d rows in %.1f s", table.table(), table.rows(),
                        table.seconds()));
                context.materialized(AssetKey.of("production", table.table()), new Materialization(table.rows(),
                        SchemaHash.of(connection, "production", table.table()), Map.of("source", table.source(), "seconds", table.seconds(), "snapshot",
                        report.snapshot() == null ? "" : report.snapshot())));
            }
        }
    }

    private void addFiles() {
        Map<AssetKey, List<FileSource>> byTable = new LinkedHashMap<>();
        for (FileSource source : inputs.files()) {
            byTable.computeIfAbsent(AssetKey.of(source.target().schema(), source.target().name()),
                    key -> new ArrayList<>()).add(source);
        }
        byTable.forEach((key, sources) -> {
            FileSource first = sources.get(0);
            Set<String> tags = new LinkedHashSet<>();
            tags.add("files");
            if (first.year() != null) {
                tags.add("yearly");
            }
            assets.add(new AssetSpec(key, Set.of(), key.prefix(), first.format().name().toLowerCase(Locale.ROOT),
                    first.provider(), first.description(), tags, List.of()));
            steps.add(new StepSpec("load/" + key.path(), List.of(key), RetryPolicy.NONE, true,
                    context -> loadFiles(context, key, sources)));
        });
    }

    private void loadFiles(StepContext context, AssetKey key, List<FileSource> sources) throws java.sql.SQLException {
        if (inputs.fileLoader() == null) {
            throw EntrepotException.badInput("No file loader is set up to load " + key + ".", null);
        }
        try (Warehouse warehouse = openWarehouse.get()) {
            List<FileIngestion.Outcome> outcomes = inputs.fileLoader().load(warehouse, sources);
            long rows = 0;
            for (FileIngestion.Outcome outcome : outcomes) {
                if (outcome.failed()) {
                    throw outcome.error();
                }
                context.log(outcome.source().name() + ": " + outcome.report().status().name().toLowerCase(Locale.ROOT)
                        + ", " + outcome.report().rows() + " rows from " + outcome.report().location());
                rows += outcome.report().rows();
            }
            try (java.sql.Connection connection = warehouse.connect()) {
                context.materialized(key, new Materialization(rows, SchemaHash.of(connection, key.prefix(), key.name()),
                        Map.of("sources", sources.size())));
            }
        }
    }

    private void addDbt() {
        Manifest manifest;
        try (DbtEngine dbt = DbtEngine.load(inputs.dbt())) {
            manifest = dbt.project().manifest();
        }
        privacy = PrivacyCheck.of(manifest);
        Map<String, AssetKey> keyOf = new LinkedHashMap<>();
        for (SourceDefinition source : manifest.sources().values()) {
            keyOf.put(source.uniqueId(), AssetKey.of(source.schema(), source.identifier()));
        }
        List<Node> buildable = new ArrayList<>();
        for (Node node : manifest.nodes().values()) {
            boolean asset = (node.type() == ResourceType.MODEL || node.type() == ResourceType.SEED
                    || node.type() == ResourceType.SNAPSHOT) && node.config().enabled();
            if (asset) {
                buildable.add(node);
                keyOf.put(node.uniqueId(), AssetKey.of(node.schema(), node.alias()));
            }
        }
        // An ephemeral model is no table: its readers depend on what it reads.
        Map<AssetKey, List<CheckSpec>> tests = new LinkedHashMap<>();
        for (Node node : manifest.nodes().values()) {
            if (node.type() == ResourceType.TEST && node.config().enabled()) {
                boolean blocking = !"warn".equalsIgnoreCase(node.config().string("severity", "error"));
                for (String tested : testedNodes(node)) {
                    AssetKey key = keyOf.get(tested);
                    if (key != null) {
                        tests.computeIfAbsent(key, k -> new ArrayList<>()).add(CheckSpec.dbtTest(node.name(), blocking));
                    }
                }
            }
        }
        List<AssetKey> keys = new ArrayList<>();
        for (Node node : buildable) {
            if (node.isEphemeral()) {
                continue;
            }
            AssetKey key = keyOf.get(node.uniqueId());
            Set<AssetKey> upstream = new LinkedHashSet<>();
            collectUpstream(manifest, node, keyOf, upstream, new LinkedHashSet<>());
            String group = node.type() == ResourceType.MODEL && node.fqn().size() > 2 ? node.fqn().get(1)
                    : node.type().dbtName() + "s";
            List<CheckSpec> checks = new ArrayList<>(tests.getOrDefault(key, List.of()));
            if (node.type() == ResourceType.MODEL && PrivacyCheck.DEFAULT_SCHEMA.equals(node.schema())) {
                // Every mart is checked for personal data after each build; blocking: nothing downstream (the
                // publications) reads a mart that carries some.
                checks.add(CheckSpec.privacy());
            }
            assets.add(new AssetSpec(key, upstream, group, "dbt " + node.type().dbtName() + " ("
                    + node.materialized() + ")", "dbt project " + manifest.projectName(), node.description(),
                    Set.copyOf(node.tags()), checks));
            dbtNodes.put(key, node);
            keys.add(key);
        }
        if (!keys.isEmpty()) {
            steps.add(new StepSpec(DBT_STEP, keys, RetryPolicy.NONE, true, this::dbtBuild));
        }
    }

    /** The assets a node reads: through ephemeral models, down to tables, seeds, snapshots and sources. */
    private static void collectUpstream(Manifest manifest, Node node, Map<String, AssetKey> keyOf,
                                        Set<AssetKey> upstream, Set<String> seen) {
        for (String parent : node.dependsOnNodes()) {
            if (!seen.add(parent)) {
                continue;
            }
            Node parentNode = parent.startsWith("source.") ? null : manifest.nodes().get(parent);
            if (parentNode != null && parentNode.isEphemeral()) {
                collectUpstream(manifest, parentNode, keyOf, upstream, seen);
            } else if (keyOf.containsKey(parent)) {
                upstream.add(keyOf.get(parent));
            }
        }
    }

    /** Runs dbt build on the selected nodes; models' tests come back as checks. */
    private void dbtBuild(StepContext context) {
        List<String> names = new ArrayList<>();
        Map<String, AssetKey> keyByNode = new LinkedHashMap<>();
        dbtNodes.forEach((key, node) -> keyByNode.put(node.uniqueId(), key));
        for (AssetKey key : context.selected()) {
            Node node = dbtNodes.get(key);
            // The fully qualified name of that type picks exactly this node (a bare name could also match a folder,
            // or a node of another package).
            names.add("fqn:" + String.join(".", node.fqn()) + ",resource_type:" + node.type().dbtName());
        }
        context.log("dbt build --select " + String.join(" ", names));
        DbtEngine.Options options = inputs.dbt().withConsole(context::log);
        List<String> problems = new ArrayList<>();
        try (DbtEngine dbt = DbtEngine.load(options)) {
            DbtEngine.CommandResult result = dbt.build(new DbtEngine.Selection(names, List.of(), null));
            for (NodeResult node : result.results()) {
                AssetKey key = keyByNode.get(node.node().uniqueId());
                if (node.node().type() == ResourceType.TEST) {
                    reportTest(context, node, keyByNode);
                } else if (key != null && context.selected().contains(key)) {
                    if (node.status() == NodeResult.Status.SUCCESS) {
                        context.materialized(key, new Materialization(rows(dbt, node.node()), schemaHash(dbt, node.node()),
                                Map.of("materialized", node.node().materialized(), "unique_id", node.node().uniqueId())));
                    } else {
                        problems.add(key + " " + node.status().dbtName()
                                + (node.message() == null ? "" : ": " + node.message()));
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw EntrepotException.failed("dbt build did not build " + problems.size() + " asset(s): "
                    + String.join("; ", problems), "See the step's log for the compiled SQL path.", null);
        }
    }

    private static void reportTest(StepContext context, NodeResult test, Map<String, AssetKey> keyByNode) {
        boolean blocking = !"warn".equalsIgnoreCase(test.node().config().string("severity", "error"));
        boolean passed = test.status() == NodeResult.Status.PASS;
        for (String tested : testedNodes(test.node())) {
            AssetKey key = keyByNode.get(tested);
            if (key != null && context.selected().contains(key)) {
                context.checked(key, new CheckOutcome(test.node().name(), passed, blocking && !passed
                        && test.status() != NodeResult.Status.WARN, test.status().dbtName()
                        + (test.failures() == null || test.failures() == 0 ? "" : ", " + test.failures() + " failing row(s)")));
            }
        }
    }

    /** What a test judges: the node it is attached to (a column's model), else every model it reads. */
    private static Set<String> testedNodes(Node test) {
        if (test.attachedNode() != null) {
            return Set.of(test.attachedNode());
        }
        Set<String> parents = new LinkedHashSet<>(test.dependsOnNodes());
        parents.removeIf(parent -> parent.startsWith("source."));
        return parents;
    }

    private static String schemaHash(DbtEngine dbt, Node node) {
        String sql = SchemaHash.COLUMNS_SQL.replaceFirst("\\?", "'" + node.schema().replace("'", "''") + "'")
                .replaceFirst("\\?", "'" + node.alias().replace("'", "''") + "'");
        return SchemaHash.of(dbt.adapter().query(sql).getRows());
    }

    /** A table's row count (a view's is not counted: it would run the view). */
    private static Long rows(DbtEngine dbt, Node node) {
        if (node.materialized().equals("view")) {
            return null;
        }
        Object count = dbt.adapter().query("select count(*) from \"" + node.schema() + "\".\"" + node.alias() + "\"")
                .first();
        return count == null ? null : ((Number) count).longValue();
    }

    /** Adds to each asset the checks of the rules that pick it. */
    private List<AssetSpec> applyChecks() {
        AssetGraph graph = new AssetGraph(assets);
        Map<AssetKey, List<CheckSpec>> added = new LinkedHashMap<>();
        for (JobsFile.CheckRule rule : inputs.jobs().checks()) {
            for (AssetKey key : select(graph, rule.select(), "checks")) {
                added.computeIfAbsent(key, k -> new ArrayList<>()).add(rule.check());
            }
        }
        List<AssetSpec> result = new ArrayList<>();
        for (AssetSpec asset : assets) {
            List<CheckSpec> checks = new ArrayList<>(asset.checks());
            checks.addAll(added.getOrDefault(asset.key(), List.of()));
            result.add(asset.withChecks(checks));
        }
        return result;
    }

    /** Gives each step the policy of the first rule that picks one of its assets. */
    private List<StepSpec> applyRetries(AssetGraph graph) {
        List<Set<AssetKey>> picked = new ArrayList<>();
        for (JobsFile.RetryRule rule : inputs.jobs().retries()) {
            picked.add(select(graph, rule.select(), "retries"));
        }
        List<StepSpec> result = new ArrayList<>();
        for (StepSpec step : steps) {
            RetryPolicy policy = step.retry();
            for (int i = 0; i < picked.size(); i++) {
                if (step.assets().stream().anyMatch(picked.get(i)::contains)) {
                    policy = inputs.jobs().retries().get(i).policy();
                    break;
                }
            }
            result.add(new StepSpec(step.name(), step.assets(), policy, step.writesWarehouse(), step.action()));
        }
        return result;
    }

    private Set<AssetKey> select(AssetGraph graph, String selection, String section) {
        try {
            return AssetSelection.select(graph, selection);
        } catch (EntrepotException e) {
            throw EntrepotException.badInput("In " + inputs.jobs().file() + ", " + section + " selects '" + selection
                    + "': " + e.getMessage(), e.hint());
        }
    }
}
