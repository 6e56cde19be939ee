package fr.zlv.entrepot.dbt.run;

import com.hubspot.jinjava.lib.fn.MacroFunction;
import fr.zlv.entrepot.dbt.DbtException;
import fr.zlv.entrepot.dbt.adapter.Adapter;
import fr.zlv.entrepot.dbt.adapter.Column;
import fr.zlv.entrepot.dbt.adapter.CsvSeed;
import fr.zlv.entrepot.dbt.adapter.Relation;
import fr.zlv.entrepot.dbt.graph.Node;
import fr.zlv.entrepot.dbt.jinja.RenderState;
import fr.zlv.entrepot.dbt.parse.ParsedProject;
import fr.zlv.entrepot.dbt.project.NodeConfig;
import fr.zlv.entrepot.dbt.project.Yaml;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Builds one node in the warehouse, as its materialization says.
 * <ul>
 *   <li>{@code view}: {@code create or replace view} (the adapter's way).</li>
 *   <li>{@code table}: built beside the live table ({@code <name>__dbt_tmp}), then swapped in one transaction:
 *       a model whose SQL fails leaves the previous table as it was.</li>
 *   <li>{@code incremental}: the first time (or with --full-refresh) a table; then the new rows are built beside
 *       and merged with {@code append}, {@code delete+insert} or {@code merge} on {@code unique_key}, after
 *       {@code on_schema_change} ({@code ignore}, {@code append_new_columns}, {@code sync_all_columns},
 *       {@code fail}) has compared the columns.</li>
 *   <li>{@code ephemeral}: nothing (its SQL is a CTE of the models using it).</li>
 *   <li>{@code seed}: the CSV loaded by the adapter ({@code column_types}, {@code delimiter}), built beside and swapped.</li>
 *   <li>any other name: the project's {@code {% materialization %}} block, rendered.</li>
 * </ul>
 * Pre-hooks run before, post-hooks and {@code persist_docs} comments after. The statements that differ between
 * engines (building, swapping, loading CSV, merging) are the {@link Adapter}'s.
 */
final class Materializer {

    /** What a build did: dbt's message, rows changed, and the statements run (for target/run). */
    record Outcome(String message, long rows, List<String> statements) {
    }

    private final ParsedProject project;
    private final Adapter adapter;
    private final Compiler compiler;
    private final RunOptions options;
    private final Map<String, Boolean> schemas = new ConcurrentHashMap<>();
    private final RelationCache relations;

    Materializer(ParsedProject project, Adapter adapter, Compiler compiler, RunOptions options) {
        this.project = project;
        this.adapter = adapter;
        this.compiler = compiler;
        this.options = options;
        this.relations = new RelationCache(adapter);
    }

    /**
     * Builds the node; the statements it sends are added to {@code statements} as they go, so that after a
     * failure the caller still has what ran (the failing statement last).
     */
    Outcome build(Node node, List<String> statements) {
        try {
            Outcome outcome = materialize(node, statements);
            if (!node.isEphemeral()) {
                if (BUILT_IN.contains(node.materialized())) {
                    relations.built(Compiler.relationOf(node));
                } else {
                    relations.refresh(node.database(), node.schema(), node.alias());
                }
            }
            return outcome;
        } catch (RuntimeException e) {
            // What was left behind is not known: ask the warehouse next time.
            relations.refresh(node.database(), node.schema(), node.alias());
            throw e;
        }
    }

    private static final Set<String> BUILT_IN = Set.of("view", "table", "incremental", "seed", "snapshot");

    private Outcome materialize(Node node, List<String> statements) {
        ensureSchema(node);
        String materialized = node.materialized();
        Relation target = Compiler.relationOf(node);
        Relation existing = relations.find(node.database(), node.schema(), node.alias()).orElse(null);
        boolean incremental = materialized.equals("incremental") && existing != null && existing.isTable()
                && !fullRefresh(node.config());
        String sql = node.type() == fr.zlv.entrepot.dbt.graph.ResourceType.SEED ? null : compiler.compile(node, incremental);
        runHooks(node, node.config().preHooks(), statements);
        Outcome outcome = switch (materialized) {
            case "view" -> view(target, existing, sql, statements);
            case "table" -> table(target, existing, sql, statements);
            case "incremental" -> incremental ? merge(node, target, existing, sql, statements)
                    : table(target, existing, sql, statements);
            case "ephemeral" -> new Outcome("OK", 0, statements);
            case "seed" -> seed(node, target, existing, statements);
            case "snapshot" -> new Snapshotter(adapter).snapshot(node, target, existing, sql, statements);
            default -> custom(node, materialized, target, sql, statements);
        };
        runHooks(node, node.config().postHooks(), statements);
        persistDocs(node, target, statements);
        return new Outcome(outcome.message(), outcome.rows(), statements);
    }

    private boolean fullRefresh(NodeConfig config) {
        Object configured = config.get("full_refresh");
        if (configured != null) {
            return Boolean.parseBoolean(String.valueOf(configured));
        }
        return options.fullRefresh();
    }

    /** Creates the node's schema once; other threads wanting the same schema wait until it exists. */
    private void ensureSchema(Node node) {
        schemas.computeIfAbsent(node.database() + "." + node.schema(), key -> {
            adapter.createSchema(node.database(), node.schema());
            return Boolean.TRUE;
        });
    }

    private String run(String sql, List<String> statements) {
        statements.add(sql);
        adapter.execute(sql);
        return sql;
    }

    private Outcome view(Relation target, Relation existing, String sql, List<String> statements) {
        adapter.createView(target, existing, sql, statements);
        return new Outcome("CREATE VIEW", 0, statements);
    }

    /** A table built beside the live one, then swapped in. */
    private Outcome table(Relation target, Relation existing, String sql, List<String> statements) {
        Relation staging = target.withIdentifier(target.getIdentifier() + "__dbt_tmp");
        adapter.createTableAs(staging, sql, statements);
        long rows = count(staging);
        adapter.replaceWithTable(staging, target, existing, statements);
        return new Outcome("CREATE TABLE (" + rows + " rows)", rows, statements);
    }

    private long count(Relation relation) {
        Object value = adapter.query("select count(*) from " + relation).first();
        return value instanceof Number number ? number.longValue() : 0;
    }

    /** The incremental step: new rows built beside, columns reconciled, then appended or merged. */
    private Outcome merge(Node node, Relation target, Relation existing, String sql, List<String> statements) {
        NodeConfig config = node.config();
        Relation staging = target.withIdentifier(target.getIdentifier() + "__dbt_tmp");
        adapter.createTableAs(staging, sql, statements);
        try {
            List<String> columns = reconcileColumns(node, staging, existing, statements);
            List<String> keys = config.uniqueKey();
            String strategy = config.string("incremental_strategy", keys.isEmpty() ? "append" : "delete+insert")
                    .toLowerCase(Locale.ROOT);
            String columnList = columns.stream().map(Relation::quote).collect(Collectors.joining(", "));
            List<String> work = new ArrayList<>();
            switch (strategy) {
                case "append" -> work.add("insert into " + target + " (" + columnList + ") select " + columnList
                        + " from " + staging);
                case "delete+insert" -> {
                    requireKeys(node, keys, strategy);
                    String keyList = keys.stream().map(Relation::quote).collect(Collectors.joining(", "));
                    work.add("delete from " + target + " where (" + keyList + ") in (select " + keyList + " from "
                            + staging + ")");
                    work.add("insert into " + target + " (" + columnList + ") select " + columnList + " from " + staging);
                }
                case "merge" -> {
                    requireKeys(node, keys, strategy);
                    work.addAll(adapter.mergeStatements(target, staging, keys, columns));
                }
                default -> throw DbtException.project(Compiler.where(node) + ": incremental_strategy '" + strategy
                        + "' is not one of append, delete+insert, merge.", null);
            }
            long rows = count(staging);
            statements.addAll(work);
            adapter.executeInTransaction(work);
            return new Outcome("INSERT " + rows, rows, statements);
        } finally {
            adapter.execute("drop table if exists " + staging);
        }
    }

    private static void requireKeys(Node node, List<String> keys, String strategy) {
        if (keys.isEmpty()) {
            throw DbtException.project(Compiler.where(node) + ": incremental_strategy '" + strategy
                    + "' needs a unique_key.", "Set unique_key, or use incremental_strategy='append'.");
        }
    }

    /**
     * Compares the new rows' columns with the table's, as {@code on_schema_change} says; returns the columns
     * to insert.
     */
    private List<String> reconcileColumns(Node node, Relation staging, Relation existing, List<String> statements) {
        List<Column> incoming = adapter.columns(staging);
        List<Column> current = adapter.columns(existing);
        Map<String, Column> currentByName = new LinkedHashMap<>();
        current.forEach(column -> currentByName.put(column.getName().toLowerCase(Locale.ROOT), column));
        Map<String, Column> incomingByName = new LinkedHashMap<>();
        incoming.forEach(column -> incomingByName.put(column.getName().toLowerCase(Locale.ROOT), column));
        List<Column> added = incoming.stream().filter(c -> !currentByName.containsKey(c.getName().toLowerCase(Locale.ROOT)))
                .toList();
        List<Column> removed = current.stream().filter(c -> !incomingByName.containsKey(c.getName().toLowerCase(Locale.ROOT)))
                .toList();
        String mode = node.config().string("on_schema_change", "ignore");
        boolean changed = !added.isEmpty() || !removed.isEmpty();
        switch (mode) {
            case "fail" -> {
                if (changed) {
                    throw DbtException.runtime(Compiler.where(node) + ": the new rows' columns are out of sync with "
                            + existing + " (new: " + names(added) + "; missing: " + names(removed)
                            + ") and on_schema_change is 'fail'.", null);
                }
            }
            case "append_new_columns" -> {
                for (Column column : added) {
                    run("alter table " + existing + " add column " + Relation.quote(column.getName()) + " "
                            + column.getData_type(), statements);
                }
            }
            case "sync_all_columns" -> {
                for (Column column : added) {
                    run("alter table " + existing + " add column " + Relation.quote(column.getName()) + " "
                            + column.getData_type(), statements);
                }
                for (Column column : removed) {
                    run("alter table " + existing + " drop column " + Relation.quote(column.getName()), statements);
                }
                for (Column column : incoming) {
                    Column before = currentByName.get(column.getName().toLowerCase(Locale.ROOT));
                    if (before != null && !before.getData_type().equalsIgnoreCase(column.getData_type())) {
                        run(adapter.alterColumnType(existing, column.getName(), column.getData_type()), statements);
                    }
                }
            }
            case "ignore" -> {
                // Keep the table's columns; new ones are left out.
            }
            default -> throw DbtException.project(Compiler.where(node) + ": on_schema_change '" + mode
                    + "' is not one of ignore, append_new_columns, sync_all_columns, fail.", null);
        }
        List<String> insertable = new ArrayList<>();
        List<Column> after = mode.equals("ignore") || mode.equals("fail") ? current : adapter.columns(existing);
        for (Column column : after) {
            if (incomingByName.containsKey(column.getName().toLowerCase(Locale.ROOT))) {
                insertable.add(column.getName());
            }
        }
        return insertable;
    }

    private static String names(List<Column> columns) {
        return columns.isEmpty() ? "none" : columns.stream().map(Column::getName).collect(Collectors.joining(", "));
    }

    /** A seed: its CSV loaded by the adapter into a table built beside the live one. */
    private Outcome seed(Node node, Relation target, Relation existing, List<String> statements) {
        NodeConfig config = node.config();
        Map<String, String> columnTypes = new LinkedHashMap<>();
        Yaml.map(config.get("column_types")).forEach((name, type) -> columnTypes.put(name, String.valueOf(type)));
        Relation staging = target.withIdentifier(target.getIdentifier() + "__dbt_tmp");
        adapter.loadCsv(new CsvSeed(node.file(), config.string("delimiter", ","), columnTypes), staging, statements);
        long rows = count(staging);
        adapter.replaceWithTable(staging, target, existing, statements);
        node.compiledCode(null);
        return new Outcome("INSERT " + rows, rows, statements);
    }

    /** A {@code {% materialization name %}} block of the project or a package. */
    private Outcome custom(Node node, String materialized, Relation target, String sql, List<String> statements) {
        MacroFunction macro = materializationMacro(materialized);
        if (macro == null) {
            throw DbtException.project(Compiler.where(node) + ": no materialization named '" + materialized
                    + "' (built in: view, table, incremental, ephemeral; or a {% materialization %} block).", null);
        }
        RenderState state = new RenderState(RenderState.Phase.EXECUTE, node, project.resolver(), adapter);
        Map<String, Object> variables = new LinkedHashMap<>(compiler.variables(node));
        variables.put("sql", sql);
        variables.put("compiled_code", sql);
        variables.put("pre_hooks", List.of());
        variables.put("post_hooks", List.of());
        project.jinja().call(macro, List.of(), Map.of(), state, variables, "materialization " + materialized + " for "
                + Compiler.where(node));
        statements.addAll(state.executed());
        return new Outcome("OK", 0, statements);
    }

    private MacroFunction materializationMacro(String name) {
        for (String adapterName : List.of(adapter.type(), "default")) {
            MacroFunction macro = project.jinja().macro("materialization_" + name + "_" + adapterName);
            if (macro != null) {
                return macro;
            }
            for (var pkg : project.packages()) {
                macro = project.jinja().macro(pkg.name(), "materialization_" + name + "_" + adapterName);
                if (macro != null) {
                    return macro;
                }
            }
        }
        return null;
    }

    private void runHooks(Node node, List<String> hooks, List<String> statements) {
        for (String hook : hooks) {
            RenderState state = new RenderState(RenderState.Phase.EXECUTE, node, project.resolver(), adapter);
            String sql = project.jinja().render(hook, state, compiler.variables(node), "hook of " + Compiler.where(node))
                    .strip();
            if (!sql.isEmpty()) {
                run(sql, statements);
            }
        }
    }

    /** COMMENT ON the relation and its columns, from the properties' descriptions. */
    private void persistDocs(Node node, Relation target, List<String> statements) {
        Map<String, Object> persist = Yaml.map(node.config().get("persist_docs"));
        if (node.isEphemeral() || persist.isEmpty()) {
            return;
        }
        String kind = node.materialized().equals("view") ? "view" : "table";
        if (Boolean.parseBoolean(String.valueOf(persist.get("relation"))) && !node.description().isEmpty()) {
            run("comment on " + kind + " " + target + " is '" + node.description().replace("'", "''") + "'", statements);
        }
        if (Boolean.parseBoolean(String.valueOf(persist.get("columns")))) {
            Set<String> existing = adapter.columns(target).stream().map(c -> c.getName().toLowerCase(Locale.ROOT))
                    .collect(Collectors.toSet());
            node.columns().values().stream()
                    .filter(column -> !column.description().isEmpty() && existing.contains(column.name().toLowerCase(Locale.ROOT)))
                    .forEach(column -> run("comment on column " + target + "." + Relation.quote(column.name()) + " is '"
                            + column.description().replace("'", "''") + "'", statements));
        }
    }
}
