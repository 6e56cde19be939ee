package fr.zlv.entrepot.orchestrator.run;

import fr.zlv.entrepot.orchestrator.store.RunStore;
import fr.zlv.entrepot.orchestrator.store.RunStores;

/** The process a test kills: starts a run whose second step never ends, and waits. Argument: the store file. */
public final class InterruptedRunChild {

    private InterruptedRunChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        TestDefinitions definitions = new TestDefinitions()
                .asset("raw/done", context -> context.log("first step done"))
                .asset("stg/endless", context -> {
                    context.log("copying, this takes forever");
                    Thread.sleep(Long.MAX_VALUE);
                }, "raw/done")
                .asset("marts/after", "stg/endless");
        RunStore store = RunStores.open(args[0]);
        Orchestrator orchestrator = new Orchestrator(definitions.build(), store, Orchestrator.Options.defaults());
        System.out.println("run " + orchestrator.materialize("*", "manual"));
        Thread.sleep(Long.MAX_VALUE);
    }
}
