package fr.zlv.entrepot.dbt;

import static org.assertj.core.api.Assertions.assertThat;

import fr.zlv.entrepot.dbt.DbtEngine.Selection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshots over three runs: timestamp and check strategies, hard deletes, renamed meta columns. */
class SnapshotTest {

    @TempDir
    Path project;

    private void write(String path, String text) throws IOException {
        Path file = project.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private DbtEngine load() {
        return DbtEngine.load(DbtEngine.Options.of(project).withEnvironment(Map.of()).withConsole(line -> { }));
    }

    @Test
    void historyAcrossThreeRuns() throws Exception {
        write("dbt_project.yml", "name: history\nprofile: history\n");
        write("profiles.yml", "history:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: h.duckdb\n");
        write("models/sources.yml", "version: 2\nsources:\n  - name: crm\n    tables:\n      - name: customers\n");
        write("snapshots/customers.sql", """
                {% snapshot customers_by_time %}
                {{ config(target_schema='snapshots', unique_key='id', strategy='timestamp', updated_at='updated_at',
                          hard_deletes='new_record') }}
                select * from {{ source('crm', 'customers') }}
                {% endsnapshot %}

                {% snapshot customers_by_status %}
                {{ config(target_schema='snapshots', unique_key='id', strategy='check', check_cols=['status'],
                          invalidate_hard_deletes=True,
                          snapshot_meta_column_names={'dbt_valid_from': 'valid_from', 'dbt_valid_to': 'valid_to'}) }}
                select id, name, status from {{ source('crm', 'customers') }}
                {% endsnapshot %}
                """);
        try (DbtEngine dbt = load()) {
            dbt.adapter().execute("create schema crm");
            dbt.adapter().execute("create table crm.customers as select * from (values"
                    + " (1, 'Ana', 'active', timestamp '2024-01-01 10:00:00'),"
                    + " (2, 'Bob', 'active', timestamp '2024-01-01 10:00:00')) as t(id, name, status, updated_at)");
            assertThat(dbt.snapshot(Selection.ALL).succeeded()).isTrue();

            dbt.adapter().execute("update crm.customers set status = 'inactive', updated_at = timestamp"
                    + " '2024-02-01 10:00:00' where id = 1");
            dbt.adapter().execute("insert into crm.customers values (3, 'Cid', 'active', timestamp '2024-02-01 11:00:00')");
            assertThat(dbt.snapshot(Selection.ALL).succeeded()).isTrue();

            dbt.adapter().execute("delete from crm.customers where id = 2");
            dbt.adapter().execute("update crm.customers set name = 'Anna', updated_at = timestamp '2024-03-01 10:00:00'"
                    + " where id = 1");
            DbtEngine.CommandResult third = dbt.snapshot(Selection.ALL);
            assertThat(third.succeeded()).as(third.results().toString()).isTrue();

            // Timestamp strategy: a version per updated_at; the deleted row gets a deletion record.
            assertThat(rows(dbt, "select id, name, status, dbt_valid_from::varchar, dbt_valid_to::varchar, dbt_is_deleted"
                    + " from snapshots.customers_by_time where id = 1 order by dbt_valid_from")).containsExactly(
                    Arrays.asList(1, "Ana", "active", "2024-01-01 10:00:00", "2024-02-01 10:00:00", false),
                    Arrays.asList(1, "Ana", "inactive", "2024-02-01 10:00:00", "2024-03-01 10:00:00", false),
                    Arrays.asList(1, "Anna", "inactive", "2024-03-01 10:00:00", null, false));
            assertThat(rows(dbt, "select id, dbt_valid_to is null, dbt_is_deleted from snapshots.customers_by_time"
                    + " where id = 2 order by dbt_valid_from")).containsExactly(Arrays.asList(2, false, false),
                    Arrays.asList(2, true, true));
            assertThat(rows(dbt, "select count(*) from snapshots.customers_by_time where id = 3"))
                    .containsExactly(List.of(1L));
            assertThat(rows(dbt, "select count(distinct dbt_scd_id) = count(*) from snapshots.customers_by_time"))
                    .containsExactly(List.of(true));

            // Check strategy on status: the name change makes no version; the deleted row is closed.
            assertThat(rows(dbt, "select id, status, valid_to is null from snapshots.customers_by_status"
                    + " order by id, valid_from")).containsExactly(Arrays.asList(1, "active", false),
                    Arrays.asList(1, "inactive", true), Arrays.asList(2, "active", false),
                    Arrays.asList(3, "active", true));
            assertThat(rows(dbt, "select name from snapshots.customers_by_status where id = 1 and valid_to is null"))
                    .containsExactly(List.of("Ana"));
        }
    }

    private static List<List<Object>> rows(DbtEngine dbt, String sql) {
        return dbt.adapter().query(sql).getRows();
    }
}
