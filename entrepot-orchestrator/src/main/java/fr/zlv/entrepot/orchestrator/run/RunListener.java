package fr.zlv.entrepot.orchestrator.run;

import fr.zlv.entrepot.orchestrator.store.RunEvent;

/** Hears every event of every run of this process as it happens (the terminal's live progress). */
@FunctionalInterface
public interface RunListener {

    void onEvent(RunEvent event);
}
