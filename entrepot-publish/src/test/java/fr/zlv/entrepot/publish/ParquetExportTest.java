package fr.zlv.entrepot.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.settings.WarehouseSettings;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parquet exports of a real DuckDB warehouse file, read back by DuckDB. */
class ParquetExportTest {

    @TempDir
    Path directory;

    private Warehouse warehouse;
    private PublishPlan plan;

    @BeforeEach
    void warehouseWithMarts() {
        warehouse = Warehouse.open(new WarehouseSettings(directory.resolve("w.duckdb").toString(), null, 1, null));
        warehouse.execute("CREATE SCHEMA marts");
        warehouse.execute("CREATE TABLE marts.marts_production_housing AS SELECT i AS id, 'commune ' || (i % 97) AS"
                + " commune, i * 1.5 AS surface, DATE '2020-01-01' + (i % 1000)::INTEGER AS since,"
                + " CASE WHEN i % 7 = 0 THEN NULL ELSE i % 5 END AS vacancy_years FROM range(25000) t(i)");
        warehouse.execute("CREATE TABLE marts.marts_production_campaigns AS SELECT i AS id, 'campagne é ' || i AS"
                + " title FROM range(12) t(i)");
        warehouse.execute("CREATE TABLE marts.marts_production_owners AS SELECT i AS id FROM range(3) t(i)");
        plan = new PublishPlan(directory.resolve("publish.yml"), "marts", List.of(
                new PublishPlan.PublishedTable("marts_production_housing", "housing", true),
                new PublishPlan.PublishedTable("marts_production_owners", "owners", false),
                new PublishPlan.PublishedTable("marts_production_campaigns", "campaigns", true)));
    }

    @AfterEach
    void close() {
        warehouse.close();
    }

    @Test
    void theTablesMarkedForParquetAreExportedUnderTheirPublishedNamesWithTheSameRows() throws Exception {
        Path out = directory.resolve("parquet");

        ParquetExport.Result result = ParquetExport.export(warehouse, plan, PublicationGate.OPEN, out);

        assertThat(result.files()).extracting(ParquetExport.ExportedFile::name).containsExactly("housing", "campaigns");
        assertThat(result.paths()).containsExactly(out.resolve("housing.parquet").toAbsolutePath(),
                out.resolve("campaigns.parquet").toAbsolutePath());
        assertThat(result.files()).extracting(ParquetExport.ExportedFile::rows).containsExactly(25_000L, 12L);
        for (ParquetExport.ExportedFile file : result.files()) {
            assertThat(file.bytes()).isEqualTo(Files.size(file.file())).isPositive();
        }
        try (Stream<Path> listed = Files.list(out)) {
            assertThat(listed.map(path -> path.getFileName().toString()))
                    .containsExactlyInAnyOrder("housing.parquet", "campaigns.parquet");
        }
        assertThat(differences("marts.marts_production_housing", out.resolve("housing.parquet"))).isZero();
        assertThat(differences("marts.marts_production_campaigns", out.resolve("campaigns.parquet"))).isZero();
        assertThat(single("SELECT compression FROM parquet_metadata('" + out.resolve("housing.parquet")
                + "') LIMIT 1")).isEqualToIgnoringCase("ZSTD");
        PublicationReport report = result.report();
        assertThat(report.target()).isEqualTo("parquet");
        assertThat(report.rows()).isEqualTo(25_012L);
        assertThat(report.bytes()).isEqualTo(Files.size(out.resolve("housing.parquet"))
                + Files.size(out.resolve("campaigns.parquet")));
    }

    @Test
    void anExportReplacesTheFilesOfTheLastOne() throws Exception {
        Path out = directory.resolve("parquet");
        ParquetExport.export(warehouse, plan, PublicationGate.OPEN, out);
        warehouse.execute("DELETE FROM marts.marts_production_campaigns WHERE id >= 2");

        ParquetExport.Result again = ParquetExport.export(warehouse, plan, PublicationGate.OPEN, out);

        assertThat(again.files().get(1).rows()).isEqualTo(2);
        assertThat(single("SELECT count(*) FROM read_parquet('" + out.resolve("campaigns.parquet") + "')"))
                .isEqualTo("2");
    }

    @Test
    void aTableThatTheGateRefusesStopsTheExportBeforeAnyFileIsWritten() {
        Path out = directory.resolve("parquet");
        PublicationGate gate = (schema, table) -> table.equals("marts_production_campaigns")
                ? List.of("column owner_email is personal data (pii: email)") : List.of();

        assertThatThrownBy(() -> ParquetExport.export(warehouse, plan, gate, out))
                .isInstanceOf(EntrepotException.class)
                .hasMessageContaining("marts.marts_production_campaigns")
                .hasMessageContaining("column owner_email is personal data (pii: email)")
                .satisfies(e -> assertThat(((EntrepotException) e).hint()).contains("Nothing was exported"));
        assertThat(out).doesNotExist();
    }

    @Test
    void aMartMissingFromTheWarehouseIsNamedWithThePlanFile() {
        warehouse.execute("DROP TABLE marts.marts_production_housing");

        assertThatThrownBy(() -> ParquetExport.export(warehouse, plan, PublicationGate.OPEN, directory.resolve("p")))
                .isInstanceOf(EntrepotException.class)
                .hasMessageContaining("has no table marts.marts_production_housing")
                .hasMessageContaining(plan.file().toString());
    }

    /** Rows in one and not the other, both ways, counted by DuckDB. */
    private long differences(String table, Path parquet) throws SQLException {
        String file = "read_parquet('" + parquet + "')";
        return Long.parseLong(single("SELECT (SELECT count(*) FROM (SELECT * FROM " + table + " EXCEPT ALL SELECT * FROM "
                + file + ")) + (SELECT count(*) FROM (SELECT * FROM " + file + " EXCEPT ALL SELECT * FROM " + table
                + ")) + (SELECT abs((SELECT count(*) FROM " + table + ") - (SELECT count(*) FROM " + file + ")))"));
    }

    private String single(String sql) throws SQLException {
        try (Connection connection = warehouse.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
