package fr.zlv.entrepot.dbt.graph;

import fr.zlv.entrepot.dbt.DbtException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything a project holds once parsed: nodes, sources, macros, docs, and the edges between nodes.
 * Nodes are kept in the order they were found; {@link #topologicalOrder} gives an order that respects
 * the edges.
 */
public final class Manifest {

    private final String projectName;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<String, SourceDefinition> sources = new LinkedHashMap<>();
    private final Map<String, MacroDefinition> macros = new LinkedHashMap<>();
    private final Map<String, DocBlock> docs = new LinkedHashMap<>();
    private final Map<String, Node> disabled = new LinkedHashMap<>();
    private final Map<String, Object> selectors = new LinkedHashMap<>();
    private final Map<String, Node> unitTests = new LinkedHashMap<>();

    public Manifest(String projectName) {
        this.projectName = projectName;
    }

    public String projectName() {
        return projectName;
    }

    public Map<String, Node> nodes() {
        return nodes;
    }

    public Map<String, SourceDefinition> sources() {
        return sources;
    }

    public Map<String, MacroDefinition> macros() {
        return macros;
    }

    public Map<String, DocBlock> docs() {
        return docs;
    }

    public Map<String, Node> disabled() {
        return disabled;
    }

    /** The selectors of {@code selectors.yml} by name: {name, description, definition}. */
    public Map<String, Object> selectors() {
        return selectors;
    }

    public Node node(String uniqueId) {
        Node node = nodes.get(uniqueId);
        return node != null ? node : unitTests.get(uniqueId);
    }

    /** The unit tests (kept apart from the nodes, as in dbt's manifest), by unique id. */
    public Map<String, Node> unitTests() {
        return unitTests;
    }

    /** The upstream nodes and sources of each node. */
    public Map<String, List<String>> parentMap() {
        Map<String, List<String>> parents = new LinkedHashMap<>();
        for (Node node : nodes.values()) {
            parents.put(node.uniqueId(), new ArrayList<>(node.dependsOnNodes()));
        }
        for (SourceDefinition source : sources.values()) {
            parents.put(source.uniqueId(), new ArrayList<>());
        }
        return parents;
    }

    /** The downstream nodes of each node and source. */
    public Map<String, List<String>> childMap() {
        Map<String, List<String>> children = new LinkedHashMap<>();
        for (Node node : nodes.values()) {
            children.put(node.uniqueId(), new ArrayList<>());
        }
        for (SourceDefinition source : sources.values()) {
            children.put(source.uniqueId(), new ArrayList<>());
        }
        for (Node node : nodes.values()) {
            for (String parent : node.dependsOnNodes()) {
                children.computeIfAbsent(parent, key -> new ArrayList<>()).add(node.uniqueId());
            }
        }
        return children;
    }

    /**
     * The nodes, each after its parents. A cycle is an error naming its path
     * ({@code model.a -> model.b -> model.a}).
     */
    public List<Node> topologicalOrder() {
        List<Node> order = new ArrayList<>();
        Map<String, Integer> state = new LinkedHashMap<>();
        for (Node node : nodes.values()) {
            visit(node, state, order, new ArrayList<>());
        }
        return order;
    }

    private void visit(Node node, Map<String, Integer> state, List<Node> order, List<String> path) {
        Integer seen = state.get(node.uniqueId());
        if (seen != null && seen == 2) {
            return;
        }
        path.add(node.uniqueId());
        if (seen != null && seen == 1) {
            List<String> cycle = path.subList(path.indexOf(node.uniqueId()), path.size());
            throw DbtException.project("Found a cycle: " + String.join(" --> ", cycle) + ".",
                    "A model cannot depend, directly or not, on itself: remove one of these ref()s.");
        }
        state.put(node.uniqueId(), 1);
        for (String parent : node.dependsOnNodes()) {
            Node upstream = nodes.get(parent);
            if (upstream != null) {
                visit(upstream, state, order, path);
            }
        }
        path.remove(path.size() - 1);
        state.put(node.uniqueId(), 2);
        order.add(node);
    }

    /** All nodes upstream of {@code ids} (not including them), as far as {@code depth} (negative: all). */
    public Set<String> ancestors(Collection<String> ids, int depth) {
        return walk(ids, depth, parentMap());
    }

    /** All nodes downstream of {@code ids} (not including them), as far as {@code depth} (negative: all). */
    public Set<String> descendants(Collection<String> ids, int depth) {
        return walk(ids, depth, childMap());
    }

    private static Set<String> walk(Collection<String> start, int depth, Map<String, List<String>> edges) {
        Set<String> found = new LinkedHashSet<>();
        List<String> frontier = new ArrayList<>(start);
        for (int level = 0; !frontier.isEmpty() && (depth < 0 || level < depth); level++) {
            List<String> next = new ArrayList<>();
            for (String id : frontier) {
                for (String neighbour : edges.getOrDefault(id, List.of())) {
                    if (found.add(neighbour)) {
                        next.add(neighbour);
                    }
                }
            }
            frontier = next;
        }
        return found;
    }
}
