package fr.zlv.entrepot.core.settings;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What {@code entrepot demo} uses. */
public record DemoSettings(
        @JsonPropertyDescription("A PostgreSQL server where the demo may create its database, as a JDBC URL with an"
                + " administrator user; empty tries 127.0.0.1:5432, then starts an embedded PostgreSQL.")
        String postgresUrl,
        @JsonPropertyDescription("Directory of the demo's warehouse and files; relative to the settings file.")
        String workspace) {

    public DemoSettings {
        postgresUrl = postgresUrl == null || postgresUrl.isBlank() ? null : postgresUrl;
        workspace = workspace == null || workspace.isBlank() ? "data/demo" : workspace;
    }
}
