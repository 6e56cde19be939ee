package fr.zlv.entrepot.ingest.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.settings.StorageSettings;
import fr.zlv.entrepot.core.warehouse.TableName;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import fr.zlv.entrepot.ingest.storage.FileCache;
import fr.zlv.entrepot.ingest.storage.ObjectStores;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real-format samples loaded as the catalog describes them, and every check of a load. */
class FileLoadingTest {

    private static final Path SAMPLES = Path.of("src", "test", "resources", "files").toAbsolutePath();

    @TempDir
    Path directory;

    private Warehouse warehouse;
    private ObjectStores store;
    private FileCache cache;

    @BeforeEach
    void open() {
        warehouse = Warehouse.open(new fr.zlv.entrepot.core.settings.WarehouseSettings(
                directory.resolve("w.duckdb").toString(), 1.0, 2, null));
        store = new ObjectStores(StorageSettings.defaults());
        cache = new FileCache(directory.resolve("cache"), store);
    }

    @AfterEach
    void close() {
        warehouse.close();
        store.close();
    }

    private SourceCatalog catalog(String yaml) throws IOException {
        Path file = directory.resolve("sources.yml");
        Files.writeString(file, yaml.replace("SAMPLES", SAMPLES.toString()));
        return SourceCatalog.load(file, Map.of());
    }

    private LoadReport load(SourceCatalog catalog, String name, boolean force) {
        FileSource source = catalog.select(List.of(name), null, null).get(0);
        return new FileLoader(warehouse, directory.resolve("work")).load(source, cache.fetch(source.location(), n -> { }),
                force, n -> { });
    }

