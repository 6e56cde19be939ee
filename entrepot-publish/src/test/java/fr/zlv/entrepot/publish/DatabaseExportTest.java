package fr.zlv.entrepot.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseExportTest {

    @TempDir
    Path directory;

    private final DatabaseExport export =
            new DatabaseExport(Clock.fixed(Instant.parse("2026-11-30T02:15:00Z"), ZoneOffset.UTC));

    @Test
    void anExportImportsIntoANewWarehouseWithTheSameTablesAndViews() throws Exception {
        PublicationReport report;
        Path killed = Files.createDirectories(directory.resolve("exports/entrepot-2026-11-29T021500Z.tmp"));
        Files.writeString(killed.resolve("schema.sql"), "-- an export killed halfway");
        try (Warehouse warehouse = BiFiles.warehouse(directory.resolve("entrepot.duckdb"))) {
            warehouse.execute("CREATE TABLE production.housing AS SELECT i AS id, 'h' || i AS label FROM range(5000) t(i)");
            warehouse.execute("CREATE VIEW marts.housing_count AS SELECT count(*) AS n FROM production.housing");
            // Views reading views of a schema whose name sorts after theirs: DuckDB exports them first.
            warehouse.execute("CREATE SCHEMA stg");
            warehouse.execute("CREATE SCHEMA \"int\"");
            warehouse.execute("CREATE VIEW stg.stg_housing AS SELECT id, label FROM production.housing");
            warehouse.execute("CREATE VIEW \"int\".int_even AS SELECT * FROM stg.stg_housing WHERE id % 2 = 0");
            warehouse.execute("CREATE VIEW \"int\".a_first AS SELECT count(*) AS n FROM \"int\".int_even");
            report = export.export(warehouse, directory.resolve("exports"));
        }
        Path exported = directory.resolve("exports/entrepot-2026-11-30T021500Z");
        assertThat(report.target()).isEqualTo("export");
        assertThat(report.location()).isEqualTo(exported.toString());
        assertThat(exported.resolve("schema.sql")).exists();
        assertThat(report.bytes()).isPositive();
        assertThat(killed).doesNotExist();
        assertThat(directory.resolve("exports")).isDirectoryNotContaining("glob:**.tmp");

        Path copy = directory.resolve("copy/entrepot.duckdb");
        export.importInto(exported, copy);

        try (Connection connection = BiFiles.reader(copy)) {
            assertThat(BiFiles.count(connection, "SELECT n FROM marts.housing_count")).isEqualTo(5000);
            assertThat(BiFiles.strings(connection, "SELECT label FROM production.housing WHERE id = 42"))
                    .containsExactly("h42");
            assertThat(BiFiles.count(connection, "SELECT n FROM \"int\".a_first")).isEqualTo(2500);
        }
    }

    @Test
    void importingRefusesToOverwriteAWarehouseOrToReadAnythingButAnExport() throws Exception {
        Path existing = directory.resolve("entrepot.duckdb");
        try (Warehouse warehouse = BiFiles.warehouse(existing)) {
            export.export(warehouse, directory.resolve("exports"));
        }
        assertThatThrownBy(() -> export.importInto(directory.resolve("exports/entrepot-2026-11-30T021500Z"), existing))
                .isInstanceOf(EntrepotException.class)
                .hasMessageContaining("already exists");
        Files.createDirectories(directory.resolve("not-an-export"));
        assertThatThrownBy(() -> export.importInto(directory.resolve("not-an-export"), directory.resolve("new.duckdb")))
                .isInstanceOf(EntrepotException.class)
                .hasMessageContaining("is not a database export");
        assertThat(directory.resolve("new.duckdb")).doesNotExist();
    }
}
