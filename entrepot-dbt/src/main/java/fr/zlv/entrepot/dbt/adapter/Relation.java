package fr.zlv.entrepot.dbt.adapter;

import com.hubspot.jinjava.objects.serialization.PyishSerializable;
import java.util.Objects;

/**
 * A table or view of the warehouse as Jinja sees it ({@code this}, {@code ref('x')}): it renders as its
 * quoted name, and has dbt's attributes ({@code database}, {@code schema}, {@code identifier}, {@code name},
 * {@code type}, {@code is_table}, {@code is_view}).
 */
public final class Relation implements PyishSerializable {

    private final String database;
    private final String schema;
    private final String identifier;
    private final String type;

    public Relation(String database, String schema, String identifier, String type) {
        this.database = database;
        this.schema = schema;
        this.identifier = identifier;
        this.type = type;
    }

    public static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    public String getDatabase() {
        return database;
    }

    public String getSchema() {
        return schema;
    }

    public String getIdentifier() {
        return identifier;
    }

    public String getName() {
        return identifier;
    }

    public String getTable() {
        return identifier;
    }

    /** table, view, cte or external; null when not known. */
    public String getType() {
        return type;
    }

    public boolean isTable() {
        return "table".equals(type);
    }

    public boolean isView() {
        return "view".equals(type);
    }

    public boolean getIs_table() {
        return isTable();
    }

    public boolean getIs_view() {
        return isView();
    }

    public Relation withType(String newType) {
        return new Relation(database, schema, identifier, newType);
    }

    public Relation withIdentifier(String newIdentifier) {
        return new Relation(database, schema, newIdentifier, type);
    }

    /** Quoted and dotted: "database"."schema"."identifier" (database left out when null). */
    public String render() {
        if ("cte".equals(type)) {
            return identifier;
        }
        StringBuilder out = new StringBuilder();
        if (database != null) {
            out.append(quote(database)).append('.');
        }
        if (schema != null) {
            out.append(quote(schema)).append('.');
        }
        return out.append(quote(identifier)).toString();
    }

    /** Schema and identifier only: for statements that cannot name a database (ALTER ... RENAME TO). */
    public String renderWithoutDatabase() {
        return schema == null ? quote(identifier) : quote(schema) + "." + quote(identifier);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Relation relation && Objects.equals(database, relation.database)
                && Objects.equals(schema, relation.schema) && Objects.equals(identifier, relation.identifier);
    }

    @Override
    public int hashCode() {
        return Objects.hash(database, schema, identifier);
    }

    @Override
    public String toString() {
        return render();
    }

    /** Jinja prints the relation as its SQL name, as dbt does. */
    @Override
    @SuppressWarnings("unchecked")
    public <T extends Appendable & CharSequence> T appendPyishString(T appendable) throws java.io.IOException {
        return (T) appendable.append(toString());
    }
}
