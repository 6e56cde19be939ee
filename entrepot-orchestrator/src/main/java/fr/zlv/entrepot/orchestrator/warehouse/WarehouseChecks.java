package fr.zlv.entrepot.orchestrator.warehouse;

import fr.zlv.entrepot.core.warehouse.Warehouse;
import fr.zlv.entrepot.orchestrator.asset.AssetKey;
import fr.zlv.entrepot.orchestrator.asset.AssetSpec;
import fr.zlv.entrepot.orchestrator.asset.CheckSpec;
import fr.zlv.entrepot.orchestrator.privacy.Finding;
import fr.zlv.entrepot.orchestrator.privacy.PrivacyCheck;
import fr.zlv.entrepot.orchestrator.run.CheckEvaluator;
import fr.zlv.entrepot.orchestrator.run.CheckOutcome;
import fr.zlv.entrepot.orchestrator.store.MaterializationRecord;
import fr.zlv.entrepot.orchestrator.store.RunStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The checks the orchestrator runs on warehouse tables (an asset {@code schema/table}): the table exists, its newest
 * timestamp or its last materialization is recent enough, its row count is within bounds or close to the previous
 * materialization's, its columns are the expected ones; a mart carries no personal data ({@link PrivacyCheck}).
 */
public final class WarehouseChecks implements CheckEvaluator {

    private final Supplier<Warehouse> warehouse;
    private final Clock clock;
    /** The dbt project's privacy check, for the PRIVACY checks of marts (null: no dbt project, none to run). */
    private final PrivacyCheck privacy;

    /** @param warehouse opens the warehouse for a check (closed after it) */
    public WarehouseChecks(Supplier<Warehouse> warehouse, Clock clock) {
        this(warehouse, clock, null);
    }

    /** @param privacy the dbt project's privacy check (classification and value rules), or null */
    public WarehouseChecks(Supplier<Warehouse> warehouse, Clock clock, PrivacyCheck privacy) {
        this.warehouse = warehouse;
        this.clock = clock;
        this.privacy = privacy;
    }

    @Override
    public CheckOutcome evaluate(AssetSpec asset, CheckSpec check, RunStore store, String runId) {
        try (Warehouse open = warehouse.get(); Connection connection = open.connect()) {
            String[] table = table(asset.key());
            boolean exists = exists(connection, table);
            if (check.kind() == CheckSpec.Kind.EXISTS || !exists) {
                return outcome(check, exists, exists ? "the table is there" : "table " + table[0] + "." + table[1]
                        + " does not exist in the warehouse");
            }
            return switch (check.kind()) {
                case FRESHNESS -> freshness(connection, table, asset.key(), check, store);
                case ROW_COUNT -> rowCount(connection, table, asset.key(), check, store, runId);
                case SCHEMA -> schema(connection, table, check);
                case PRIVACY -> privacy(connection, table, check);
                default -> outcome(check, true, "evaluated by its step");
            };
        } catch (SQLException e) {
            return outcome(check, false, "the query failed: " + e.getMessage());
        }
    }

    /** {@code schema/table}, or {@code schema/more/table} read as schema and last part. */
    private static String[] table(AssetKey key) {
        return new String[] {key.prefix(), key.name()};
    }

