package fr.zlv.entrepot.ingest.production;

import java.util.List;

/**
 * A column of a production table as PostgreSQL's catalog describes it.
 *
 * @param name        column name
 * @param type        the base type's name ({@code int4}, {@code varchar}, {@code _text} for text[]); a domain
 *                    is described by the type under it
 * @param typeKind    {@code pg_type.typtype}: b base, e enum, d domain, c composite, r range
 * @param category    {@code pg_type.typcategory}: A array, N numeric, S string, ...
 * @param elementType for an array, its element's type name
 * @param elementKind for an array, its element's {@code typtype}
 * @param precision   numeric precision, or -1 when unconstrained
 * @param scale       numeric scale, or -1
 * @param enumLabels  the labels of an enum (or of an enum array's element), in order
 * @param declared    the type as written in the table's definition ({@code character varying(5)})
 * @param postgresType the column's type in a PostgreSQL warehouse: PostgreSQL's own type as {@code format_type}
 *                    writes it ({@code timestamp with time zone}, {@code integer[]}; a domain's base type), or
 *                    {@code text} / {@code text[]} for types the warehouse may not have (enums, extensions' types)
 */
public record PgColumn(String name, String type, char typeKind, char category, String elementType,
                       char elementKind, int precision, int scale, List<String> enumLabels, String declared,
                       String postgresType) {

    public PgColumn {
        enumLabels = enumLabels == null ? List.of() : List.copyOf(enumLabels);
    }

    public boolean isArray() {
        return category == 'A' && elementType != null;
    }
}
