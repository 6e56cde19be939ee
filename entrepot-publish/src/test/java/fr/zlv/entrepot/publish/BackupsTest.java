package fr.zlv.entrepot.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import fr.zlv.entrepot.publish.Backups.Backup;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupsTest {

    @TempDir
    Path directory;

    private static Instant at(String date) {
        return LocalDate.parse(date).atTime(2, 15).toInstant(ZoneOffset.UTC);
    }

    @Test
    void aYearOfDailyBackupsKeepsTheLastDaysAndTheFirstOfEachMonth() {
        Backups backups = new Backups(directory.resolve("backups"), 7, 12);
        try (Warehouse warehouse = BiFiles.warehouse(directory.resolve("entrepot.duckdb"))) {
            warehouse.execute("CREATE TABLE marts.t AS SELECT 1 AS x");
            LocalDate day = LocalDate.parse("2025-12-15");
            for (int i = 0; i < 365; i++, day = day.plusDays(1)) {
                Backup made = backups.backup(warehouse, day.atTime(2, 15).toInstant(ZoneOffset.UTC));
                assertThat(made.name()).isEqualTo("entrepot-" + day + "T021500Z");
                if (i == 4) {
                    assertThat(backups.list()).hasSize(5);
                }
            }
        }
        // The last day is 2026-12-14: its 7 days, and the first of the 12 newest months (December 2025 is the 13th).
        assertThat(backups.list()).extracting(Backup::name).containsExactly(
                "entrepot-2026-12-14T021500Z", "entrepot-2026-12-13T021500Z", "entrepot-2026-12-12T021500Z",
                "entrepot-2026-12-11T021500Z", "entrepot-2026-12-10T021500Z", "entrepot-2026-12-09T021500Z",
                "entrepot-2026-12-08T021500Z", "entrepot-2026-12-01T021500Z", "entrepot-2026-11-01T021500Z",
                "entrepot-2026-10-01T021500Z", "entrepot-2026-09-01T021500Z", "entrepot-2026-08-01T021500Z",
                "entrepot-2026-07-01T021500Z", "entrepot-2026-06-01T021500Z", "entrepot-2026-05-01T021500Z",
                "entrepot-2026-04-01T021500Z", "entrepot-2026-03-01T021500Z", "entrepot-2026-02-01T021500Z",
                "entrepot-2026-01-01T021500Z");
        assertThat(directory.resolve("backups")).isDirectoryNotContaining("glob:**.tmp");
    }

    @Test
    void severalBackupsADayKeepTheDaysNewestAndTheMonthsFirst() {
        List<Backup> made = List.of(backup("2026-03-01T010000Z"), backup("2026-03-01T230000Z"),
                backup("2026-03-02T010000Z"), backup("2026-03-02T120000Z"));

        assertThat(Backups.retained(made, 1, 1)).containsExactlyInAnyOrder("w-2026-03-02T120000Z", "w-2026-03-01T010000Z");
        assertThat(Backups.retained(made, 2, 0)).containsExactlyInAnyOrder("w-2026-03-02T120000Z", "w-2026-03-01T230000Z");
    }

    private static Backup backup(String stamp) {
        Instant takenAt = Instant.parse(stamp.substring(0, 13) + ":" + stamp.substring(13, 15) + ":"
                + stamp.substring(15, 17) + "Z");
        return new Backup("w-" + stamp, Path.of("w-" + stamp + ".duckdb"), takenAt, 1);
    }

    @Test
    void restoreBringsBackTheTablesAndViewsOfTheBackup() throws Exception {
        Path warehouseFile = directory.resolve("entrepot.duckdb");
        Backups backups = new Backups(directory.resolve("backups"), 7, 12);
        try (Warehouse warehouse = BiFiles.warehouse(warehouseFile)) {
            warehouse.execute("CREATE TABLE production.housing AS SELECT i AS id, 'v1' AS state FROM range(1000) t(i)");
            warehouse.execute("CREATE VIEW marts.housing_view AS SELECT count(*) AS n FROM production.housing");
            backups.backup(warehouse, at("2026-11-01"));
            warehouse.execute("UPDATE production.housing SET state = 'v2'");
            backups.backup(warehouse, at("2026-11-02"));
            warehouse.execute("DROP VIEW marts.housing_view");
            warehouse.execute("DELETE FROM production.housing");
        }

        Backup restored = backups.restore("entrepot-2026-11-01T021500Z", warehouseFile);

        assertThat(restored.takenAt()).isEqualTo(at("2026-11-01"));
        try (Warehouse warehouse = Warehouse.open(new fr.zlv.entrepot.core.settings.WarehouseSettings(
                warehouseFile.toString(), null, 1, null)); Connection connection = warehouse.connect()) {
            assertThat(BiFiles.strings(connection, "SELECT DISTINCT state FROM production.housing")).containsExactly("v1");
            assertThat(BiFiles.count(connection, "SELECT n FROM marts.housing_view")).isEqualTo(1000);
        }
        assertThat(backups.restore(Backups.LATEST, warehouseFile).name()).isEqualTo("entrepot-2026-11-02T021500Z");
        try (Connection connection = BiFiles.reader(warehouseFile)) {
            assertThat(BiFiles.strings(connection, "SELECT DISTINCT state FROM production.housing")).containsExactly("v2");
        }
        assertThat(directory).isDirectoryNotContaining("glob:**.tmp");
    }

    @Test
    void aClosedWarehouseFileIsBackedUpToo() throws Exception {
        Path warehouseFile = directory.resolve("entrepot.duckdb");
        try (Warehouse warehouse = BiFiles.warehouse(warehouseFile)) {
            warehouse.execute("CREATE TABLE marts.t AS SELECT 42 AS x");
        }
        Backup backup = new Backups(directory.resolve("backups"), 3, 0).backup(warehouseFile, at("2026-11-03"));

        assertThat(backup.file()).hasFileName("entrepot-2026-11-03T021500Z.duckdb");
        assertThat(backup.bytes()).isEqualTo(Files.size(backup.file()));
        try (Connection connection = BiFiles.reader(backup.file())) {
            assertThat(BiFiles.count(connection, "SELECT x FROM marts.t")).isEqualTo(42);
        }
    }

    @Test
    void aWarehouseHeldByAnotherProcessIsNotRestoredOver() throws Exception {
        Path warehouseFile = directory.resolve("entrepot.duckdb");
        Backups backups = new Backups(directory.resolve("backups"), 7, 12);
        try (Warehouse warehouse = BiFiles.warehouse(warehouseFile)) {
            warehouse.execute("CREATE TABLE marts.t AS SELECT 1 AS x");
            backups.backup(warehouse, at("2026-11-01"));
            warehouse.execute("UPDATE marts.t SET x = 2");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                HeldWarehouseChild.class.getName(), warehouseFile.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8));
            String line = output.readLine();
            while (line != null && !line.startsWith("holding ")) {
                line = output.readLine();
            }
            assertThat(line).startsWith("holding ");

            assertThatThrownBy(() -> backups.restore(Backups.LATEST, warehouseFile))
                    .isInstanceOf(EntrepotException.class)
                    .hasMessageContaining("Cannot restore over the warehouse " + warehouseFile + ": another process has it open")
                    .satisfies(e -> assertThat(((EntrepotException) e).hint()).contains("Stop that process"));
        } finally {
            holder.destroyForcibly().waitFor();
        }
        try (Connection connection = BiFiles.reader(warehouseFile)) {
            assertThat(BiFiles.count(connection, "SELECT x FROM marts.t")).isEqualTo(2);
        }
    }

    @Test
    void anUnknownBackupIsRefusedListingTheExistingOnes() {
        Path warehouseFile = directory.resolve("entrepot.duckdb");
        Backups backups = new Backups(directory.resolve("backups"), 7, 12);
        assertThatThrownBy(() -> backups.restore(Backups.LATEST, warehouseFile))
                .isInstanceOf(EntrepotException.class)
                .hasMessageContaining("There is no backup in " + directory.resolve("backups"));
        try (Warehouse warehouse = BiFiles.warehouse(warehouseFile)) {
            warehouse.execute("CREATE TABLE marts.t AS SELECT 1 AS x");
            backups.backup(warehouse, at("2026-11-01"));
            backups.backup(warehouse, at("2026-11-02"));
        }

        assertThatThrownBy(() -> backups.restore("entrepot-2026-10-31", warehouseFile))
                .isInstanceOf(EntrepotException.class)
                .hasMessageContaining("There is no backup named 'entrepot-2026-10-31'")
                .hasMessageContaining("entrepot-2026-11-02T021500Z, entrepot-2026-11-01T021500Z")
                .satisfies(e -> assertThat(((EntrepotException) e).exitCode()).isEqualTo(EntrepotException.BAD_INPUT));
    }
}
