package fr.zlv.entrepot.core.settings;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The orchestrator: its jobs file and where it keeps run history. */
public record OrchestratorSettings(
        @JsonPropertyDescription("The jobs, schedules, retry policies and checks (relative to the settings file).")
        String jobs,
        @JsonPropertyDescription("The run store: a SQLite file path (relative to the settings file), or a"
                + " jdbc:postgresql: URL shared by several processes (ENTREPOT_STORE_URL).")
        String store) {

    public OrchestratorSettings {
        jobs = jobs == null || jobs.isBlank() ? "jobs.yml" : jobs;
        store = store == null || store.isBlank() ? "data/runs.sqlite" : store;
    }

    /** True when the store is a database server rather than a file. */
    public boolean storeIsUrl() {
        return store.startsWith("jdbc:");
    }

    public OrchestratorSettings withPaths(String newJobs, String newStore) {
        return new OrchestratorSettings(newJobs, newStore);
    }
}
