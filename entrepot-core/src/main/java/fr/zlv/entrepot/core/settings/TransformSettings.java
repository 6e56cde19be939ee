package fr.zlv.entrepot.core.settings;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The warehouse's transformations: the dbt project Entrepôt's engine runs. */
public record TransformSettings(
        @JsonPropertyDescription("The dbt project (the directory of its dbt_project.yml); relative to the settings"
                + " file.")
        String projectDir,
        @JsonPropertyDescription("The target of the project's profiles.yml to run against; empty: the profile's"
                + " default target.")
        String target) {

    public TransformSettings {
        projectDir = projectDir == null || projectDir.isBlank() ? "dbt" : projectDir;
        target = target == null || target.isBlank() ? null : target;
    }

    public TransformSettings withProjectDir(String directory) {
        return new TransformSettings(directory, target);
    }
}
