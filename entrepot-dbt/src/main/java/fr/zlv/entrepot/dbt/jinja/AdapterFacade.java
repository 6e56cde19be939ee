package fr.zlv.entrepot.dbt.jinja;

import fr.zlv.entrepot.dbt.DbtException;
import fr.zlv.entrepot.dbt.adapter.Adapter;
import fr.zlv.entrepot.dbt.adapter.Column;
import fr.zlv.entrepot.dbt.adapter.QueryTable;
import fr.zlv.entrepot.dbt.adapter.Relation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code adapter} in Jinja: dbt's adapter methods with dbt's names. While parsing ({@code execute} false)
 * nothing reaches the warehouse: lookups answer nothing, as dbt's do.
 */
public final class AdapterFacade {

    private final String type;

    public AdapterFacade(String type) {
        this.type = type;
    }

    private static Adapter live() {
        RenderState state = RenderState.current();
        return state.executing() ? state.adapter() : null;
    }

    public String type() {
        return type;
    }

    public String quote(String identifier) {
        return Relation.quote(identifier);
    }

    public Relation get_relation(String database, String schema, String identifier) {
        Adapter adapter = live();
        return adapter == null ? null : adapter.find(database, schema, identifier).orElse(null);
    }

    public Relation get_relation(Object database, Object schema, Object identifier) {
        return get_relation(database == null ? null : database.toString(), String.valueOf(schema), String.valueOf(identifier));
    }

    public List<Column> get_columns_in_relation(Relation relation) {
        Adapter adapter = live();
        return adapter == null || relation == null ? new ArrayList<>() : adapter.columns(relation);
    }

    /** Columns of {@code from} that {@code to} lacks. */
    public List<Column> get_missing_columns(Relation from, Relation to) {
        List<Column> missing = new ArrayList<>();
        List<String> existing = get_columns_in_relation(to).stream().map(c -> c.getName().toLowerCase()).toList();
        for (Column column : get_columns_in_relation(from)) {
            if (!existing.contains(column.getName().toLowerCase())) {
                missing.add(column);
            }
        }
        return missing;
    }

    public boolean already_exists(String schema, String identifier) {
        Adapter adapter = live();
        return adapter != null && adapter.find(null, schema, identifier).isPresent();
    }

    public String create_schema(Relation relation) {
        Adapter adapter = live();
        if (adapter != null) {
            adapter.createSchema(relation.getDatabase(), relation.getSchema());
        }
        return "";
    }

    public String drop_relation(Relation relation) {
        Adapter adapter = live();
        if (adapter != null && relation != null) {
            Relation found = adapter.find(relation.getDatabase(), relation.getSchema(), relation.getIdentifier()).orElse(null);
            if (found != null) {
                adapter.execute(adapter.dropStatement(found));
            }
        }
        return "";
    }

    public String rename_relation(Relation from, Relation to) {
        Adapter adapter = live();
        if (adapter != null) {
            Relation found = adapter.find(from.getDatabase(), from.getSchema(), from.getIdentifier()).orElseThrow(() ->
                    DbtException.runtime("Cannot rename " + from + ": it does not exist.", null));
            adapter.execute("ALTER " + (found.isView() ? "VIEW" : "TABLE") + " " + found.render() + " RENAME TO "
                    + Relation.quote(to.getIdentifier()));
        }
        return "";
    }

    /** Runs SQL; returns [response, table] as dbt does. */
    public List<Object> execute(String sql) {
        return execute(sql, false);
    }

    public List<Object> execute(String sql, boolean fetch) {
        Adapter adapter = live();
        if (adapter == null) {
            return List.of(response(0), new QueryTable(List.of(), List.of()));
        }
        RenderState.current().executed().add(sql);
        if (fetch) {
            QueryTable table = adapter.query(sql);
            return List.of(response(table.size()), table);
        }
        long rows = adapter.execute(sql);
        return List.of(response(rows), new QueryTable(List.of(), List.of()));
    }

    static Map<String, Object> response(long rows) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("_message", "OK");
        response.put("code", "OK");
        response.put("rows_affected", rows);
        return response;
    }

    @Override
    public String toString() {
        return "<" + type + " adapter>";
    }
}
