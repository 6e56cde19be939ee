package fr.zlv.entrepot.orchestrator.run;

import fr.zlv.entrepot.orchestrator.asset.AssetKey;
import fr.zlv.entrepot.orchestrator.asset.AssetSpec;
import fr.zlv.entrepot.orchestrator.asset.CheckSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Builds small asset graphs whose steps do what a test tells them, and records what happened in order. */
final class TestDefinitions {

    final List<String> happened = new CopyOnWriteArrayList<>();
    private final Map<String, AssetSpec> assets = new LinkedHashMap<>();
    private final Map<String, StepAction> actions = new LinkedHashMap<>();
    private final Map<String, RetryPolicy> retries = new LinkedHashMap<>();
    private final List<JobSpec> jobs = new ArrayList<>();
    private CheckEvaluator checks = CheckEvaluator.NONE;

    /** An asset whose step records "start X" and "end X" around the action. */
    TestDefinitions asset(String key, StepAction action, String... upstream) {
        assets.put(key, AssetSpec.of(key, upstream));
        actions.put(key, context -> {
            happened.add("start " + key);
            try {
                action.run(context);
            } finally {
                happened.add("end " + key);
            }
        });
        return this;
    }

    TestDefinitions asset(String key, String... upstream) {
        return asset(key, context -> { }, upstream);
    }

    TestDefinitions retry(String key, RetryPolicy policy) {
        retries.put(key, policy);
        return this;
    }

    TestDefinitions check(String key, CheckSpec check) {
        AssetSpec spec = assets.get(key);
        List<CheckSpec> all = new ArrayList<>(spec.checks());
        all.add(check);
        assets.put(key, spec.withChecks(all));
        return this;
    }

    TestDefinitions checks(CheckEvaluator evaluator) {
        this.checks = evaluator;
        return this;
    }

    TestDefinitions job(String name, String selection) {
        jobs.add(new JobSpec(name, "", selection));
        return this;
    }

    Definitions build() {
        List<StepSpec> steps = new ArrayList<>();
        actions.forEach((key, action) -> steps.add(StepSpec.single(new AssetKey(key),
                retries.getOrDefault(key, RetryPolicy.NONE), false, action)));
        return new Definitions(assets.values(), steps, jobs, List.of(), checks);
    }

    int indexOf(String event) {
        return happened.indexOf(event);
    }
}
