package fr.zlv.entrepot.dbt.run;

import fr.zlv.entrepot.dbt.adapter.Adapter;
import fr.zlv.entrepot.dbt.adapter.Relation;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What relations exist, learnt with one query per schema instead of one per node, as dbt's relation cache does.
 * A node's own relation changes only through its materialization, which tells the cache; so the cache holds
 * while a command runs.
 */
final class RelationCache {

    private final Adapter adapter;
    /** Per "database.schema", the relations by lower-cased identifier. */
    private final Map<String, Map<String, Relation>> schemas = new ConcurrentHashMap<>();

    RelationCache(Adapter adapter) {
        this.adapter = adapter;
    }

    Optional<Relation> find(String database, String schema, String identifier) {
        return Optional.ofNullable(schema(database, schema).get(identifier.toLowerCase(Locale.ROOT)));
    }

    /** The node's relation now exists, as a table or a view. */
    void built(Relation relation) {
        schema(relation.getDatabase(), relation.getSchema())
                .put(relation.getIdentifier().toLowerCase(Locale.ROOT), relation);
    }

    /** Something the cache cannot follow changed the relation (a custom materialization): ask the warehouse. */
    void refresh(String database, String schema, String identifier) {
        Map<String, Relation> relations = schema(database, schema);
        String key = identifier.toLowerCase(Locale.ROOT);
        adapter.find(database, schema, identifier).ifPresentOrElse(found -> relations.put(key, found),
                () -> relations.remove(key));
    }

    private Map<String, Relation> schema(String database, String schema) {
        String key = (database == null ? adapter.defaultDatabase() : database).toLowerCase(Locale.ROOT) + "."
                + schema.toLowerCase(Locale.ROOT);
        return schemas.computeIfAbsent(key, ignored -> {
            Map<String, Relation> relations = new ConcurrentHashMap<>();
            for (Relation relation : adapter.relations(database, schema)) {
                relations.put(relation.getIdentifier().toLowerCase(Locale.ROOT), relation);
            }
            return relations;
        });
    }
}
