package fr.zlv.entrepot.orchestrator.run;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.orchestrator.asset.AssetKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The steps a selection of assets needs, in an order that respects their dependencies, each with the subset of its
 * assets selected. Only dependencies between selected assets count: an unselected upstream asset is taken as it is
 * in the warehouse.
 */
public final class RunPlan {

    /** A step of the plan: what it builds this run and, per step it waits for, the assets it needs from it. */
    public record PlannedStep(StepSpec spec, Set<AssetKey> selected, Map<String, Set<AssetKey>> needs) {
    }

    private final Map<String, PlannedStep> steps;

    private RunPlan(Map<String, PlannedStep> steps) {
        this.steps = steps;
    }

    public static RunPlan of(Definitions definitions, Collection<AssetKey> selection) {
        Set<AssetKey> selected = new LinkedHashSet<>(selection);
        Map<String, Set<AssetKey>> assetsByStep = new LinkedHashMap<>();
        for (AssetKey key : definitions.graph().topologicalOrder()) {
            if (selected.contains(key)) {
                assetsByStep.computeIfAbsent(definitions.stepOf(key).name(), name -> new LinkedHashSet<>()).add(key);
            }
        }
        Map<String, PlannedStep> planned = new LinkedHashMap<>();
        for (Map.Entry<String, Set<AssetKey>> entry : assetsByStep.entrySet()) {
            StepSpec spec = definitions.stepOf(entry.getValue().iterator().next());
            Map<String, Set<AssetKey>> needs = new LinkedHashMap<>();
            for (AssetKey key : entry.getValue()) {
                for (AssetKey parent : definitions.graph().upstream(key)) {
                    String parentStep = definitions.stepOf(parent).name();
                    if (selected.contains(parent) && !parentStep.equals(spec.name())) {
                        needs.computeIfAbsent(parentStep, name -> new LinkedHashSet<>()).add(parent);
                    }
                }
            }
            planned.put(spec.name(), new PlannedStep(spec, Set.copyOf(entry.getValue()), needs));
        }
        return new RunPlan(ordered(planned));
    }

    /** The steps, each after those it waits for; steps waiting on each other (through multi-asset steps) are named. */
    private static Map<String, PlannedStep> ordered(Map<String, PlannedStep> planned) {
        Map<String, PlannedStep> order = new LinkedHashMap<>();
        List<String> left = new ArrayList<>(planned.keySet());
        while (!left.isEmpty()) {
            boolean progressed = left.removeIf(name -> {
                if (order.keySet().containsAll(planned.get(name).needs().keySet())) {
                    order.put(name, planned.get(name));
                    return true;
                }
                return false;
            });
            if (!progressed) {
                throw EntrepotException.badInput("The steps " + left + " wait for each other.",
                        "Split the multi-asset steps so their assets do not depend on each other both ways.");
            }
        }
        return order;
    }

    /** The steps in dependency order. */
    public Collection<PlannedStep> steps() {
        return steps.values();
    }

    public PlannedStep step(String name) {
        return steps.get(name);
    }

    public boolean isEmpty() {
        return steps.isEmpty();
    }
}
