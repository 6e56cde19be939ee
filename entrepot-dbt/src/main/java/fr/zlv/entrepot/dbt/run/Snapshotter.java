package fr.zlv.entrepot.dbt.run;

import fr.zlv.entrepot.dbt.DbtException;
import fr.zlv.entrepot.dbt.adapter.Adapter;
import fr.zlv.entrepot.dbt.adapter.Column;
import fr.zlv.entrepot.dbt.adapter.Relation;
import fr.zlv.entrepot.dbt.graph.Node;
import fr.zlv.entrepot.dbt.project.NodeConfig;
import fr.zlv.entrepot.dbt.project.Yaml;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * dbt snapshots: a table keeping every version of each row of a query (type-2 slowly changing dimension).
 *
 * <p>Each row carries {@code dbt_scd_id}, {@code dbt_updated_at}, {@code dbt_valid_from} and {@code dbt_valid_to}
 * (empty while the version is current; names configurable with {@code snapshot_meta_column_names}). A version ends
 * when the row changed: its {@code updated_at} moved on ({@code strategy: timestamp}) or one of {@code check_cols}
 * differs ({@code strategy: check}). A row gone from the query is left as it is ({@code hard_deletes: ignore}),
 * closed ({@code invalidate}, or the older {@code invalidate_hard_deletes: true}), or closed and followed by a
 * deletion record with {@code dbt_is_deleted} true ({@code new_record}). All changes of a run go in one transaction.
 */
final class Snapshotter {

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")
            .withZone(ZoneOffset.UTC);

    private final Adapter adapter;

    Snapshotter(Adapter adapter) {
        this.adapter = adapter;
    }

    /** The meta columns' names, dbt's unless the node renames them. */
    private record MetaColumns(String scdId, String updatedAt, String validFrom, String validTo, String isDeleted) {

        static MetaColumns of(NodeConfig config) {
            Map<String, Object> names = Yaml.map(config.get("snapshot_meta_column_names"));
            return new MetaColumns(Yaml.string(names.get("dbt_scd_id"), "dbt_scd_id"),
                    Yaml.string(names.get("dbt_updated_at"), "dbt_updated_at"),
                    Yaml.string(names.get("dbt_valid_from"), "dbt_valid_from"),
                    Yaml.string(names.get("dbt_valid_to"), "dbt_valid_to"),
                    Yaml.string(names.get("dbt_is_deleted"), "dbt_is_deleted"));
        }

        List<String> all() {
            return List.of(scdId, updatedAt, validFrom, validTo, isDeleted);
        }
    }

