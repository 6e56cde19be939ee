package fr.zlv.entrepot.orchestrator.privacy;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.dbt.graph.Manifest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The privacy check of the marts: reads the dbt project's classification ({@link Classification}) and the
 * warehouse's catalog (DuckDB's information_schema), and finds, for each column of each table of a schema:
 * <ol>
 *   <li>{@code direct}: the column is classified {@code pii: direct} in the mart's YAML, or a column of the same name
 *       is classified direct upstream of the mart (it is taken to be selected unchanged), unless the mart says the
 *       column is {@code pseudonymised: true} and its values are all pseudonyms;</li>
 *   <li>{@code indirect-in-public}: the mart is {@code meta: {public: true}} and the column is {@code pii: indirect};</li>
 *   <li>{@code unclassified}: the column has no {@code pii} classification (unknown is not allowed in marts);</li>
 *   <li>{@code personal-values}: a sample of its text values looks like e-mail addresses, French phone numbers or
 *       people's names ({@link ValueDetector}), pseudonyms (64 hexadecimal digits) excepted.</li>
 * </ol>
 * Findings name {@code schema.table.column} and why, never the values themselves.
 */
public final class PrivacyCheck {

    /** The schema checked unless told otherwise. */
    public static final String DEFAULT_SCHEMA = "marts";
    /**
     * Non-null values read per text column (a reservoir sample, the same rows from one run to the next): enough for
     * the share below to be within a point of the whole column's, and a fraction of a second per column.
     */
    public static final int SAMPLE_SIZE = 10_000;
    /**
     * The share of sampled values that must look personal for a column to be flagged: a column of e-mails or names
     * is mostly such values (empty or badly typed ones aside), whereas a label column may hold a few by chance (a
     * street or a body named after someone, a contact address in a comment). 20% sits well between the two.
     */
    public static final double FLAG_SHARE = 0.20;

    /** What the check of a schema found. */
    public record Report(String schema, String project, int tables, int columns, List<Finding> findings) {

        public Report {
            findings = List.copyOf(findings);
        }

        public boolean passed() {
            return findings.isEmpty();
        }
    }

    private final Classification classification;
    private final ValueDetector detector;

    public PrivacyCheck(Classification classification, ValueDetector detector) {
        this.classification = classification;
        this.detector = detector;
    }

    /** The check of a parsed dbt project, with the built-in first names. */
    public static PrivacyCheck of(Manifest manifest) {
        return new PrivacyCheck(Classification.of(manifest), ValueDetector.withBuiltInNames());
    }

    public Classification classification() {
        return classification;
    }

