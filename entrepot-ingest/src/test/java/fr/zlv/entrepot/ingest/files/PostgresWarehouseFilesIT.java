package fr.zlv.entrepot.ingest.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.settings.Secret;
import fr.zlv.entrepot.core.settings.StorageSettings;
import fr.zlv.entrepot.core.settings.WarehouseSettings;
import fr.zlv.entrepot.core.storage.Location;
import fr.zlv.entrepot.core.warehouse.TableName;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import fr.zlv.entrepot.demo.LocalS3Server;
import fr.zlv.entrepot.demo.PostgresLocator;
import fr.zlv.entrepot.demo.PostgresServer;
import fr.zlv.entrepot.demo.files.LakeFiles;
import fr.zlv.entrepot.ingest.storage.FileCache;
import fr.zlv.entrepot.ingest.storage.ObjectStores;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The yearly files loaded into a PostgreSQL warehouse (a fresh database on the test server) from a real S3-protocol
 * server, compared with the same files loaded into a DuckDB warehouse.
 */
class PostgresWarehouseFilesIT {

    private static final Secret SECRET = Secret.of("lake-secret");
    private static final Path SAMPLES = Path.of("src", "test", "resources", "files").toAbsolutePath();
    private static final long HOUSINGS = 2_000;

    private static LocalS3Server s3;
    private static PostgresServer postgres;

    @TempDir
    Path directory;

    private String database;
    private Warehouse pg;
    private Warehouse duck;
    private ObjectStores store;
    private FileCache cache;

    @BeforeAll
    static void startServers() {
        s3 = LocalS3Server.start(null, "lake-access", SECRET);
        postgres = PostgresLocator.find(System.getenv("ENTREPOT_TEST_POSTGRES_URL"), Path.of("target", "embedded-pg"));
    }

    @AfterAll
    static void stopServers() {
        s3.close();
        postgres.close();
    }

