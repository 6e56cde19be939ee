package fr.zlv.entrepot.publish;

import java.util.List;

/**
 * Says whether a table may leave the warehouse: the problems found in it (a column classified as personal data),
 * empty when it may. The orchestrator gives one built on the dbt project's classification; publishing refuses a
 * table with a problem, naming it.
 */
@FunctionalInterface
public interface PublicationGate {

    /** Lets everything through: for tests of the targets themselves. */
    PublicationGate OPEN = (schema, table) -> List.of();

    List<String> problems(String schema, String table);
}
