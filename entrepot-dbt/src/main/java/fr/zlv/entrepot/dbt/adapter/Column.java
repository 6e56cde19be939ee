package fr.zlv.entrepot.dbt.adapter;

import java.util.Locale;

/** A column of a relation, as {@code adapter.get_columns_in_relation()} gives it to Jinja. */
public final class Column {

    private final String name;
    private final String dataType;

    public Column(String name, String dataType) {
        this.name = name;
        this.dataType = dataType;
    }

    public String getName() {
        return name;
    }

    public String getColumn() {
        return name;
    }

    public String getData_type() {
        return dataType;
    }

    public String getDtype() {
        return dataType;
    }

    public String getQuoted() {
        return Relation.quote(name);
    }

    public boolean is_string() {
        String type = dataType.toUpperCase(Locale.ROOT);
        return type.startsWith("VARCHAR") || type.startsWith("TEXT") || type.startsWith("CHAR") || type.equals("STRING");
    }

    public boolean is_number() {
        String type = dataType.toUpperCase(Locale.ROOT);
        return type.matches("(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|REAL"
                + "|DOUBLE|DECIMAL.*|NUMERIC.*).*");
    }

    public boolean is_integer() {
        return dataType.toUpperCase(Locale.ROOT).matches("(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT).*");
    }

    public boolean is_float() {
        return dataType.toUpperCase(Locale.ROOT).matches("(FLOAT|REAL|DOUBLE).*");
    }

    @Override
    public String toString() {
        return name;
    }
}
