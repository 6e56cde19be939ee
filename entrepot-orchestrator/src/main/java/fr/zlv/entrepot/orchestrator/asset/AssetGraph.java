package fr.zlv.entrepot.orchestrator.asset;

import fr.zlv.entrepot.core.EntrepotException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The assets and their dependencies. An upstream key that is not an asset here (a dbt source nobody ingests) is
 * kept on the spec but plays no part in ordering. The graph has no cycle: building one that has names it.
 */
public final class AssetGraph {

    private final Map<AssetKey, AssetSpec> assets = new LinkedHashMap<>();
    private final Map<AssetKey, Set<AssetKey>> upstream = new LinkedHashMap<>();
    private final Map<AssetKey, Set<AssetKey>> downstream = new LinkedHashMap<>();
    private final List<AssetKey> topologicalOrder;

    public AssetGraph(Collection<AssetSpec> specs) {
        for (AssetSpec spec : specs) {
            if (assets.put(spec.key(), spec) != null) {
                throw EntrepotException.badInput("Two assets are named " + spec.key() + ".",
                        "Give each asset its own key.");
            }
        }
        assets.keySet().forEach(key -> downstream.put(key, new TreeSet<>()));
        for (AssetSpec spec : assets.values()) {
            Set<AssetKey> known = new TreeSet<>();
            for (AssetKey parent : spec.upstream()) {
                if (assets.containsKey(parent)) {
                    known.add(parent);
                    downstream.get(parent).add(spec.key());
                }
            }
            upstream.put(spec.key(), known);
        }
        topologicalOrder = sort();
    }

    public AssetSpec spec(AssetKey key) {
        AssetSpec spec = assets.get(key);
        if (spec == null) {
            throw EntrepotException.badInput("No asset is named " + key + ".", "See them with: entrepot assets list");
        }
        return spec;
    }

    public boolean contains(AssetKey key) {
        return assets.containsKey(key);
    }

    public Collection<AssetSpec> specs() {
        return assets.values();
    }

    /** The assets this one is built from, among the graph's. */
    public Set<AssetKey> upstream(AssetKey key) {
        return upstream.getOrDefault(key, Set.of());
    }

    /** The assets built from this one. */
    public Set<AssetKey> downstream(AssetKey key) {
        return downstream.getOrDefault(key, Set.of());
    }

    /** Every asset, each after all its upstream assets. */
    public List<AssetKey> topologicalOrder() {
        return topologicalOrder;
    }

    /** The assets reachable upstream (or downstream) within {@code depth} steps, not counting the starts. */
    public Set<AssetKey> reachable(Collection<AssetKey> starts, boolean towardsUpstream, int depth) {
        Set<AssetKey> seen = new LinkedHashSet<>();
        Set<AssetKey> frontier = new LinkedHashSet<>(starts);
        for (int level = 0; level < depth && !frontier.isEmpty(); level++) {
            Set<AssetKey> next = new LinkedHashSet<>();
            for (AssetKey key : frontier) {
                for (AssetKey neighbour : towardsUpstream ? upstream(key) : downstream(key)) {
                    if (seen.add(neighbour)) {
                        next.add(neighbour);
                    }
                }
            }
            frontier = next;
        }
        seen.removeAll(starts);
        return seen;
    }

    /** Kahn's algorithm, keys in name order among ready ones so the order is stable; a cycle is named. */
    private List<AssetKey> sort() {
        Map<AssetKey, Integer> waiting = new LinkedHashMap<>();
        upstream.forEach((key, parents) -> waiting.put(key, parents.size()));
        TreeSet<AssetKey> ready = new TreeSet<>();
        waiting.forEach((key, count) -> {
            if (count == 0) {
                ready.add(key);
            }
        });
        List<AssetKey> order = new ArrayList<>(assets.size());
        while (!ready.isEmpty()) {
            AssetKey key = ready.pollFirst();
            order.add(key);
            for (AssetKey child : downstream.get(key)) {
                if (waiting.merge(child, -1, Integer::sum) == 0) {
                    ready.add(child);
                }
            }
        }
        if (order.size() < assets.size()) {
            throw EntrepotException.badInput("The assets depend on each other in a cycle: " + cycle(waiting) + ".",
                    "Remove one of these dependencies.");
        }
        return List.copyOf(order);
    }

    /** One cycle among the assets left unsorted, as "a → b → a". */
    private String cycle(Map<AssetKey, Integer> waiting) {
        AssetKey start = waiting.entrySet().stream().filter(e -> e.getValue() > 0).findFirst().orElseThrow().getKey();
        Deque<AssetKey> path = new ArrayDeque<>();
        Set<AssetKey> onPath = new LinkedHashSet<>();
        AssetKey current = start;
        while (onPath.add(current)) {
            path.add(current);
            current = upstream.get(current).stream().filter(parent -> waiting.get(parent) > 0).findFirst()
                    .orElseThrow();
        }
        List<String> names = new ArrayList<>();
        boolean inCycle = false;
        for (AssetKey key : path) {
            inCycle |= key.equals(current);
            if (inCycle) {
                names.add(0, key.path());
            }
        }
        names.add(names.get(0));
        return String.join(" → ", names);
    }
}