    private static boolean exists(Connection connection, String[] table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "select count(*) from information_schema.tables where table_schema = ? and table_name = ?")) {
            statement.setString(1, table[0]);
            statement.setString(2, table[1]);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1) > 0;
            }
        }
    }

    private CheckOutcome freshness(Connection connection, String[] table, AssetKey key, CheckSpec check,
                                   RunStore store) throws SQLException {
        Duration maxAge = (Duration) check.arguments().get("max_age");
        Object column = check.arguments().get("column");
        Instant newest;
        String what;
        if (column != null) {
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("select max(cast(" + quote(column.toString())
                         + " as timestamp)) from " + quote(table[0]) + "." + quote(table[1]))) {
                rows.next();
                Timestamp max = rows.getTimestamp(1);
                newest = max == null ? null : max.toInstant();
            }
            what = "newest " + column;
        } else {
            newest = store.materializations(key, 1).stream().map(MaterializationRecord::time).findFirst().orElse(null);
            what = "last materialization";
        }
        if (newest == null) {
            return outcome(check, false, what + ": none");
        }
        Duration age = Duration.between(newest, clock.instant());
        boolean fresh = age.compareTo(maxAge) <= 0;
        return outcome(check, fresh, what + " is " + days(age) + " old (at most " + days(maxAge) + ")");
    }

    private CheckOutcome rowCount(Connection connection, String[] table, AssetKey key, CheckSpec check,
                                  RunStore store, String runId) throws SQLException {
        long count;
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("select count(*) from " + quote(table[0]) + "." + quote(table[1]))) {
            rows.next();
            count = rows.getLong(1);
        }
        List<String> problems = new ArrayList<>();
        Map<String, Object> arguments = check.arguments();
        if (arguments.containsKey("min") && count < ((Number) arguments.get("min")).doubleValue()) {
            problems.add("below the minimum " + format(arguments.get("min")));
        }
        if (arguments.containsKey("max") && count > ((Number) arguments.get("max")).doubleValue()) {
            problems.add("above the maximum " + format(arguments.get("max")));
        }
        String comparison = "";
        if (arguments.containsKey("max_change_percent")) {
            Long previous = store.materializations(key, 10).stream()
                    .filter(m -> !m.runId().equals(runId) && m.rows() != null).map(MaterializationRecord::rows)
                    .findFirst().orElse(null);
            if (previous != null) {
                double change = previous == 0 ? (count == 0 ? 0 : 100) : 100.0 * Math.abs(count - previous) / previous;
                comparison = String.format(Locale.ROOT, ", %+.1f%% from %d", previous == 0 ? change
                        : 100.0 * (count - previous) / previous, previous);
                double limit = ((Number) arguments.get("max_change_percent")).doubleValue();
                if (change > limit) {
                    problems.add("changed more than " + format(limit) + "%");
                }
            }
        }
        return outcome(check, problems.isEmpty(), count + " rows" + comparison
                + (problems.isEmpty() ? "" : ": " + String.join(", ", problems)));
    }

    @SuppressWarnings("unchecked")
    private CheckOutcome schema(Connection connection, String[] table, CheckSpec check) throws SQLException {
        Map<String, String> expected = (Map<String, String>) check.arguments().get("columns");
        boolean allowExtra = Boolean.TRUE.equals(check.arguments().get("allow_extra"));
        Map<String, String> actual = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("select column_name, data_type from"
                + " information_schema.columns where table_schema = ? and table_name = ? order by ordinal_position")) {
            statement.setString(1, table[0]);
            statement.setString(2, table[1]);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    actual.put(rows.getString(1).toLowerCase(Locale.ROOT), rows.getString(2).toUpperCase(Locale.ROOT));
                }
            }
        }
        List<String> problems = new ArrayList<>();
        expected.forEach((column, type) -> {
            String found = actual.get(column);
            if (found == null) {
                problems.add("missing column " + column);
            } else if (!found.equals(type) && !found.startsWith(type + "(")) {
                problems.add(column + " is " + found + ", expected " + type);
            }
        });
        if (!allowExtra) {
            actual.keySet().stream().filter(column -> !expected.containsKey(column))
                    .forEach(column -> problems.add("unexpected column " + column));
        }
        return outcome(check, problems.isEmpty(), problems.isEmpty() ? actual.size() + " columns as expected"
                : String.join("; ", problems));
    }

    /** The privacy rules on one mart: passes with no finding; the message names each column and why. */
    private CheckOutcome privacy(Connection connection, String[] table, CheckSpec check) throws SQLException {
        if (privacy == null) {
            return outcome(check, false, "no dbt project classification to check the table against");
        }
        List<Finding> findings = privacy.checkTable(connection, table[0], table[1]);
        if (findings.isEmpty()) {
            return outcome(check, true, "no personal data found");
        }
        // Unclassified columns are listed by name only (a new mart can have dozens); the others with their reason.
        List<String> parts = new ArrayList<>();
        List<String> unclassified = findings.stream().filter(f -> f.rule() == Finding.Rule.UNCLASSIFIED)
                .map(Finding::column).toList();
        if (!unclassified.isEmpty()) {
            parts.add("unclassified (no meta pii): " + String.join(", ", unclassified));
        }
        findings.stream().filter(f -> f.rule() != Finding.Rule.UNCLASSIFIED)
                .forEach(f -> parts.add(f.column() + " (" + f.rule().code() + "): " + f.detail()));
        return outcome(check, false, findings.size() + " problem(s) in " + table[0] + "." + table[1] + ": "
                + String.join("; ", parts));
    }

    private static CheckOutcome outcome(CheckSpec check, boolean passed, String message) {
        return new CheckOutcome(check.name(), passed, check.blocking(), message);
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private static String format(Object number) {
        double value = ((Number) number).doubleValue();
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    private static String days(Duration duration) {
        long hours = duration.toHours();
        return hours >= 48 ? hours / 24 + " days" : hours >= 1 ? hours + " h" : duration.toMinutes() + " min";
    }

}
