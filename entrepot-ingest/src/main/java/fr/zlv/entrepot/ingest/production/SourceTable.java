package fr.zlv.entrepot.ingest.production;

import fr.zlv.entrepot.core.settings.ProductionTable;
import java.util.List;

/**
 * A production table as the sync found it: its columns (excluded ones already left out), how they map
 * to DuckDB, and the slices it will be read in.
 *
 * @param config        the settings entry
 * @param qualifiedName {@code schema.table} in PostgreSQL
 * @param mappings      one per column copied, in table order
 * @param slices        what to read: one per partition, more for large tables
 * @param bytesOnDisk   the table's size in PostgreSQL
 * @param estimatedRows PostgreSQL's estimate (0 when the table was never analysed)
 * @param warnings      things to tell the user, e.g. an excluded column that does not exist
 */
public record SourceTable(ProductionTable config, String qualifiedName, List<ColumnMapping> mappings,
                          List<Slice> slices, long bytesOnDisk, long estimatedRows, List<String> warnings) {

    /** Part of a table read by one COPY: a relation (the table or one of its partitions), maybe a page range. */
    public record Slice(String relation, boolean only, long firstPage, long endPage) {

        /** The slice covers whole relations; {@code endPage} -1 means "to the end". */
        public static Slice whole(String relation, boolean only) {
            return new Slice(relation, only, -1, -1);
        }

        public String fromClause() {
            StringBuilder from = new StringBuilder(only ? "ONLY " : "").append(relation);
            if (firstPage >= 0) {
                from.append(" WHERE ctid >= '(").append(firstPage).append(",0)'::tid");
                if (endPage >= 0) {
                    from.append(" AND ctid < '(").append(endPage).append(",0)'::tid");
                }
            }
            return from.toString();
        }
    }

    public String name() {
        return config.name();
    }

    /** The COPY statement that reads one slice as CSV, each column converted for DuckDB's CSV reader. */
    public String copySql(Slice slice) {
        return copySql(slice, mappings.stream().map(ColumnMapping::sourceSelect).toList());
    }

    /** The COPY statement that reads one slice as CSV for a PostgreSQL warehouse's COPY FROM (FORMAT csv). */
    public String postgresCopySql(Slice slice) {
        return copySql(slice, mappings.stream().map(ColumnMapping::postgresSelect).toList());
    }

    private static String copySql(Slice slice, List<String> expressions) {
        return "COPY (SELECT " + String.join(", ", expressions) + " FROM " + slice.fromClause()
                + ") TO STDOUT (FORMAT csv)";
    }
}
