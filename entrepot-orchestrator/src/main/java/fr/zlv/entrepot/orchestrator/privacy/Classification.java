package fr.zlv.entrepot.orchestrator.privacy;

import fr.zlv.entrepot.dbt.graph.ColumnInfo;
import fr.zlv.entrepot.dbt.graph.Manifest;
import fr.zlv.entrepot.dbt.graph.Node;
import fr.zlv.entrepot.dbt.graph.ResourceType;
import fr.zlv.entrepot.dbt.graph.SourceDefinition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How a dbt project classifies its columns: each column's {@code meta: {pii: direct|indirect|none}}, each model's
 * {@code meta: {public: true}}, and, for each model, the columns classified {@code direct} upstream of it (in the
 * models, seeds, snapshots and sources it reads, directly or not), by name.
 */
public final class Classification {

    /** A column's {@code pii} level. */
    public enum Level {
        DIRECT, INDIRECT, NONE;

        /** The level of a {@code pii:} value, or null when it is missing or not one of the three. */
        public static Level parse(Object value) {
            if (value == null) {
                return null;
            }
            return switch (value.toString().trim().toLowerCase(Locale.ROOT)) {
                case "direct" -> DIRECT;
                case "indirect" -> INDIRECT;
                case "none" -> NONE;
                default -> null;
            };
        }
    }

    /**
     * A declared column.
     *
     * @param pii           the raw {@code pii:} value (null: none given)
     * @param level         its level (null: none given, or not a known level)
     * @param pseudonymised {@code meta: {pseudonymised: true}}: the column holds keyed HMACs of direct data
     */
    public record Column(String name, Object pii, Level level, boolean pseudonymised) {
    }

    /**
     * A model (seed, snapshot) of the project.
     *
     * @param file           the YAML file that describes it, else its own file
     * @param isPublic       {@code meta: {public: true}}
     * @param columns        its declared columns, by lower-case name
     * @param directUpstream for each lower-case column name classified direct upstream, where (e.g. {@code source
     *                       production.owners})
     */
    public record Model(String uniqueId, String name, String schema, String alias, String file, boolean isPublic,
                        Map<String, Column> columns, Map<String, String> directUpstream) {

        public Column column(String columnName) {
            return columns.get(columnName.toLowerCase(Locale.ROOT));
        }
    }

    private final String projectName;
    private final List<Model> models;

    private Classification(String projectName, List<Model> models) {
        this.projectName = projectName;
        this.models = List.copyOf(models);
    }

    /** The classification of a parsed project ({@code DbtEngine.load(...).project().manifest()}). */
    public static Classification of(Manifest manifest) {
        Map<String, Map<String, Column>> columnsOf = new HashMap<>();
        Map<String, String> labelOf = new HashMap<>();
        for (SourceDefinition source : manifest.sources().values()) {
            columnsOf.put(source.uniqueId(), columns(source.columns()));
            labelOf.put(source.uniqueId(), "source " + source.sourceName() + "." + source.name());
        }
        List<Node> tables = new ArrayList<>();
        for (Node node : manifest.nodes().values()) {
            if ((node.type() == ResourceType.MODEL || node.type() == ResourceType.SEED
                    || node.type() == ResourceType.SNAPSHOT) && node.config().enabled()) {
                tables.add(node);
                columnsOf.put(node.uniqueId(), columns(node.columns()));
                labelOf.put(node.uniqueId(), node.type().dbtName() + " " + node.name());
            }
        }
        Map<String, Map<String, String>> memo = new HashMap<>();
        List<Model> models = new ArrayList<>();
        for (Node node : tables) {
            Object isPublic = node.config().meta().get("public");
            String file = node.patchPath() != null ? node.patchPath().replaceFirst("^[\\w-]+://", "")
                    : node.originalFilePath();
            models.add(new Model(node.uniqueId(), node.name(), node.schema(), node.alias(), file,
                    isPublic != null && Boolean.parseBoolean(isPublic.toString()), columnsOf.get(node.uniqueId()),
                    directUpstream(manifest, node.uniqueId(), columnsOf, labelOf, memo, new java.util.HashSet<>())));
        }
        return new Classification(manifest.projectName(), models);
    }

    private static Map<String, Column> columns(Map<String, ColumnInfo> declared) {
        Map<String, Column> columns = new LinkedHashMap<>();
        for (ColumnInfo column : declared.values()) {
            Object pii = column.meta().get("pii");
            Object pseudonymised = column.meta().get("pseudonymised");
            columns.put(column.name().toLowerCase(Locale.ROOT), new Column(column.name(), pii, Level.parse(pii),
                    pseudonymised != null && Boolean.parseBoolean(pseudonymised.toString())));
        }
        return columns;
    }

    /** The direct columns of everything upstream of a node (not its own), by name, with where each is declared. */
    private static Map<String, String> directUpstream(Manifest manifest, String id,
                                                      Map<String, Map<String, Column>> columnsOf,
                                                      Map<String, String> labelOf,
                                                      Map<String, Map<String, String>> memo, java.util.Set<String> path) {
        Map<String, String> known = memo.get(id);
        if (known != null) {
            return known;
        }
        Map<String, String> found = new LinkedHashMap<>();
        Node node = manifest.nodes().get(id);
        if (node != null && path.add(id)) {
            for (String parent : node.dependsOnNodes()) {
                columnsOf.getOrDefault(parent, Map.of()).forEach((name, column) -> {
                    if (column.level() == Level.DIRECT) {
                        found.putIfAbsent(name, labelOf.get(parent));
                    }
                });
                directUpstream(manifest, parent, columnsOf, labelOf, memo, path).forEach(found::putIfAbsent);
            }
            path.remove(id);
        }
        Map<String, String> result = Collections.unmodifiableMap(found);
        memo.put(id, result);
        return result;
    }

    public String projectName() {
        return projectName;
    }

    public List<Model> models() {
        return models;
    }

    /**
     * The model that builds a warehouse table: the one of that schema and name, else the only one of that name in
     * any schema (a copy of the marts in another file, such as the BI file, keeps the tables' names), else null.
     */
    public Model model(String schema, String table) {
        List<Model> named = models.stream().filter(model -> model.alias().equalsIgnoreCase(table)).toList();
        for (Model model : named) {
            if (model.schema() != null && model.schema().equalsIgnoreCase(schema)) {
                return model;
            }
        }
        return named.size() == 1 ? named.get(0) : null;
    }
}
