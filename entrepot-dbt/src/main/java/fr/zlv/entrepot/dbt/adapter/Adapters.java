package fr.zlv.entrepot.dbt.adapter;

import fr.zlv.entrepot.dbt.DbtException;
import fr.zlv.entrepot.dbt.project.Profile;
import java.nio.file.Path;

/** Opens the adapter a profile's target names: {@code type: duckdb} (the default) or {@code type: postgres}. */
public final class Adapters {

    private Adapters() {
    }

    /** @param projectRoot where a DuckDB target's relative {@code path} starts */
    public static Adapter open(Profile profile, Path projectRoot) {
        return switch (profile.type()) {
            case "duckdb" -> DuckDbAdapter.open(profile.targetContext(), projectRoot);
            // The settings, not targetContext(): the password is needed here, and nowhere in Jinja.
            case "postgres" -> PostgresAdapter.open(profile.settings());
            default -> throw DbtException.project("Target '" + profile.targetName() + "' of " + profile.file()
                    + " has type '" + profile.type() + "': Entrepôt runs duckdb and postgres targets.", null);
        };
    }
}
