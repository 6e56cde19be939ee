package fr.zlv.entrepot.dbt.graph;

import java.util.Locale;

/** What a node of the graph is. */
public enum ResourceType {
    MODEL, SEED, SNAPSHOT, TEST, ANALYSIS, SOURCE, OPERATION;

    /** The name dbt uses: model, seed, snapshot, test, analysis, source. */
    public String dbtName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
