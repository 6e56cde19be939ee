package fr.zlv.entrepot.orchestrator.run;

/** A job of {@code jobs.yml}: a name, what it is for, and the assets it materializes (a selection expression). */
public record JobSpec(String name, String description, String selection) {
}
