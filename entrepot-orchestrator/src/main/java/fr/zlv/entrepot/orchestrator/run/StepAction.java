package fr.zlv.entrepot.orchestrator.run;

/** The work of a step: materializes the step's selected assets, reporting each through the context. */
@FunctionalInterface
public interface StepAction {

    /** Throws when the step fails; the executor retries it as its policy says. */
    void run(StepContext context) throws Exception;
}
