package fr.zlv.entrepot.dbt.parse;

import com.hubspot.jinjava.lib.fn.MacroFunction;
import fr.zlv.entrepot.dbt.graph.Node;
import fr.zlv.entrepot.dbt.jinja.JinjaEngine;
import fr.zlv.entrepot.dbt.jinja.RenderState;
import fr.zlv.entrepot.dbt.project.Profile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Names each node's relation as dbt does: {@code generate_database_name}, {@code generate_schema_name} and
 * {@code generate_alias_name}. The defaults are computed in Java (a custom schema {@code stg} on target schema
 * {@code main} gives {@code main_stg}); a project that defines one of these macros gets its macro called.
 */
final class RelationNamer {

    private final JinjaEngine jinja;
    private final Profile profile;
    private final Map<String, Object> target;
    private final ProjectResolver resolver;

    RelationNamer(JinjaEngine jinja, Profile profile, Map<String, Object> target, ProjectResolver resolver) {
        this.jinja = jinja;
        this.profile = profile;
        this.target = target;
        this.resolver = resolver;
    }

    void name(Node node) {
        // Snapshots may name their schema outright (target_schema), as dbt's older snapshot configs do.
        String targetSchema = node.config().string("target_schema", null);
        String customSchema = node.config().string("schema", null);
        String customAlias = node.config().string("alias", null);
        String customDatabase = node.config().string("database", null);
        String database = jinja.projectDefines("generate_database_name")
                ? call("generate_database_name", customDatabase, node)
                : customDatabase != null ? customDatabase.trim() : (String) target.get("database");
        String schema = targetSchema != null ? targetSchema : jinja.projectDefines("generate_schema_name")
                ? call("generate_schema_name", customSchema, node)
                : customSchema == null ? profile.schema() : profile.schema() + "_" + customSchema.trim();
        String alias = jinja.projectDefines("generate_alias_name")
                ? call("generate_alias_name", customAlias, node)
                : customAlias != null ? customAlias.trim() : node.name();
        node.relation(database, schema, alias);
    }

    private String call(String macroName, String custom, Node node) {
        MacroFunction macro = jinja.macro(macroName);
        List<Object> args = new ArrayList<>();
        args.add(custom);
        args.add(NodeView.of(node));
        RenderState state = new RenderState(RenderState.Phase.PARSE, node, resolver, null);
        Object value = jinja.call(macro, args, Map.of(), state, Map.of(), "macro " + macroName + " for "
                + ProjectParser.where(node));
        return String.valueOf(value).strip();
    }
}