    @BeforeEach
    void open() throws SQLException {
        database = "files_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection admin = postgres.connect("postgres"); Statement sql = admin.createStatement()) {
            sql.execute("CREATE DATABASE " + database);
        }
        pg = Warehouse.open(new WarehouseSettings(postgres.jdbcUrlWithCredentials(database), null, null, null));
        duck = Warehouse.open(new WarehouseSettings(directory.resolve("w.duckdb").toString(), 1.0, 2, null));
        store = new ObjectStores(StorageSettings.defaults().withEndpoint(s3.endpoint().toString(), "lake-access", SECRET));
        store.ensureBucket("lake");
        cache = new FileCache(directory.resolve("cache"), store);
    }

    @AfterEach
    void close() throws SQLException {
        pg.close();
        duck.close();
        store.close();
        try (Connection admin = postgres.connect("postgres"); Statement sql = admin.createStatement()) {
            sql.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    /** The shipped catalog's sources of the files the demo wrote, uploaded to s3://lake/demo/. */
    private List<FileSource> demoSources(List<LakeFiles.LakeFile> files) {
        Map<String, FileSource> shipped = SourceCatalog.load(Path.of("..", "warehouse", "sources.yml"), Map.of())
                .sources().stream().collect(Collectors.toMap(FileSource::name, Function.identity()));
        List<FileSource> sources = new ArrayList<>();
        for (LakeFiles.LakeFile file : files) {
            Location location = Location.parse("s3://lake/demo/" + file.file().getFileName());
            store.upload(file.file(), location);
            sources.add(shipped.get(file.source()).withLocation(location));
        }
        return sources;
    }

    private LoadReport load(Warehouse warehouse, FileSource source, long inMemoryBytes) {
        return new FileLoader(warehouse, directory.resolve("work"), inMemoryBytes)
                .load(source, cache.fetch(source.location(), n -> { }), true, n -> { });
    }

    @Test
    void theDemoYearlyFilesLoadIntoPostgresqlWithTheRowsAndValuesOfDuckdb() throws Exception {
        List<FileSource> sources = demoSources(LakeFiles.write(11, HOUSINGS, directory.resolve("lake")));
        assertThat(sources).hasSizeGreaterThan(20);

        for (FileSource source : sources) {
            LoadReport intoDuckdb = load(duck, source, FileLoader.IN_MEMORY_BYTES);
            // Every file through a scratch DuckDB file here (the ingestion keeps small ones in memory).
            LoadReport intoPostgres = load(pg, source, 0);

            assertThat(intoPostgres.rows()).as(source.name()).isEqualTo(intoDuckdb.rows()).isPositive();
            assertThat(intoPostgres.rejected()).as(source.name()).isEqualTo(intoDuckdb.rejected());
            assertThat(intoPostgres.extraColumns()).as(source.name()).isEqualTo(intoDuckdb.extraColumns());
        }
        assertThat(directory.resolve("work").resolve("scratch")).isEmptyDirectory();

        List<TableName> tables = Stream.of("lovac", "ff", "external").flatMap(schema -> duck.tables(schema).stream())
                .toList();
        assertThat(tables).hasSizeGreaterThan(40);
        assertThat(Stream.of("lovac", "ff", "external").flatMap(schema -> pg.tables(schema).stream()))
                .containsExactlyInAnyOrderElementsOf(tables);
        try (Connection fromDuck = duck.connect(); Connection fromPg = pg.connect()) {
            for (TableName table : tables) {
                Table inDuckdb = table(fromDuck, table);
                Table inPostgres = table(fromPg, table);
                assertThat(inPostgres.columns()).as(table.toString())
                        .isEqualTo(inDuckdb.columns().stream().map(c -> c.toLowerCase(Locale.ROOT)).toList());
                assertThat(inPostgres.rows()).as(table.toString()).hasSameSizeAs(inDuckdb.rows())
                        .isEqualTo(inDuckdb.rows());
            }
            // The mixed-case headers of INSEE's files, named unquoted as the models do.
            try (Statement sql = fromPg.createStatement(); ResultSet row = sql.executeQuery(
                    "SELECT count(DISTINCT com), min(libelle) FROM external.insee_cog_2024")) {
                row.next();
                assertThat(row.getLong(1)).isPositive();
                assertThat(row.getString(2)).isNotBlank();
            }
            try (Statement sql = fromPg.createStatement(); ResultSet row = sql.executeQuery(
                    "SELECT count(*), count(DISTINCT source) FROM _entrepot.file_loads")) {
                row.next();
                assertThat(row.getLong(1)).isEqualTo(sources.size());
                assertThat(row.getLong(2)).isEqualTo(sources.stream().map(FileSource::name).distinct().count());
            }
        }
    }

    @Test
    void aDriftedOrMalformedFileFailsAsOnDuckdbAndLeavesTheLoadedTableUntouched() throws Exception {
        String header = "ff_idlocal;ff_ccodep;ff_ccocom;commune;ff_dteloc;ff_stoth;ff_vlcad;ff_jdatnss_1;ff_ccogrm_1;"
                + "debutvacance;ff_ddenom_1\n";
        String rows = "010010000001;01;001;Beaulieu;2;54,5;1234,56;12/03/1951;;2019;DURAND JEAN\n"
                + "010010000002;01;001;Beaulieu;1;120;3020,10;01/01/1940;;2015;MARTIN MARIE\n";
        Location location = Location.parse("s3://lake/cerema/lovac/raw.csv");
        FileSource lovac = SourceCatalog.load(write("sources.yml", """
                sources:
                  - name: lovac_test
                    provider: CEREMA
                    location: s3://lake/cerema/lovac/raw.csv
                    read: {delimiter: ';', encoding: latin-1, decimal_separator: ',', date_format: '%d/%m/%Y'}
                    types: {ff_idlocal: VARCHAR, ff_ccodep: VARCHAR, ff_ccocom: VARCHAR, ff_stoth: DOUBLE}
                    target: lovac.lovac_test
                    on_error: fail
                    expect: {columns: [ff_idlocal, ff_ccodep, ff_stoth, ff_ccogrm_1]}
                """), Map.of()).sources().get(0);
        store.upload(write("good.csv", header + rows), location);
        assertThat(ingest(duck, lovac).report().rows()).isEqualTo(2);
        assertThat(ingest(pg, lovac).report().rows()).isEqualTo(2);
        TableName table = TableName.parse("lovac.lovac_test");
        String before = contents(pg, table);

        store.upload(write("drifted.csv", header.replace("ff_ccogrm_1", "ff_ccogrm1") + rows), location);
        FileIngestion.Outcome driftedOnDuckdb = ingest(duck, lovac);
        FileIngestion.Outcome driftedOnPostgres = ingest(pg, lovac);

        assertThat(driftedOnPostgres.error()).hasMessage("lovac_test: the file s3://lake/cerema/lovac/raw.csv lacks"
                + " the expected column ff_ccogrm_1 (renamed ff_ccogrm1?).");
        assertSameError(driftedOnPostgres, driftedOnDuckdb);
        assertThat(contents(pg, table)).isEqualTo(before);

        store.upload(write("malformed.csv", header + rows + "010010000003;01;001;Beaulieu;1;quarante;1,0;01/01/1940;;"
                + "2015;X\n"), location);
        FileIngestion.Outcome malformedOnDuckdb = ingest(duck, lovac);
        FileIngestion.Outcome malformedOnPostgres = ingest(pg, lovac);

        assertThat(malformedOnPostgres.error()).hasMessageStartingWith("lovac_test: reading s3://lake/cerema/lovac/raw.csv"
                + " failed").hasMessageContaining("quarante");
        assertSameError(malformedOnPostgres, malformedOnDuckdb);
        assertThat(contents(pg, table)).isEqualTo(before);
        assertThat(pg.tables("lovac")).containsExactly(table, TableName.parse("lovac.lovac_test_rejects"));
    }

    @Test
    void rejectedRowsLandInTheQuarantineTableOfPostgresql() throws Exception {
        Location location = Location.parse("s3://lake/cerema/lovac/sample.csv");
        store.upload(SAMPLES.resolve("lovac_sample_latin1.csv"), location);
        FileSource lovac = SourceCatalog.load(write("sources.yml", """
                sources:
                  - name: lovac_sample
                    provider: CEREMA
                    location: s3://lake/cerema/lovac/sample.csv
                    read: {delimiter: ';', encoding: latin-1, decimal_separator: ',', date_format: '%d/%m/%Y'}
                    types: {ff_idlocal: VARCHAR, ff_ccodep: VARCHAR, ff_ccocom: VARCHAR, ff_stoth: DOUBLE}
                    target: lovac.lovac_sample
                """), Map.of()).sources().get(0);

        LoadReport report = ingest(pg, lovac).report();
        ingest(duck, lovac);

        assertThat(report.rows()).isEqualTo(6);
        assertThat(report.rejected()).isEqualTo(1);
        TableName rejects = TableName.parse("lovac.lovac_sample_rejects");
        try (Connection connection = pg.connect(); Statement sql = connection.createStatement();
             ResultSet row = sql.executeQuery("SELECT line, \"column\", error_type, csv_line FROM " + rejects.sql())) {
            assertThat(row.next()).isTrue();
            assertThat(row.getLong(1)).isEqualTo(7);
            assertThat(row.getString(2)).isEqualTo("ff_stoth");
            assertThat(row.getString(3)).isEqualTo("CAST");
            assertThat(row.getString(4)).contains("quarante");
            assertThat(row.next()).isFalse();
        }
        assertThat(contents(pg, rejects)).isEqualTo(contents(duck, rejects));
        LoadReport again = new FileIngestion(pg, cache, directory.resolve("work")).run(List.of(lovac), false,
                FileIngestion.Listener.NONE).get(0).report();
        assertThat(again.status()).isEqualTo(LoadReport.Status.UNCHANGED);
        assertThat(again.rows()).isEqualTo(6);
        assertThat(again.rejected()).isEqualTo(1);
    }

    @Test
    void twoColumnsThatAreOneInLowerCaseFailNamingBoth() throws Exception {
        Location location = Location.parse("s3://lake/anah/etats.csv");
        store.upload(Files.writeString(directory.resolve("etats.csv"), "code,ÉTAT,état\n01001,A,a\n"), location);
        FileSource source = SourceCatalog.load(write("sources.yml", """
                sources:
                  - name: etats
                    provider: ANAH
                    location: s3://lake/anah/etats.csv
                    target: external.etats
                """), Map.of()).sources().get(0);

        assertThat(ingest(duck, source).report().rows()).isEqualTo(1);
        FileIngestion.Outcome onPostgres = ingest(pg, source);

        assertThat(onPostgres.error()).hasMessage("etats: the file s3://lake/anah/etats.csv has the columns ÉTAT and"
                + " état, which are both état in a PostgreSQL warehouse.");
        assertThat(onPostgres.error().hint()).contains("external.etats is unchanged");
        assertThat(pg.tables("external")).isEmpty();
    }

    private FileIngestion.Outcome ingest(Warehouse warehouse, FileSource source) {
        return new FileIngestion(warehouse, cache, directory.resolve("work")).run(List.of(source), true,
                FileIngestion.Listener.NONE).get(0);
    }

    private static void assertSameError(FileIngestion.Outcome onPostgres, FileIngestion.Outcome onDuckdb) {
        assertThat(onDuckdb.failed()).isTrue();
        assertThat(onPostgres.failed()).isTrue();
        assertThat(onPostgres.error().getMessage()).isEqualTo(onDuckdb.error().getMessage());
        assertThat(onPostgres.error().hint()).isEqualTo(onDuckdb.error().hint());
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(directory.resolve(name), text, StandardCharsets.ISO_8859_1);
    }

    /** A table's column names and its rows as comparable text, sorted (the engines sort text differently). */
    private record Table(List<String> columns, List<String> rows) {
    }

    private static Table table(Connection connection, TableName table) throws SQLException {
        List<String> columns = new ArrayList<>();
        List<String> rows = new ArrayList<>();
        try (Statement sql = connection.createStatement(); ResultSet result = sql.executeQuery("SELECT * FROM "
                + table.sql())) {
            int count = result.getMetaData().getColumnCount();
            for (int c = 1; c <= count; c++) {
                columns.add(result.getMetaData().getColumnName(c));
            }
            while (result.next()) {
                List<String> values = new ArrayList<>();
                for (int c = 1; c <= count; c++) {
                    values.add(text(result, c));
                }
                rows.add(String.join("|", values));
            }
        }
        rows.sort(null);
        return new Table(columns, rows);
    }

    private static String contents(Warehouse warehouse, TableName table) throws SQLException {
        try (Connection connection = warehouse.connect()) {
            return String.join("\n", table(connection, table).rows());
        }
    }

    /** A value as text both engines agree on: numbers by value, booleans as true/false, the rest as their text. */
    private static String text(ResultSet result, int column) throws SQLException {
        Object value = result.getObject(column);
        if (value == null) {
            return "NULL";
        }
        if (value instanceof Number number) {
            return new BigDecimal(number.toString()).stripTrailingZeros().toPlainString();
        }
        if (value instanceof Boolean bool) {
            return bool.toString();
        }
        return result.getString(column);
    }
}
