package fr.zlv.entrepot.dbt.docs;

import fr.zlv.entrepot.dbt.adapter.Adapter;
import fr.zlv.entrepot.dbt.adapter.QueryTable;
import fr.zlv.entrepot.dbt.artifacts.Artifacts;
import fr.zlv.entrepot.dbt.graph.Manifest;
import fr.zlv.entrepot.dbt.graph.Node;
import fr.zlv.entrepot.dbt.graph.ResourceType;
import fr.zlv.entrepot.dbt.graph.SourceDefinition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code target/catalog.json}: what the warehouse holds for each relation of the project, in the shape of dbt's
 * published catalog schema v1. The column types, their order and the comments are read from the warehouse's catalog
 * (DuckDB's {@code duckdb_tables()} and {@code duckdb_columns()}, PostgreSQL's {@code pg_class} and
 * {@code pg_attribute}: the adapter's queries) in two queries for the whole project, not one per relation. A relation that is not built yet is left out, as dbt does.
 */
public final class Catalog {

    public static final String SCHEMA = "https://schemas.getdbt.com/dbt/catalog/v1.json";

    /**
     * What the catalog found: the document to write, how many relations the project has (models that are not
     * ephemeral, seeds, snapshots, sources) and how many of them the warehouse holds.
     */
    public record Result(Map<String, Object> document, int expected, int found, List<String> errors) {
    }

    /** A relation of the warehouse as the catalog queries return it. */
    private record Table(String database, String schema, String name, boolean view, String comment, Long rows,
                         Map<String, Map<String, Object>> columns) {
    }

    private final Manifest manifest;
    private final Adapter adapter;

    public Catalog(Manifest manifest, Adapter adapter) {
        this.manifest = manifest;
        this.adapter = adapter;
    }

    /** Reads the warehouse and builds the catalog document. */
    public Result build(String invocationId) {
        // Where each node and source of the project should be: database.schema.identifier, lower-cased because
        // DuckDB's identifiers are case-insensitive.
        Map<String, String> nodeRelations = new LinkedHashMap<>();
        for (Node node : manifest.nodes().values()) {
            boolean hasRelation = node.type() == ResourceType.MODEL || node.type() == ResourceType.SEED
                    || node.type() == ResourceType.SNAPSHOT;
            if (hasRelation && !node.isEphemeral() && node.alias() != null) {
                nodeRelations.put(node.uniqueId(), key(node.database(), node.schema(), node.alias()));
            }
        }
        Map<String, String> sourceRelations = new LinkedHashMap<>();
        for (SourceDefinition source : manifest.sources().values()) {
            sourceRelations.put(source.uniqueId(), key(source.database(), source.schema(), source.identifier()));
        }

        Set<String> schemas = new LinkedHashSet<>();
        for (Node node : manifest.nodes().values()) {
            if (nodeRelations.containsKey(node.uniqueId())) {
                schemas.add(lower(node.schema()));
            }
        }
        manifest.sources().values().forEach(source -> schemas.add(lower(source.schema())));

        List<String> errors = new ArrayList<>();
        Map<String, Table> tables = new LinkedHashMap<>();
        if (!schemas.isEmpty()) {
            try {
                tables = readWarehouse(schemas);
            } catch (RuntimeException e) {
                // dbt reports catalog failures in the document's errors and still writes it.
                errors.add("Cannot read the warehouse's catalog: " + e.getMessage());
            }
        }

        Map<String, Object> nodes = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : nodeRelations.entrySet()) {
            Table table = tables.get(entry.getValue());
            if (table != null) {
                nodes.put(entry.getKey(), entry(table, entry.getKey()));
            }
        }
        Map<String, Object> sources = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : sourceRelations.entrySet()) {
            Table table = tables.get(entry.getValue());
            if (table != null) {
                sources.put(entry.getKey(), entry(table, entry.getKey()));
            }
        }

        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("dbt_schema_version", SCHEMA);
        metadata.put("dbt_version", Artifacts.DBT_VERSION);
        metadata.put("generated_at", Artifacts.timestamp(Instant.now()));
        metadata.put("invocation_id", invocationId);
        metadata.put("env", Map.of());
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("metadata", metadata);
        document.put("nodes", nodes);
        document.put("sources", sources);
        document.put("errors", errors.isEmpty() ? null : List.copyOf(errors));
        return new Result(document, nodeRelations.size() + sourceRelations.size(), nodes.size() + sources.size(),
                List.copyOf(errors));
    }

    /** The tables and views of the given schemas (every attached database), with their columns in order. */
    private Map<String, Table> readWarehouse(Set<String> schemas) {
        List<String> names = List.copyOf(schemas);
        Map<String, Table> tables = new LinkedHashMap<>();
        QueryTable relations = adapter.query(adapter.catalogRelationsQuery(names));
        for (List<Object> row : relations.getRows()) {
            Table table = new Table(text(row.get(0)), text(row.get(1)), text(row.get(2)), Boolean.TRUE.equals(row.get(3)),
                    text(row.get(4)), row.get(5) == null ? null : ((Number) row.get(5)).longValue(), new LinkedHashMap<>());
            tables.put(key(table.database(), table.schema(), table.name()), table);
        }
        QueryTable columns = adapter.query(adapter.catalogColumnsQuery(names));
        for (List<Object> row : columns.getRows()) {
            Table table = tables.get(key(text(row.get(0)), text(row.get(1)), text(row.get(2))));
            if (table == null) {
                continue;
            }
            Map<String, Object> column = new LinkedHashMap<>();
            column.put("type", text(row.get(5)));
            column.put("index", ((Number) row.get(4)).intValue());
            column.put("name", text(row.get(3)));
            column.put("comment", text(row.get(6)));
            table.columns().put(text(row.get(3)), column);
        }
        return tables;
    }

    /** One entry of {@code nodes} or {@code sources}: exactly the keys of the schema's CatalogTable. */
    private static Map<String, Object> entry(Table table, String uniqueId) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        // information_schema's words, as dbt-duckdb writes them.
        metadata.put("type", table.view() ? "VIEW" : "BASE TABLE");
        metadata.put("schema", table.schema());
        metadata.put("name", table.name());
        metadata.put("database", table.database());
        metadata.put("comment", table.comment());
        metadata.put("owner", null);

        Map<String, Object> stats = new LinkedHashMap<>();
        boolean counted = !table.view() && table.rows() != null;
        if (counted) {
            stats.put("row_count", stat("row_count", "Row Count", table.rows(), true,
                    "Rows in the table, as the warehouse's catalog counts them"));
        }
        stats.put("has_stats", stat("has_stats", "Has Stats?", counted, false,
                "Indicates whether there are statistics for this table"));

        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("metadata", metadata);
        entry.put("columns", table.columns());
        entry.put("stats", stats);
        entry.put("unique_id", uniqueId);
        return entry;
    }

    private static Map<String, Object> stat(String id, String label, Object value, boolean include, String description) {
        Map<String, Object> stat = new LinkedHashMap<>();
        stat.put("id", id);
        stat.put("label", label);
        stat.put("value", value);
        stat.put("include", include);
        stat.put("description", description);
        return stat;
    }

    private String key(String database, String schema, String identifier) {
        String db = database == null ? adapter.defaultDatabase() : database;
        return lower(db) + "." + lower(schema) + "." + lower(identifier);
    }

    private static String lower(String text) {
        return text == null ? "" : text.toLowerCase(Locale.ROOT);
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
