package fr.zlv.entrepot.dbt.parse;

import fr.zlv.entrepot.dbt.graph.Manifest;
import fr.zlv.entrepot.dbt.jinja.JinjaEngine;
import fr.zlv.entrepot.dbt.project.DbtProject;
import fr.zlv.entrepot.dbt.project.Profile;
import java.util.List;

/** A project read and parsed: its manifest, and the Jinja engine holding its macros. */
public record ParsedProject(DbtProject root, List<DbtProject> packages, Profile profile, Manifest manifest,
                            JinjaEngine jinja, ProjectResolver resolver, double parseSeconds) {
}
