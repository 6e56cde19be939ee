package fr.zlv.entrepot.dbt.graph;

/** A macro of the project, a package, or Entrepôt's built-ins. */
public record MacroDefinition(String packageName, String name, String originalFilePath, String sql, String description) {

    public String uniqueId() {
        return "macro." + packageName + "." + name;
    }
}
