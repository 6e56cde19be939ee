package fr.zlv.entrepot.dbt.graph;

import java.util.Locale;

/** What a node of the graph is. */
public enum ResourceType {
    MODEL, SEED, SNAPSHOT, TEST, UNIT_TEST, ANALYSIS, SOURCE, OPERATION;

    private final String dbtName = name().toLowerCase(Locale.ROOT);

    /** The name dbt uses: model, seed, snapshot, test, unit_test, analysis, source. */
    public String dbtName() {
        return dbtName;
    }
}
