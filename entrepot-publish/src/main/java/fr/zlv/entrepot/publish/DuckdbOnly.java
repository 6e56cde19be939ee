package fr.zlv.entrepot.publish;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.warehouse.Warehouse;

/**
 * The targets that copy the DuckDB warehouse file as a whole (backups, EXPORT DATABASE, MotherDuck): a PostgreSQL
 * warehouse has no such file, and its own tools do that job better.
 */
final class DuckdbOnly {

    private DuckdbOnly() {
    }

    /** Stops with a message naming the target when the warehouse is a PostgreSQL database. */
    static void require(Warehouse warehouse, String target, String what, String hint) {
        if (warehouse.isPostgres()) {
            throw EntrepotException.badInput("The " + target + " target (" + what + ") works on a DuckDB warehouse"
                    + " only; the warehouse " + warehouse.location() + " is a PostgreSQL database.", hint);
        }
    }

    /** What to use instead for a PostgreSQL warehouse's copies. */
    static final String POSTGRES_BACKUP_HINT = "Back up a PostgreSQL warehouse with pg_dump (pg_dump -Fc -d DATABASE)"
            + " or the database's own backups (managed snapshots, point-in-time recovery); the BI file, the serving"
            + " schema and the Parquet exports are published from it as usual.";
}
