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

    /** Text types: DuckDB's VARCHAR, PostgreSQL's text, character varying(n), character(n). */
    public boolean is_string() {
        String type = dataType.toUpperCase(Locale.ROOT);
        return type.startsWith("VARCHAR") || type.startsWith("TEXT") || type.startsWith("CHAR") || type.equals("STRING")
                || type.equals("BPCHAR");
    }

    /** Number types of DuckDB and PostgreSQL (not INTERVAL, which starts like INT). */
    public boolean is_number() {
        return is_integer() || is_float() || dataType.toUpperCase(Locale.ROOT).matches("(DECIMAL|NUMERIC)\\b.*");
    }

    public boolean is_integer() {
        return dataType.toUpperCase(Locale.ROOT).matches("(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|UTINYINT"
                + "|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|INT2|INT4|INT8)\\b.*");
    }

    public boolean is_float() {
        return dataType.toUpperCase(Locale.ROOT).matches("(FLOAT|FLOAT4|FLOAT8|REAL|DOUBLE)\\b.*");
    }

    @Override
    public String toString() {
        return name;
    }
}