    Materializer.Outcome snapshot(Node node, Relation target, Relation existing, String sql, List<String> statements) {
        NodeConfig config = node.config();
        String strategy = config.string("strategy", "").toLowerCase(Locale.ROOT);
        List<String> keys = config.uniqueKey();
        if (keys.isEmpty() || !List.of("timestamp", "check").contains(strategy)) {
            throw DbtException.project(Compiler.where(node) + ": a snapshot needs unique_key and strategy"
                    + " (timestamp with updated_at, or check with check_cols).", null);
        }
        String updatedAtField = config.string("updated_at", null);
        if (strategy.equals("timestamp") && updatedAtField == null) {
            throw DbtException.project(Compiler.where(node) + ": strategy timestamp needs updated_at.", null);
        }
        String hardDeletes = config.string("hard_deletes",
                config.bool("invalidate_hard_deletes", false) ? "invalidate" : "ignore").toLowerCase(Locale.ROOT);
        MetaColumns meta = MetaColumns.of(config);
        String now = "timestamp '" + TIMESTAMP.format(Instant.now()) + "'";
        String currentValue = config.string("dbt_valid_to_current", null);
        String validToCurrent = currentValue == null ? "null" : currentValue;
        Relation staging = target.withIdentifier(target.getIdentifier() + "__dbt_tmp");
        String key = String.join(", ", keys.stream().map(Relation::quote).toList());
        String scdId = "md5(" + keys.stream().map(k -> "coalesce(cast(" + Relation.quote(k) + " as varchar), '')")
                .collect(Collectors.joining(" || '|' || ")) + " || '|' || cast(%s as varchar))";
        String versionTime = strategy.equals("timestamp") ? Relation.quote(updatedAtField) : now;
        boolean deletionRecords = hardDeletes.equals("new_record");

        if (existing == null) {
            String create = "create table " + target + " as\nselect source.*,\n    "
                    + scdId.formatted(versionTime) + " as " + Relation.quote(meta.scdId()) + ",\n    "
                    + versionTime + " as " + Relation.quote(meta.updatedAt()) + ",\n    "
                    + versionTime + " as " + Relation.quote(meta.validFrom()) + ",\n    "
                    + "cast(" + validToCurrent + " as timestamp) as " + Relation.quote(meta.validTo())
                    + (deletionRecords ? ",\n    false as " + Relation.quote(meta.isDeleted()) : "")
                    + "\nfrom (\n" + sql + "\n) as source";
            statements.add(create);
            adapter.execute(create);
            long rows = count(target);
            return new Materializer.Outcome("SNAPSHOT " + rows, rows, statements);
        }

        adapter.createTableAs(staging, sql, statements);
        try {
            List<String> sourceColumns = adapter.columns(staging).stream().map(Column::getName).toList();
            Set<String> targetColumns = adapter.columns(existing).stream()
                    .map(column -> column.getName().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
            List<String> work = new ArrayList<>();
            for (Column column : adapter.columns(staging)) {
                if (!targetColumns.contains(column.getName().toLowerCase(Locale.ROOT))) {
                    work.add("alter table " + target + " add column " + Relation.quote(column.getName()) + " "
                            + column.getData_type());
                }
            }
            if (deletionRecords && !targetColumns.contains(meta.isDeleted().toLowerCase(Locale.ROOT))) {
                work.add("alter table " + target + " add column " + Relation.quote(meta.isDeleted()) + " boolean default false");
            }
            String isCurrent = "target." + Relation.quote(meta.validTo()) + (currentValue == null ? " is null"
                    : " = " + currentValue);
            String sameKey = keys.stream().map(k -> "target." + Relation.quote(k) + " = source." + Relation.quote(k))
                    .collect(Collectors.joining(" and "));
            String notDeleted = deletionRecords ? " and not coalesce(target." + Relation.quote(meta.isDeleted())
                    + ", false)" : "";
            String changed = strategy.equals("timestamp")
                    ? "source." + Relation.quote(updatedAtField) + " > target." + Relation.quote(meta.updatedAt())
                    : checkColumns(config, sourceColumns, keys).stream()
                    .map(column -> "source." + Relation.quote(column) + " is distinct from target." + Relation.quote(column))
                    .collect(Collectors.joining(" or "));
            String closeAt = strategy.equals("timestamp") ? "source." + Relation.quote(updatedAtField) : now;

            // 1. Close the current version of rows that changed (or that come back after a deletion record).
            work.add("update " + target + " as target set " + Relation.quote(meta.validTo()) + " = " + closeAt
                    + "\nfrom " + staging + " as source\nwhere " + sameKey + " and " + isCurrent + " and ("
                    + (changed.isBlank() ? "false" : changed)
                    + (deletionRecords ? " or coalesce(target." + Relation.quote(meta.isDeleted()) + ", false)" : "")
                    + ")");
            // 2. Rows gone from the query.
            if (!hardDeletes.equals("ignore")) {
                String gone = "not exists (select 1 from " + staging + " as source where " + sameKey + ")";
                if (deletionRecords) {
                    String columns = sourceColumns.stream().map(Relation::quote).collect(Collectors.joining(", "));
                    String fromTarget = sourceColumns.stream().map(column -> "target." + Relation.quote(column))
                            .collect(Collectors.joining(", "));
                    work.add("insert into " + target + " (" + columns + ", " + Relation.quote(meta.scdId()) + ", "
                            + Relation.quote(meta.updatedAt()) + ", " + Relation.quote(meta.validFrom()) + ", "
                            + Relation.quote(meta.validTo()) + ", " + Relation.quote(meta.isDeleted()) + ")\nselect "
                            + fromTarget + ", " + scdId.formatted(now).replace("coalesce(cast(", "coalesce(cast(target.")
                            + ", " + now + ", " + now + ", cast(" + validToCurrent + " as timestamp), true\nfrom " + target
                            + " as target\nwhere " + isCurrent + notDeleted + " and " + gone);
                    // The version before the deletion record ends when the deletion is seen.
                    work.add("update " + target + " as target set " + Relation.quote(meta.validTo()) + " = " + now
                            + "\nwhere " + isCurrent + notDeleted + " and " + gone + " and target."
                            + Relation.quote(meta.validFrom()) + " < " + now);
                } else {
                    work.add("update " + target + " as target set " + Relation.quote(meta.validTo()) + " = " + now
                            + "\nwhere " + isCurrent + " and " + gone);
                }
            }
            // 3. New rows, and new versions of changed rows: every key without a current version.
            String columns = sourceColumns.stream().map(Relation::quote).collect(Collectors.joining(", "));
            String fromSource = sourceColumns.stream().map(column -> "source." + Relation.quote(column))
                    .collect(Collectors.joining(", "));
            String versionFromSource = strategy.equals("timestamp") ? "source." + Relation.quote(updatedAtField) : now;
            work.add("insert into " + target + " (" + columns + ", " + Relation.quote(meta.scdId()) + ", "
                    + Relation.quote(meta.updatedAt()) + ", " + Relation.quote(meta.validFrom()) + ", "
                    + Relation.quote(meta.validTo()) + (deletionRecords ? ", " + Relation.quote(meta.isDeleted()) : "")
                    + ")\nselect " + fromSource + ", "
                    + scdId.formatted(versionFromSource).replace("coalesce(cast(", "coalesce(cast(source.") + ", "
                    + versionFromSource + ", " + versionFromSource + ", cast(" + validToCurrent + " as timestamp)"
                    + (deletionRecords ? ", false" : "") + "\nfrom " + staging + " as source\nwhere not exists (select 1 from "
                    + target + " as target where " + sameKey + " and " + isCurrent + ")");
            statements.addAll(work);
            adapter.executeInTransaction(work);
            long rows = count(target);
            return new Materializer.Outcome("SNAPSHOT " + rows, rows, statements);
        } finally {
            adapter.execute("drop table if exists " + staging);
        }
    }

    /** check_cols: 'all' (every column but the key) or a list. */
    private static List<String> checkColumns(NodeConfig config, List<String> sourceColumns, List<String> keys) {
        Object checkCols = config.get("check_cols");
        if (checkCols == null || "all".equals(checkCols)) {
            Set<String> keySet = new LinkedHashSet<>(keys);
            return sourceColumns.stream().filter(column -> !keySet.contains(column)).toList();
        }
        return Yaml.strings(checkCols);
    }

    private long count(Relation relation) {
        Object value = adapter.query("select count(*) from " + relation).first();
        return value instanceof Number number ? number.longValue() : 0;
    }
}
