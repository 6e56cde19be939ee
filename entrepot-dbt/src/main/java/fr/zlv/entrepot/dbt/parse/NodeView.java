package fr.zlv.entrepot.dbt.parse;

import fr.zlv.entrepot.dbt.graph.Node;
import java.util.LinkedHashMap;
import java.util.Map;

/** A node as Jinja sees it ({@code model}, and the {@code node} argument of {@code generate_schema_name}). */
public final class NodeView {

    private NodeView() {
    }

    public static Map<String, Object> of(Node node) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", node.name());
        view.put("unique_id", node.uniqueId());
        view.put("resource_type", node.type().dbtName());
        view.put("package_name", node.packageName());
        view.put("fqn", node.fqn());
        view.put("path", node.path());
        view.put("original_file_path", node.originalFilePath());
        view.put("config", node.config().asMap());
        view.put("tags", node.tags());
        view.put("description", node.description());
        view.put("database", node.database());
        view.put("schema", node.schema());
        view.put("alias", node.alias());
        view.put("raw_code", node.rawCode());
        view.put("columns", node.columns());
        view.put("meta", node.config().meta());
        return view;
    }
}
