package fr.zlv.entrepot.orchestrator.asset;

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
        DBT_TEST,
        /**
         * The privacy check of one mart (package {@code privacy}): no column classified direct (or direct upstream
         * under the same name), none unclassified, none indirect in a public mart, no values that look like e-mails,
         * phones or names. Added to every dbt model asset of schema {@code marts}.
         */
        PRIVACY
    }

    public CheckSpec {
        arguments = Map.copyOf(arguments);
    }

    /** The blocking privacy check of a mart. */
    public static CheckSpec privacy() {
        return new CheckSpec("privacy", Kind.PRIVACY, true, Map.of());
    }

    public static CheckSpec dbtTest(String testName, boolean blocking) {
        return new CheckSpec(testName, Kind.DBT_TEST, blocking, Map.of());
    }
}
