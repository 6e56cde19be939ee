package fr.zlv.entrepot.core.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.settings.WarehouseSettings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WarehouseTest {

    @TempDir
    Path directory;

    private WarehouseSettings settings(String file) {
        return new WarehouseSettings(directory.resolve(file).toString(), 1.5, 3, null);
    }

    @Test
    void openingAppliesTheLimitsAndCreatesTheSchemas() {
        try (Warehouse warehouse = Warehouse.open(settings("sub/dir/w.duckdb"))) {
            assertThat(directory.resolve("sub/dir/w.duckdb")).exists();
            assertThat(warehouse.setting("threads")).isEqualTo("3");
            // DuckDB reports the limit in binary units: 1.5 GB = 1.3 GiB.
            assertThat(warehouse.setting("memory_limit")).isEqualTo("1.3 GiB");
            assertThat(warehouse.setting("temp_directory")).isEqualTo(directory.resolve("sub/dir/w.duckdb.tmp").toString());
            warehouse.execute("CREATE TABLE production.t AS SELECT 1 AS x");
            assertThat(warehouse.tables("production")).containsExactly(new TableName("production", "t"));
            for (String schema : Warehouse.SCHEMAS) {
                assertThat(warehouse.tables(schema)).isNotNull();
            }
            assertThat(warehouse.engineVersion()).startsWith("v1.");
        }
    }

    @Test
    void swapReplacesEveryTargetInOneTransaction() {
        try (Warehouse warehouse = Warehouse.open(settings("w.duckdb"))) {
            TableName owners = TableName.parse("production.owners");
            TableName housing = TableName.parse("production.housing");
            warehouse.execute("CREATE TABLE production.owners AS SELECT 1 AS version");
            warehouse.execute("CREATE VIEW production.owners_view AS SELECT * FROM production.owners");
            warehouse.execute("CREATE TABLE " + Warehouse.stagingTable(owners).sql() + " AS SELECT 2 AS version, 'x' AS extra");
            warehouse.execute("CREATE TABLE " + Warehouse.stagingTable(housing).sql() + " AS SELECT 42 AS id");

            warehouse.swap(List.of(owners, housing));

            assertThat(warehouse.tables("production")).containsExactly(housing, owners);
            assertThat(warehouse.rowCount(housing)).isEqualTo(1);
            try (var connection = warehouse.connect(); var statement = connection.createStatement();
                 var rows = statement.executeQuery("SELECT version, extra FROM production.owners_view")) {
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(2);
            } catch (java.sql.SQLException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void aFailedSwapLeavesEveryPreviousTableAsItWas() {
        try (Warehouse warehouse = Warehouse.open(settings("w.duckdb"))) {
            TableName owners = TableName.parse("production.owners");
            TableName housing = TableName.parse("production.housing");
            warehouse.execute("CREATE TABLE production.owners AS SELECT 1 AS version");
            warehouse.execute("CREATE TABLE production.housing AS SELECT 1 AS version");
            warehouse.execute("CREATE TABLE " + Warehouse.stagingTable(owners).sql() + " AS SELECT 2 AS version");
            // No staging table for housing: the swap must fail and roll back owners too.

            assertThatThrownBy(() -> warehouse.swap(List.of(owners, housing)))
                    .isInstanceOf(EntrepotException.class)
                    .hasMessageContaining("Cannot swap in the new tables");

            assertThat(warehouse.tables("production")).contains(owners, housing, Warehouse.stagingTable(owners));
            try (var connection = warehouse.connect(); var statement = connection.createStatement();
                 var rows = statement.executeQuery("SELECT version FROM production.owners")) {
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(1);
            } catch (java.sql.SQLException e) {
                throw new AssertionError(e);
            }
            assertThat(warehouse.dropStagingTables("production")).containsExactly(Warehouse.stagingTable(owners));
            assertThat(warehouse.tables("production")).containsExactly(housing, owners);
        }
    }

    @Test
    void aWarehouseToldToWaitOpensOnceAnotherProcessLetsGoOfTheFile() throws Exception {
        Path file = directory.resolve("taken-in-turn.duckdb");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                HoldWarehouse.class.getName(), file.toString(), "2000").redirectErrorStream(true).start();
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8));
            assertThat(output.readLine()).startsWith("holding ");
            assertThatThrownBy(() -> Warehouse.open(settings("taken-in-turn.duckdb")))
                    .hasMessageContaining("is in use by another process");

            try (Warehouse warehouse = Warehouse.open(settings("taken-in-turn.duckdb").withLockWaitSeconds(60))) {
                assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(warehouse.tables("production")).isEmpty();
            }
        } finally {
            holder.destroyForcibly();
        }
    }

    @Test
    void aFileHeldByAnotherProcessNamesThatProcess() throws Exception {
        Path file = directory.resolve("held.duckdb");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                HoldWarehouse.class.getName(), file.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8));
            assertThat(output.readLine()).startsWith("holding ");

            assertThatThrownBy(() -> Warehouse.open(settings("held.duckdb")))
                    .isInstanceOf(EntrepotException.class)
                    .hasMessageContaining("The warehouse " + file + " is in use by another process: PID " + holder.pid())
                    .hasMessageContaining(HoldWarehouse.class.getName())
                    .extracting(e -> ((EntrepotException) e).hint()).asString().contains("one writer at a time");
        } finally {
            holder.destroyForcibly().waitFor();
        }
    }

    @Test
    void aCorruptFileIsNamedAndLeftInPlace() throws Exception {
        Path file = directory.resolve("corrupt.duckdb");
        byte[] garbage = new byte[64 * 1024];
        new Random(7).nextBytes(garbage);
        Files.write(file, garbage);

        assertThatThrownBy(() -> Warehouse.open(settings("corrupt.duckdb")))
                .isInstanceOf(EntrepotException.class)
                .hasMessageContaining("The warehouse " + file + " is not a readable DuckDB database");
        assertThat(Files.readAllBytes(file)).isEqualTo(garbage);
    }
}
