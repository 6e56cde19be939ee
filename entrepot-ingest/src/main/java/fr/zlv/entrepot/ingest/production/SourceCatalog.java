package fr.zlv.entrepot.ingest.production;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.settings.ProductionTable;
import fr.zlv.entrepot.core.warehouse.TableName;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads PostgreSQL's catalog to describe the production tables to copy. */
final class SourceCatalog {

    private static final String COLUMNS = """
            SELECT a.attname,
                   bt.typname, bt.typtype, bt.typcategory,
                   et.typname, et.typtype,
                   format_type(a.atttypid, a.atttypmod),
                   CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END,
                   (SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_enum e
                     WHERE e.enumtypid = CASE WHEN bt.typtype = 'e' THEN bt.oid
                                              WHEN et.typtype = 'e' THEN et.oid END),
                   -- The type in a PostgreSQL warehouse: PostgreSQL's own types as they are, the others
                   -- (enums, extensions' types, composites) as text, their arrays as text[].
                   CASE WHEN bt.typnamespace = 'pg_catalog'::regnamespace
                        THEN format_type(bt.oid, CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END)
                        WHEN bt.typcategory = 'A' THEN 'text[]'
                        ELSE 'text' END
              FROM pg_attribute a
              JOIN pg_type t ON t.oid = a.atttypid
              JOIN pg_type bt ON bt.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
              LEFT JOIN pg_type et ON et.oid = bt.typelem AND bt.typcategory = 'A'
             WHERE a.attrelid = ?::regclass AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY a.attnum
            """;

    /** The relations holding the rows: the table itself, or the leaves of a partitioned table. */
    private static final String RELATIONS = """
            SELECT format('%I.%I', n.nspname, c.relname), c.relkind,
                   pg_relation_size(c.oid) / current_setting('block_size')::int,
                   EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhparent = c.oid) AND c.relkind <> 'p',
                   greatest(c.reltuples, 0)::bigint, pg_total_relation_size(c.oid)
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.oid IN (SELECT relid FROM pg_partition_tree(?::regclass) WHERE isleaf)
                OR (c.oid = ?::regclass AND c.relkind <> 'p')
             ORDER BY 1
            """;

    private final Connection connection;
    private final String database;
    private final boolean tidRangeScans;

    SourceCatalog(Connection connection, String database) throws SQLException {
        this.connection = connection;
        this.database = database;
        // Reading a page range by ctid is a cheap TID range scan from PostgreSQL 14; before, a full scan each time.
        this.tidRangeScans = connection.getMetaData().getDatabaseMajorVersion() >= 14;
    }

    SourceTable describe(String schema, ProductionTable config, long slicePages) throws SQLException {
        String qualified = TableName.quote(schema) + "." + TableName.quote(config.source());
        checkExists(schema, config);
        List<PgColumn> columns = columns(qualified);
        List<String> warnings = new ArrayList<>();
        Set<String> excluded = new HashSet<>(config.excludeColumns());
        for (String name : config.excludeColumns()) {
            if (columns.stream().noneMatch(column -> column.name().equals(name))) {
                warnings.add(config.source() + " has no column '" + name + "' to exclude");
            }
        }
        List<ColumnMapping> mappings = new ArrayList<>();
        for (PgColumn column : columns) {
            if (!excluded.contains(column.name())) {
                mappings.add(ColumnMapping.of(column, "c" + mappings.size()));
            }
        }
        if (mappings.isEmpty()) {
            throw EntrepotException.badInput("Every column of " + schema + "." + config.source()
                    + " is excluded: nothing to copy.", "Fix exclude_columns of production.tables " + config.name() + ".");
        }
        List<SourceTable.Slice> slices = new ArrayList<>();
        long bytes = 0;
        long rows = 0;
        try (PreparedStatement statement = connection.prepareStatement(RELATIONS)) {
            statement.setString(1, qualified);
            statement.setString(2, qualified);
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    String relation = result.getString(1);
                    char kind = result.getString(2).charAt(0);
                    long pages = result.getLong(3);
                    boolean hasChildren = result.getBoolean(4);
                    rows += result.getLong(5);
                    bytes += result.getLong(6);
                    slices.addAll(slice(relation, kind, pages, hasChildren, slicePages));
                }
            }
        }
        return new SourceTable(config, schema + "." + config.source(), mappings, slices, bytes, rows, warnings);
    }

    private List<SourceTable.Slice> slice(String relation, char kind, long pages, boolean hasChildren,
                                          long slicePages) {
        boolean heap = kind == 'r' || kind == 'm';
        if (!heap || hasChildren) {
            // Views, foreign tables and inheritance parents are read whole, children included.
            return List.of(SourceTable.Slice.whole(relation, false));
        }
        if (!tidRangeScans || pages <= slicePages) {
            return List.of(SourceTable.Slice.whole(relation, true));
        }
        List<SourceTable.Slice> slices = new ArrayList<>();
        for (long first = 0; first < pages; first += slicePages) {
            // The last slice is open-ended: pages added since the size was read are not missed.
            long end = first + slicePages >= pages ? -1 : first + slicePages;
            slices.add(new SourceTable.Slice(relation, true, first, end));
        }
        return slices;
    }

    private void checkExists(String schema, ProductionTable config) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT c.oid, has_table_privilege(c.oid, 'SELECT') FROM pg_class c"
                        + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?")) {
            statement.setString(1, schema);
            statement.setString(2, config.source());
            try (ResultSet result = statement.executeQuery()) {
                if (!result.next()) {
                    throw EntrepotException.failed("Table " + schema + "." + config.source() + " (synced as production."
                                    + config.name() + ") does not exist in the production database " + database + ".",
                            "Fix production.tables in the settings, or sync the other tables with --table.", null);
                }
                if (!result.getBoolean(2)) {
                    throw EntrepotException.failed("The production user may not read " + schema + "." + config.source()
                            + " in " + database + ".", "GRANT SELECT ON " + schema + "." + config.source()
                            + " to the read-only user.", null);
                }
            }
        }
    }

    private List<PgColumn> columns(String qualified) throws SQLException {
        List<PgColumn> columns = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(COLUMNS)) {
            statement.setString(1, qualified);
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    int typmod = result.getInt(8);
                    String type = result.getString(2);
                    int precision = -1;
                    int scale = -1;
                    if (type.equals("numeric") && typmod >= 4) {
                        precision = ((typmod - 4) >> 16) & 0xFFFF;
                        scale = (typmod - 4) & 0xFFFF;
                    }
                    Array labels = result.getArray(9);
                    String elementKind = result.getString(6);
                    columns.add(new PgColumn(result.getString(1), type, result.getString(3).charAt(0),
                            result.getString(4).charAt(0), result.getString(5),
                            elementKind == null ? ' ' : elementKind.charAt(0), precision, scale,
                            labels == null ? List.of() : Arrays.asList((String[]) labels.getArray()),
                            result.getString(7), result.getString(10)));
                }
            }
        }
        return columns;
    }
}
