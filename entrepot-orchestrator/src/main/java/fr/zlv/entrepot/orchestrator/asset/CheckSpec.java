package fr.zlv.entrepot.orchestrator.asset;

import java.time.Duration;
import java.util.Map;

/**
 * A check on an asset, run after each materialization (and by {@code entrepot checks run}). A blocking check that
 * fails stops the assets downstream, as a failed materialization does.
 */
public record CheckSpec(String name, Kind kind, boolean blocking, Map<String, Object> arguments) {

    public enum Kind {
        /** The table exists in the warehouse. */
        EXISTS,
        /** The newest value of a timestamp column (argument {@code column}), or the last materialization, is younger than {@code max_age}. */
        FRESHNESS,
        /** The row count is within {@code min}/{@code max}, or within {@code max_change_percent} of the previous materialization. */
        ROW_COUNT,
        /** The table has the {@code columns} expected (name → type), and no others unless {@code allow_extra}. */
        SCHEMA,
        /** A dbt test on the model: its result comes from the dbt step. */
        DBT_TEST
    }

    public CheckSpec {
        arguments = Map.copyOf(arguments);
    }

    public static CheckSpec exists() {
        return new CheckSpec("exists", Kind.EXISTS, true, Map.of());
    }

    public static CheckSpec freshness(String column, Duration maxAge, boolean blocking) {
        return new CheckSpec("freshness", Kind.FRESHNESS, blocking,
                column == null ? Map.of("max_age", maxAge) : Map.of("column", column, "max_age", maxAge));
    }

    public static CheckSpec dbtTest(String testName, boolean blocking) {
        return new CheckSpec(testName, Kind.DBT_TEST, blocking, Map.of());
    }
}
