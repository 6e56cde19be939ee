package fr.zlv.entrepot.dbt.adapter;

import java.util.List;
import java.util.stream.Collectors;

/** The SQL of the {@code merge} incremental strategy, shared by the engines that have MERGE. */
final class Merges {

    private Merges() {
    }

    /** {@code merge into target using staging on keys}: matched rows updated, the others inserted. */
    static String merge(Relation target, Relation staging, List<String> keys, List<String> columns) {
        String columnList = columns.stream().map(Relation::quote).collect(Collectors.joining(", "));
        String set = columns.stream().filter(column -> !keys.contains(column))
                .map(column -> Relation.quote(column) + " = source." + Relation.quote(column))
                .collect(Collectors.joining(", "));
        String values = columns.stream().map(column -> "source." + Relation.quote(column))
                .collect(Collectors.joining(", "));
        return "merge into " + target + " as target using " + staging + " as source on " + on(keys)
                + (set.isEmpty() ? "" : " when matched then update set " + set)
                + " when not matched then insert (" + columnList + ") values (" + values + ")";
    }

    /** target.k1 = source.k1 and ... */
    static String on(List<String> keys) {
        return keys.stream().map(key -> "target." + Relation.quote(key) + " = source." + Relation.quote(key))
                .collect(Collectors.joining(" and "));
    }
}
