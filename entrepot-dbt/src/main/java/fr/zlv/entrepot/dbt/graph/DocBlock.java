package fr.zlv.entrepot.dbt.graph;

/** A {@code {% docs name %}...{% enddocs %}} block. */
public record DocBlock(String packageName, String name, String originalFilePath, String contents) {

    public String uniqueId() {
        return "doc." + packageName + "." + name;
    }
}