    /** Every table and view of a schema; a schema that is not there is an error (bad input). */
    public Report check(Connection connection, String schema) throws SQLException {
        List<String> tables = new ArrayList<>();
        boolean schemaExists;
        try (PreparedStatement statement = connection.prepareStatement(
                "select count(*) from information_schema.schemata where catalog_name = current_database()"
                        + " and lower(schema_name) = lower(?)")) {
            statement.setString(1, schema);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                schemaExists = rows.getLong(1) > 0;
            }
        }
        if (!schemaExists) {
            throw EntrepotException.badInput("There is no schema " + schema + " in the warehouse to check.",
                    "Build the marts first (`entrepot dbt build`), or name the schema with --schema.");
        }
        try (PreparedStatement statement = connection.prepareStatement("select table_name from information_schema.tables"
                + " where table_catalog = current_database() and lower(table_schema) = lower(?) order by table_name")) {
            statement.setString(1, schema);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
        }
        List<Finding> findings = new ArrayList<>();
        int columns = 0;
        for (String table : tables) {
            List<CatalogColumn> catalog = columns(connection, schema, table);
            columns += catalog.size();
            findings.addAll(check(connection, schema, table, catalog));
        }
        return new Report(schema, classification.projectName(), tables.size(), columns, findings);
    }

    /** One table (the asset check of one mart). A table that is not there has no findings. */
    public List<Finding> checkTable(Connection connection, String schema, String table) throws SQLException {
        return check(connection, schema, table, columns(connection, schema, table));
    }

    private record CatalogColumn(String name, String dataType) {
    }

    private static List<CatalogColumn> columns(Connection connection, String schema, String table) throws SQLException {
        List<CatalogColumn> columns = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("select column_name, data_type, udt_name from"
                + " information_schema.columns where table_catalog = current_database() and lower(table_schema) = lower(?)"
                + " and lower(table_name) = lower(?) order by ordinal_position")) {
            statement.setString(1, schema);
            statement.setString(2, table);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    columns.add(new CatalogColumn(rows.getString(1), duckTypeName(rows.getString(2), rows.getString(3))));
                }
            }
        }
        return columns;
    }

    /**
     * The column's type named as DuckDB names it: a PostgreSQL warehouse says {@code character varying}, {@code text}
     * and {@code ARRAY} (element type in {@code udt_name}, e.g. {@code _text}) where DuckDB says {@code VARCHAR} and
     * {@code VARCHAR[]}.
     */
    static String duckTypeName(String dataType, String udtName) {
        String type = dataType.toUpperCase(Locale.ROOT);
        return switch (type) {
            case "CHARACTER VARYING", "CHARACTER", "TEXT" -> "VARCHAR";
            case "ARRAY" -> udtName != null && (udtName.equals("_text") || udtName.equals("_varchar")
                    || udtName.equals("_bpchar")) ? "VARCHAR[]" : "ARRAY";
            default -> type;
        };
    }

    private static boolean isPostgres(Connection connection) throws SQLException {
        return connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
    }

    private List<Finding> check(Connection connection, String schema, String table, List<CatalogColumn> catalog)
            throws SQLException {
        String qualified = schema + "." + table;
        Classification.Model model = classification.model(schema, table);
        List<Finding> findings = new ArrayList<>();
        for (CatalogColumn column : catalog) {
            Classification.Column declared = model == null ? null : model.column(column.name());
            if (model == null) {
                findings.add(new Finding(qualified, column.name(), Finding.Rule.UNCLASSIFIED, "the table is no model"
                        + " of the dbt project " + classification.projectName() + ", so none of its columns is classified"));
            } else if (declared == null) {
                findings.add(new Finding(qualified, column.name(), Finding.Rule.UNCLASSIFIED, "the column is not"
                        + " declared in " + model.file() + " (model " + model.name() + ")"));
            } else if (declared.level() == null) {
                findings.add(new Finding(qualified, column.name(), Finding.Rule.UNCLASSIFIED, declared.pii() == null
                        ? "the column has no meta pii in " + model.file()
                        : "meta pii is '" + declared.pii() + "' in " + model.file() + ", not direct, indirect or none"));
            }
            Sample sample = isText(column.dataType()) ? sample(connection, schema, table, column) : null;
            if (declared != null && declared.level() == Classification.Level.DIRECT) {
                findings.add(new Finding(qualified, column.name(), Finding.Rule.DIRECT,
                        "the column is classified pii: direct in " + model.file()));
            } else if (model != null && model.directUpstream().containsKey(column.name().toLowerCase(Locale.ROOT))) {
                String origin = model.directUpstream().get(column.name().toLowerCase(Locale.ROOT));
                if (declared == null || !declared.pseudonymised()) {
                    findings.add(new Finding(qualified, column.name(), Finding.Rule.DIRECT, "a column of that name is"
                            + " classified pii: direct in " + origin + ", upstream of this mart"));
                } else if (sample == null || sample.notPseudonyms() > 0) {
                    findings.add(new Finding(qualified, column.name(), Finding.Rule.DIRECT, "a column of that name is"
                            + " classified pii: direct in " + origin + "; the mart says it is pseudonymised, but "
                            + (sample == null ? "it is no text column of pseudonyms"
                            : sample.notPseudonyms() + " of " + sample.size() + " sampled values are not pseudonyms"
                            + " (64 hexadecimal digits)")));
                }
            }
            if (declared != null && declared.level() == Classification.Level.INDIRECT && model.isPublic()) {
                findings.add(new Finding(qualified, column.name(), Finding.Rule.INDIRECT_IN_PUBLIC, "the column is"
                        + " classified pii: indirect and the mart is public (meta: {public: true})"));
            }
            if (sample != null && sample.personal() > 0 && sample.personal() >= FLAG_SHARE * sample.size()) {
                findings.add(new Finding(qualified, column.name(), Finding.Rule.PERSONAL_VALUES, sample.describe()));
            }
        }
        return findings;
    }

    /** VARCHAR and lists of VARCHAR (a list of owners' names is as personal as one). */
    private static boolean isText(String dataType) {
        return dataType.equals("VARCHAR") || dataType.startsWith("VARCHAR(") || dataType.equals("VARCHAR[]")
                || dataType.equals("TEXT");
    }

    /** What a sample of a column's non-null values looks like. */
    private record Sample(int size, int personal, int notPseudonyms, Map<ValueDetector.Kind, Integer> kinds) {

        String describe() {
            String what = kinds.entrySet().stream().filter(entry -> entry.getValue() > 0)
                    .map(entry -> String.format(Locale.ROOT, "%,d %s", entry.getValue(), entry.getKey().plural()))
                    .collect(Collectors.joining(", "));
            return String.format(Locale.ROOT, "%,d of %,d sampled values (%.0f%%) look like personal data: %s"
                    + " (flagged from %.0f%%)", personal, size, 100.0 * personal / size, what, 100 * FLAG_SHARE);
        }
    }

    private Sample sample(Connection connection, String schema, String table, CatalogColumn column)
            throws SQLException {
        // Fully qualified: a file named like its schema (bi.duckdb with schema bi) makes "bi" ambiguous.
        String from;
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("select current_database()")) {
            rows.next();
            from = quote(rows.getString(1)) + "." + quote(schema) + "." + quote(table);
        }
        String sql;
        if (isPostgres(connection)) {
            // PostgreSQL samples a table, not a query: Bernoulli over enough rows (from the planner's estimate) to
            // give the sample size, the same rows each time.
            // A view cannot be sampled: its first values are read.
            double estimate = -1;
            boolean isTable = false;
            try (PreparedStatement statement = connection.prepareStatement(
                    "select c.reltuples, c.relkind in ('r', 'm', 'p') from pg_class c join pg_namespace n"
                            + " on n.oid = c.relnamespace where n.nspname = ? and c.relname = ?")) {
                statement.setString(1, schema);
                statement.setString(2, table);
                try (ResultSet rows = statement.executeQuery()) {
                    if (rows.next()) {
                        estimate = rows.getDouble(1);
                        isTable = rows.getBoolean(2);
                    }
                }
            }
            double percent = estimate <= 0 ? 100 : Math.min(100, 400.0 * SAMPLE_SIZE / estimate);
            String sampled = !isTable || percent >= 100 ? from : from + " tablesample bernoulli ("
                    + String.format(Locale.ROOT, "%.6f", percent) + ") repeatable (7)";
            String values = column.dataType().endsWith("[]")
                    ? "select unnest(" + quote(column.name()) + ") as v from " + sampled
                    : "select " + quote(column.name()) + " as v from " + sampled;
            sql = "select cast(v as text) from (" + values + ") sampled where v is not null limit " + SAMPLE_SIZE;
        } else {
            String values = column.dataType().endsWith("[]")
                    ? "select v from (select unnest(" + quote(column.name()) + ") as v from " + from + ") where v is not null"
                    : "select " + quote(column.name()) + " as v from " + from + " where " + quote(column.name()) + " is not null";
            sql = "select cast(v as varchar) from (" + values + ") using sample reservoir(" + SAMPLE_SIZE
                    + " rows) repeatable (7)";
        }
        int size = 0;
        int personal = 0;
        int notPseudonyms = 0;
        Map<ValueDetector.Kind, Integer> kinds = new EnumMap<>(ValueDetector.Kind.class);
        for (ValueDetector.Kind kind : ValueDetector.Kind.values()) {
            kinds.put(kind, 0);
        }
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                String value = rows.getString(1);
                size++;
                if (!ValueDetector.PSEUDONYM.matcher(value.strip()).matches()) {
                    notPseudonyms++;
                }
                ValueDetector.Kind kind = detector.detect(value);
                if (kind != null) {
                    personal++;
                    kinds.merge(kind, 1, Integer::sum);
                }
            }
        }
        return new Sample(size, personal, notPseudonyms, kinds);
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
