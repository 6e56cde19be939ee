package fr.zlv.entrepot.dbt.parse;

import com.hubspot.jinjava.lib.fn.MacroFunction;
import fr.zlv.entrepot.core.EditDistance;
import fr.zlv.entrepot.dbt.DbtException;
import fr.zlv.entrepot.dbt.adapter.Relation;
import fr.zlv.entrepot.dbt.graph.Manifest;
import fr.zlv.entrepot.dbt.graph.Node;
import fr.zlv.entrepot.dbt.graph.SourceDefinition;
import fr.zlv.entrepot.dbt.jinja.JinjaEngine;
import fr.zlv.entrepot.dbt.jinja.RenderState;
import fr.zlv.entrepot.dbt.jinja.Resolver;
import fr.zlv.entrepot.dbt.project.DbtProject;
import fr.zlv.entrepot.dbt.project.Yaml;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Answers Jinja's questions about the project. While parsing, refs and sources are only recorded (their
 * relations are not known yet); once the manifest is complete they resolve to relations, ephemeral models to
 * the CTE the compiled SQL will carry.
 */
public final class ProjectResolver implements Resolver {

    private final DbtProject root;
    private final Map<String, Object> cliVars;
    private final JinjaEngine jinja;
    private final String adapterType;
    private final java.util.Set<String> projectNames;
    private Manifest manifest;

    /**
     * @param projectNames the root project's and its packages' names: a var block under one of them is
     *                     that project's vars, not a var
     */
    public ProjectResolver(DbtProject root, Map<String, Object> cliVars, JinjaEngine jinja, String adapterType,
                           java.util.Set<String> projectNames) {
        this.root = root;
        this.cliVars = cliVars;
        this.jinja = jinja;
        this.adapterType = adapterType;
        this.projectNames = projectNames;
    }

    /** From now on refs and sources resolve against this manifest. */
    /** Refable nodes by name, for ref() in large projects. */
    private Map<String, List<Node>> byName = Map.of();

    void manifest(Manifest complete) {
        this.manifest = complete;
        Map<String, List<Node>> index = new java.util.HashMap<>();
        for (Node node : complete.nodes().values()) {
            if (node.type() != fr.zlv.entrepot.dbt.graph.ResourceType.TEST) {
                index.computeIfAbsent(node.name(), key -> new java.util.ArrayList<>()).add(node);
            }
        }
        this.byName = index;
    }

    @Override
    public Relation ref(String packageName, String name, RenderState state) {
        if (manifest == null || state.phase() == RenderState.Phase.PARSE) {
            return new Relation(null, null, name, null);
        }
        Node target = find(packageName, name, state.node());
        if (target.isEphemeral()) {
            state.ephemerals().add(target.uniqueId());
            return new Relation(null, null, "__dbt__cte__" + target.name(), "cte");
        }
        return new Relation(target.database(), target.schema(), target.alias(),
                target.materialized().equals("view") ? "view" : "table");
    }

    /** The node a ref names: in the given package, else the root project first, then any package. */
    Node find(String packageName, String name, Node from) {
        Node found = null;
        for (Node node : byName.getOrDefault(name, List.of())) {
            if (packageName != null && !node.packageName().equals(packageName)) {
                continue;
            }
            if (found == null || node.packageName().equals(root.name())) {
                found = node;
            }
        }
        if (found == null) {
            String where = from == null ? "" : from.type().dbtName() + " '" + from.name() + "' ("
                    + from.originalFilePath() + ") ";
            boolean disabled = manifest.disabled().values().stream().anyMatch(node -> node.name().equals(name));
            throw DbtException.project(capitalise(where) + "depends on a node named '" + name + "'"
                            + (packageName == null ? "" : " in package '" + packageName + "'")
                            + (disabled ? " which is disabled." : " which was not found."),
                    disabled ? "Enable it, or remove the ref." : EditDistance.closest(name, manifest.nodes().values().stream()
                            .map(Node::name).toList()).map(close -> "Did you mean '" + close + "'?")
                            .orElse("Check the name: models, seeds and snapshots can be ref()'d."));
        }
        return found;
    }

    @Override
    public Relation source(String sourceName, String tableName, RenderState state) {
        if (manifest == null || state.phase() == RenderState.Phase.PARSE) {
            return new Relation(null, sourceName, tableName, null);
        }
        SourceDefinition source = findSource(sourceName, tableName, state.node());
        return new Relation(source.database(), source.schema(), source.identifier(), "table");
    }

    SourceDefinition findSource(String sourceName, String tableName, Node from) {
        for (SourceDefinition source : manifest.sources().values()) {
            if (source.sourceName().equals(sourceName) && source.name().equals(tableName)) {
                return source;
            }
        }
        String where = from == null ? "" : from.type().dbtName() + " '" + from.name() + "' (" + from.originalFilePath() + ") ";
        throw DbtException.project(capitalise(where) + "depends on a source named '" + sourceName + "." + tableName
                + "' which was not found.", EditDistance.closest(sourceName + "." + tableName, manifest.sources().values()
                .stream().map(source -> source.sourceName() + "." + source.name()).toList())
                .map(close -> "Did you mean '" + close + "'?").orElse("Declare it under sources: in a properties file."));
    }

    @Override
    public Object var(String name, Object fallback, boolean hasFallback, RenderState state) {
        if (cliVars.containsKey(name)) {
            return cliVars.get(name);
        }
        String packageName = state.node() == null ? root.name() : state.node().packageName();
        Map<String, Object> scoped = Yaml.map(root.vars().get(packageName));
        if (scoped.containsKey(name)) {
            return scoped.get(name);
        }
        if (root.vars().containsKey(name) && !(root.vars().get(name) instanceof Map<?, ?> && projectNames.contains(name))) {
            return root.vars().get(name);
        }
        if (hasFallback) {
            return fallback;
        }
        if (state.phase() == RenderState.Phase.PARSE) {
            return null;
        }
        String where = state.node() == null ? "" : " (in " + state.node().originalFilePath() + ")";
        state.compilerError("Required var '" + name + "' not found in config" + where
                + ": set it under vars: in dbt_project.yml, or with --vars.");
        throw DbtException.project(state.compilerError(), null);
    }

    @Override
    public MacroFunction dispatch(String macroName, String macroNamespace, RenderState state) {
        List<String> searchOrder = new ArrayList<>();
        String namespace = macroNamespace == null ? root.name() : macroNamespace;
        root.dispatch().stream().filter(rule -> rule.macroNamespace().equals(namespace)).findFirst()
                .ifPresentOrElse(rule -> searchOrder.addAll(rule.searchOrder()), () -> searchOrder.add(namespace));
        searchOrder.add("dbt");
        List<String> prefixes = List.of(adapterType + "__", "default__");
        for (String candidateNamespace : searchOrder) {
            for (String prefix : prefixes) {
                MacroFunction macro = macroIn(candidateNamespace, prefix + macroName);
                if (macro != null) {
                    return macro;
                }
            }
        }
        state.compilerError("adapter.dispatch found no macro for '" + macroName + "' (looked for " + adapterType + "__"
                + macroName + " and default__" + macroName + " in " + String.join(", ", searchOrder) + ").");
        throw DbtException.project(state.compilerError(), null);
    }

    private MacroFunction macroIn(String namespace, String name) {
        if (namespace.equals(root.name())) {
            return jinja.projectDefines(name) ? jinja.macro(name) : null;
        }
        if (namespace.equals("dbt")) {
            return jinja.macro(name);
        }
        return jinja.macro(namespace, name);
    }

    private static String capitalise(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