    private List<List<String>> rows(String sql) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (Connection connection = warehouse.connect(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                List<String> row = new ArrayList<>();
                for (int c = 1; c <= result.getMetaData().getColumnCount(); c++) {
                    row.add(result.getString(c));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static final String COG = """
            sources:
              - name: cog_sample
                provider: insee
                location: SAMPLES/cog_sample.csv
                types: {COM: VARCHAR, REG: VARCHAR, DEP: VARCHAR, ARR: VARCHAR, CAN: VARCHAR}
                target: external.insee_cog_sample
                expect:
                  columns: [TYPECOM, COM, REG, DEP, ARR, LIBELLE, CAN, COMPARENT]
                  min_rows: 10
            """;

    @Test
    void inseeCodesKeepTheirLeadingZerosAndLetters() throws Exception {
        LoadReport report = load(catalog(COG), "cog_sample", false);

        assertThat(report.status()).isEqualTo(LoadReport.Status.LOADED);
        assertThat(report.rows()).isEqualTo(14);
        assertThat(report.rejected()).isZero();
        assertThat(report.extraColumns()).containsExactly("CTCD", "TNCC", "NCC", "NCCENR");
        assertThat(rows("SELECT COM, ARR, DEP, LIBELLE, COMPARENT FROM external.insee_cog_sample WHERE COM IN"
                + " ('01001', '01004', '01005', '2A004') ORDER BY COM")).containsExactly(
                Arrays.asList("01001", "012", "01", "Beaulieu-le-Haut", null), Arrays.asList("01004", null, null, "Villeneuve", "01003"),
                Arrays.asList("01005", "013", "01", "L'Écluse", null), Arrays.asList("2A004", "2A1", "2A", "Roquebrune", null));
        assertThat(rows("SELECT count(*) FROM external.insee_cog_sample_rejects")).containsExactly(List.of("0"));
    }

    private static final String LOVAC = """
            sources:
              - name: lovac_sample
                provider: CEREMA
                location: SAMPLES/lovac_sample_latin1.csv
                read: {delimiter: ';', encoding: latin-1, decimal_separator: ',', date_format: '%d/%m/%Y'}
                types: {ff_idlocal: VARCHAR, ff_ccodep: VARCHAR, ff_ccocom: VARCHAR, ff_stoth: DOUBLE}
                target: lovac.lovac_sample
                on_error: ON_ERROR
                expect:
                  columns: [ff_idlocal, ff_ccodep, ff_ccocom, commune, ff_stoth, ff_vlcad, ff_jdatnss_1, EXPECTED]
            """;

    @Test
    void aLovacLikeLatin1FileWithDecimalCommasLoadsAndItsBadRowIsRejected() throws Exception {
        LoadReport report = load(catalog(LOVAC.replace("ON_ERROR", "reject").replace("EXPECTED", "ff_ccogrm_1")),
                "lovac_sample", false);

        assertThat(report.rows()).isEqualTo(6);
        assertThat(report.rejected()).isEqualTo(1);
        assertThat(rows("SELECT ff_idlocal, commune, ff_stoth, ff_vlcad, ff_jdatnss_1, ff_ddenom_1 FROM lovac.lovac_sample"
                + " WHERE ff_ccodep IN ('01', '33') AND ff_stoth < 60 ORDER BY ff_idlocal")).containsExactly(
                List.of("010010000001", "Beaulieu-le-Haut", "54.5", "1234.56", "1951-03-12", "DURAND JEAN"),
                Arrays.asList("010020000001", "Montfort", "31.25", "980.0", null, "SCI DES TILLEULS"),
                List.of("330010000001", "Sainte-Foy-la-Forêt", "45.0", "1500.75", "1978-07-05", "LEFÈVRE HÉLÈNE"));
        assertThat(rows("SELECT line, \"column\", error_type, file FROM lovac.lovac_sample_rejects")).containsExactly(
                List.of("7", "ff_stoth", "CAST", SAMPLES.resolve("lovac_sample_latin1.csv").toString()));
    }

    @Test
    void withOnErrorFailTheBadRowStopsTheLoadAndThePreviousTableStays() throws Exception {
        load(catalog(COG), "cog_sample", false);
        SourceCatalog failing = catalog(LOVAC.replace("ON_ERROR", "fail").replace("EXPECTED", "ff_ccogrm_1")
                .replace("lovac.lovac_sample", "external.insee_cog_sample"));

        assertThatThrownBy(() -> load(failing, "lovac_sample", false))
                .isInstanceOf(EntrepotException.class)
                .hasMessageContaining("lovac_sample: reading " + SAMPLES.resolve("lovac_sample_latin1.csv") + " failed")
                .hasMessageContaining("Line: 7")
                .hasMessageContaining("quarante")
                .satisfies(e -> assertThat(((EntrepotException) e).hint()).contains("on_error is fail"));
        assertThat(warehouse.rowCount(TableName.parse("external.insee_cog_sample"))).isEqualTo(14);
    }

    @Test
    void aMissingColumnFailsNamingWhatLooksRenamed() throws Exception {
        load(catalog(LOVAC.replace("ON_ERROR", "reject").replace("EXPECTED", "ff_ccogrm_1")), "lovac_sample", false);
        SourceCatalog drifted = catalog(LOVAC.replace("ON_ERROR", "reject").replace("EXPECTED", "ff_ccogrm1, ff_debut"));

        assertThatThrownBy(() -> load(drifted, "lovac_sample", false))
                .isInstanceOf(EntrepotException.class)
                .hasMessage("lovac_sample: the file " + SAMPLES.resolve("lovac_sample_latin1.csv") + " lacks 2 expected"
                        + " columns: ff_ccogrm1 (renamed ff_ccogrm_1?), ff_debut.")
                .satisfies(e -> assertThat(((EntrepotException) e).hint()).contains("Its columns: ff_idlocal, ff_ccodep")
                        .contains("lovac.lovac_sample is unchanged"));
        assertThat(warehouse.rowCount(TableName.parse("lovac.lovac_sample"))).isEqualTo(6);
    }

    @Test
    void aTypeForAColumnTheFileDoesNotHaveIsNamed() throws Exception {
        SourceCatalog catalog = catalog(COG.replace("CAN: VARCHAR}", "CAN: VARCHAR, CODE_DEP: VARCHAR}"));

        assertThatThrownBy(() -> load(catalog, "cog_sample", false))
                .hasMessageStartingWith("cog_sample: types names CODE_DEP, which the file");
    }

    @Test
    void windows1252FilesAreReEncoded() throws Exception {
        LoadReport report = load(catalog("""
                sources:
                  - name: prix
                    provider: DGFIP
                    location: SAMPLES/prix_sample_cp1252.csv
                    read: {delimiter: ';', encoding: windows-1252}
                    types: {code_commune: VARCHAR}
                    target: external.prix
                """), "prix", false);

        assertThat(report.rows()).isEqualTo(2);
        assertThat(rows("SELECT code_commune, libelle, prix_m2 FROM external.prix ORDER BY 1")).containsExactly(
                List.of("01001", "Beaulieu-le-Haut", "1 850 €"), List.of("33001", "Sainte-Foy-la-Forêt", "3 120 €"));
    }

    @Test
    void aByteOrderMarkIsNotPartOfTheFirstColumnName() throws Exception {
        LoadReport report = load(catalog("""
                sources:
                  - name: tlv
                    provider: DGFIP
                    location: SAMPLES/tlv_sample_bom.csv
                    types: {CODE INSEE: VARCHAR}
                    target: external.tlv
                    expect: {columns: [CODE INSEE, DÉPARTEMENTS, COMMUNES]}
                """), "tlv", false);

        assertThat(report.rows()).isEqualTo(3);
        assertThat(rows("SELECT \"CODE INSEE\", \"DÉPARTEMENTS\" FROM external.tlv ORDER BY 1"))
                .containsExactly(List.of("01001", "Ain"), List.of("2A004", "Corse-du-Sud"), List.of("33001", "Gironde"));
    }

    @Test
    void emptyFilesAndRowCountBoundsFail() throws Exception {
        SourceCatalog catalog = catalog("""
                sources:
                  - name: empty
                    provider: ANAH
                    location: SAMPLES/empty.csv
                    target: external.empty
                  - name: header_only
                    provider: ANAH
                    location: SAMPLES/header_only.csv
                    target: external.header_only
                """);

        assertThatThrownBy(() -> load(catalog, "empty", false)).hasMessageContaining("is empty (0 bytes)");
        assertThatThrownBy(() -> load(catalog, "header_only", false))
                .hasMessageContaining("has 0 rows, fewer than the 1 expected");
        assertThatThrownBy(() -> load(catalog(COG.replace("min_rows: 10", "max_rows: 5")), "cog_sample", false))
                .hasMessageContaining("has 14 rows, more than the 5 expected");
        assertThat(warehouse.tables("external")).isEmpty();
    }

    @Test
    void anUnchangedFileIsNotLoadedAgainUnlessForced() throws Exception {
        SourceCatalog catalog = catalog(COG);
        assertThat(load(catalog, "cog_sample", false).status()).isEqualTo(LoadReport.Status.LOADED);

        LoadReport again = load(catalog, "cog_sample", false);
        LoadReport forced = load(catalog, "cog_sample", true);
        LoadReport redefined = load(catalog(COG.replace("min_rows: 10", "min_rows: 11")), "cog_sample", false);

        assertThat(again.status()).isEqualTo(LoadReport.Status.UNCHANGED);
        assertThat(again.rows()).isEqualTo(14);
        assertThat(forced.status()).isEqualTo(LoadReport.Status.LOADED);
        assertThat(redefined.status()).isEqualTo(LoadReport.Status.LOADED);
        assertThat(rows("SELECT count(*) FROM _entrepot.file_loads WHERE source = 'cog_sample'"))
                .containsExactly(List.of("3"));
    }

    @Test
    void anXlsxSheetWithTitleRowsAboveItsHeaderIsStreamedIn() throws Exception {
        Path workbook = directory.resolve("appartenance.xlsx");
        try (OutputStream out = Files.newOutputStream(workbook)) {
            Workbook book = new Workbook(out, "entrepot-test", "1.0");
            book.newWorksheet("Notes").value(0, 0, "Lisez-moi");
            Worksheet sheet = book.newWorksheet("COM");
            sheet.value(0, 0, "Table d'appartenance géographique des communes");
            sheet.value(1, 0, "Mise à jour : 1er janvier 2025");
            sheet.value(4, 0, "CODGEO");
            sheet.value(4, 1, "LIBGEO");
            sheet.value(4, 2, "EPCI");
            sheet.value(4, 3, "POPULATION");
            sheet.value(4, 4, "MAJ");
            Object[][] rows = {
                {"01001", "Beaulieu-le-Haut", "200000001", 812, LocalDate.of(2025, 1, 1)},
                {"01002", "Montfort", "200000001", 1530.5, LocalDate.of(2024, 6, 30)},
                {"2A004", "Roquebrune", "200000042", "n.d.", LocalDate.of(2025, 1, 1)},
                {"33001", "Sainte-Foy-la-Forêt", "200000007", 12045, LocalDate.of(2025, 1, 1)}};
            for (int r = 0; r < rows.length; r++) {
                for (int c = 0; c < rows[r].length; c++) {
                    Object value = rows[r][c];
                    if (value instanceof Number number) {
                        sheet.value(5 + r, c, number);
                    } else if (value instanceof LocalDate date) {
                        sheet.value(5 + r, c, date);
                        sheet.style(5 + r, c).format("dd/mm/yyyy").set();
                    } else {
                        sheet.value(5 + r, c, (String) value);
                    }
                }
            }
            book.finish();
        }
        SourceCatalog catalog = catalog("""
                sources:
                  - name: appartenance
                    provider: INSEE
                    location: %s
                    read: {sheet: COM, range: 'A5:E'}
                    types: {POPULATION: DOUBLE}
                    target: external.insee_appartenance
                    expect: {columns: [CODGEO, LIBGEO, EPCI]}
                """.formatted(workbook));

        LoadReport report = load(catalog, "appartenance", false);

        assertThat(report.rows()).isEqualTo(3);
        assertThat(report.rejected()).isEqualTo(1);
        assertThat(report.extraColumns()).containsExactly("POPULATION", "MAJ");
        assertThat(rows("SELECT CODGEO, LIBGEO, EPCI, POPULATION, MAJ, typeof(MAJ) FROM external.insee_appartenance"
                + " ORDER BY CODGEO")).containsExactly(
                List.of("01001", "Beaulieu-le-Haut", "200000001", "812.0", "2025-01-01", "DATE"),
                List.of("01002", "Montfort", "200000001", "1530.5", "2024-06-30", "DATE"),
                List.of("33001", "Sainte-Foy-la-Forêt", "200000007", "12045.0", "2025-01-01", "DATE"));
        assertThat(rows("SELECT line, \"column\", error FROM external.insee_appartenance_rejects"))
                .containsExactly(List.of("8", "POPULATION", "cannot convert 'n.d.' to DOUBLE"));

        // The same sheet, told how many rows to skip instead of a range; no type forced: mixed cells stay text.
        SourceCatalog skipping = catalog("""
                sources:
                  - name: appartenance_skip
                    provider: INSEE
                    location: %s
                    read: {sheet: COM, skip_rows: 4}
                    target: external.insee_appartenance_skip
                """.formatted(workbook));
        LoadReport skipped = load(skipping, "appartenance_skip", false);
        assertThat(skipped.rows()).isEqualTo(4);
        assertThat(rows("SELECT typeof(POPULATION), POPULATION FROM external.insee_appartenance_skip WHERE CODGEO = '2A004'"))
                .containsExactly(List.of("VARCHAR", "n.d."));
    }

    @Test
    void aMissingSheetIsNamedWithTheSheetsThereAre() throws Exception {
        Path workbook = directory.resolve("two-sheets.xlsx");
        try (OutputStream out = Files.newOutputStream(workbook)) {
            Workbook book = new Workbook(out, "entrepot-test", "1.0");
            book.newWorksheet("Maille communale").value(0, 0, "x");
            book.newWorksheet("Maille EPCI").value(0, 0, "x");
            book.finish();
        }
        SourceCatalog catalog = catalog("""
                sources:
                  - name: grille
                    provider: INSEE
                    location: %s
                    read: {sheet: Communes}
                    target: external.grille
                """.formatted(workbook));

        assertThatThrownBy(() -> load(catalog, "grille", false))
                .hasMessage("The workbook two-sheets.xlsx has no sheet 'Communes'.")
                .satisfies(e -> assertThat(((EntrepotException) e).hint()).isEqualTo("Its sheets: Maille communale, Maille EPCI."));
    }

    @Test
    void parquetFilesLoadWithTheirTypesOverridden() throws Exception {
        Path parquet = directory.resolve("zonage.parquet");
        warehouse.execute("COPY (SELECT lpad(range::VARCHAR, 5, '0') AS codgeo, range % 3 AS zone FROM range(1, 101))"
                + " TO '" + parquet + "' (FORMAT parquet)");
        SourceCatalog catalog = catalog("""
                sources:
                  - name: zonage
                    provider: DGALN
                    location: %s
                    types: {zone: VARCHAR}
                    target: external.dgaln_zonage
                    expect: {columns: [codgeo, zone], min_rows: 100, max_rows: 100}
                """.formatted(parquet));

        assertThat(load(catalog, "zonage", false).rows()).isEqualTo(100);
        assertThat(rows("SELECT codgeo, zone, typeof(zone) FROM external.dgaln_zonage ORDER BY codgeo LIMIT 1"))
                .containsExactly(List.of("00001", "1", "VARCHAR"));
    }
}
