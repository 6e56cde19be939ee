package fr.zlv.entrepot.core.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import fr.zlv.entrepot.core.EntrepotException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsLoaderTest {

    private static final Path SHIPPED = Path.of("..", "warehouse", "entrepot.yml");

    @TempDir
    Path directory;

    private Path write(String yaml) throws IOException {
        Path file = directory.resolve("entrepot.yml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void theShippedFileLoadsWithAnEmptyEnvironment() {
        LoadedSettings loaded = new SettingsLoader(Map.of()).load(SHIPPED);

        Settings settings = loaded.settings();
        assertThat(settings.production().host()).isEqualTo("127.0.0.1");
        assertThat(settings.production().port()).isEqualTo(5432);
        assertThat(settings.production().tables()).hasSize(19);
        assertThat(settings.production().tables())
                .filteredOn(table -> table.name().equals("housing"))
                .singleElement().extracting(ProductionTable::source).isEqualTo("fast_housing");
        assertThat(settings.warehouse().threads()).isEqualTo(4);
        assertThat(settings.warehouse().memoryLimitGb()).isNull();
        assertThat(Path.of(settings.warehouse().path()))
                .isEqualTo(SHIPPED.toAbsolutePath().normalize().getParent().resolve("data/entrepot.duckdb"));
        assertThat(loaded.origins()).containsEntry("production.port", "POSTGRES_PRODUCTION_PORT (unset, default)");
    }

    @Test
    void theProgrammesVariablesAreHonoured() {
        Map<String, String> environment = Map.of(
                "POSTGRES_PRODUCTION_DB", "replica.internal",
                "POSTGRES_PRODUCTION_PORT", "6543",
                "POSTGRES_PRODUCTION_DB_NAME", "zlv",
                "POSTGRES_PRODUCTION_READONLY_USER", "analytics",
                "POSTGRES_PRODUCTION_READONLY_PASSWORD", "s3cr3t-value",
                "DUCKDB_MEMORY_LIMIT", "12",
                "DUCKDB_THREAD_NUMBER", "8");

        LoadedSettings loaded = new SettingsLoader(environment).load(SHIPPED);

        ProductionSettings production = loaded.settings().production();
        assertThat(production.jdbcUrl()).isEqualTo("jdbc:postgresql://replica.internal:6543/zlv");
        assertThat(production.user()).isEqualTo("analytics");
        assertThat(production.password().reveal()).isEqualTo("s3cr3t-value");
        assertThat(loaded.settings().warehouse().memoryLimitGb()).isEqualTo(12.0);
        assertThat(loaded.settings().warehouse().threads()).isEqualTo(8);
        assertThat(loaded.origins()).containsEntry("production.port", "POSTGRES_PRODUCTION_PORT");
    }

    @Test
    void secretsAreMaskedWhenSettingsArePrintedOrSerialised() throws Exception {
        Map<String, String> environment = Map.of("POSTGRES_PRODUCTION_READONLY_PASSWORD", "s3cr3t-value");
        Settings settings = new SettingsLoader(environment).load(SHIPPED).settings();

        String json = new ObjectMapper().writeValueAsString(settings);

        assertThat(settings.toString()).doesNotContain("s3cr3t-value").contains("********");
        assertThat(json).doesNotContain("s3cr3t-value").contains("\"password\":\"********\"");
    }

    @Test
    void anUnknownKeyIsAnErrorNamingTheKeyTheFileAndTheLine() throws IOException {
        Path file = write("""
                warehouse:
                  path: w.duckdb
                  memory_limt_gb: 4
                """);

        assertThatThrownBy(() -> new SettingsLoader(Map.of()).load(file))
                .isInstanceOf(EntrepotException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("line 3")
                .hasMessageContaining("unknown key 'warehouse.memory_limt_gb'")
                .satisfies(e -> assertThat(((EntrepotException) e).hint()).contains("memory_limit_gb")
                        .contains("threads"))
                .extracting(e -> ((EntrepotException) e).exitCode()).isEqualTo(EntrepotException.BAD_INPUT);
    }

    @Test
    void aWrongTypeFromTheEnvironmentNamesTheKeyTheValueAndTheVariable() throws IOException {
        Path file = write("""
                warehouse:
                  threads: ${DUCKDB_THREAD_NUMBER:-4}
                """);

        assertThatThrownBy(() -> new SettingsLoader(Map.of("DUCKDB_THREAD_NUMBER", "four")).load(file))
                .isInstanceOf(EntrepotException.class)
                .hasMessageContaining("line 2")
                .hasMessageContaining("warehouse.threads must be a whole number, not \"four\"")
                .hasMessageContaining("from DUCKDB_THREAD_NUMBER");
    }

    @Test
    void aWrongTypeInAListNamesTheEntry() throws IOException {
        Path file = write("""
                production:
                  tables:
                    - name: owners
                    - name: housing
                      exclude_columns: 3
                """);

        assertThatThrownBy(() -> new SettingsLoader(Map.of()).load(file))
                .hasMessageContaining("production.tables[1].exclude_columns must be a list");
    }

    @Test
    void anOutOfRangeValueNamesTheSection() throws IOException {
        Path file = write("""
                production:
                  port: 70000
                """);

        assertThatThrownBy(() -> new SettingsLoader(Map.of()).load(file))
                .hasMessageContaining("line 2")
                .hasMessageContaining("production.port must be between 1 and 65535");
    }

    @Test
    void aVariableWithoutDefaultMustBeSet() throws IOException {
        Path file = write("""
                production:
                  password: ${PRODUCTION_PASSWORD}
                """);

        assertThatThrownBy(() -> new SettingsLoader(Map.of()).load(file))
                .hasMessageContaining("production.password reads the environment variable PRODUCTION_PASSWORD,"
                        + " which is not set");
        Settings settings = new SettingsLoader(Map.of("PRODUCTION_PASSWORD", "x")).load(file).settings();
        assertThat(settings.production().password().reveal()).isEqualTo("x");
    }

    @Test
    void defaultsFollowShellRules() throws IOException {
        Path file = write("""
                production:
                  host: ${HOST:-fallback}
                  database: ${DATABASE-fallback}
                  user: "$${literal}"
                """);

        Settings empty = new SettingsLoader(Map.of("HOST", "", "DATABASE", "")).load(file).settings();

        assertThat(empty.production().host()).isEqualTo("fallback");
        assertThat(empty.production().database()).isEqualTo("zero_logement_vacant");
        assertThat(empty.production().user()).isEqualTo("${literal}");
    }

    @Test
    void invalidYamlGivesTheLine() throws IOException {
        Path file = write("""
                warehouse:
                  path: [unclosed
                """);

        assertThatThrownBy(() -> new SettingsLoader(Map.of()).load(file))
                .hasMessageContaining("this is not valid YAML")
                .hasMessageContaining(file.toString());
    }

    @Test
    void aDuplicatedKeyIsRefused() throws IOException {
        Path file = write("""
                warehouse:
                  threads: 2
                  threads: 3
                """);

        assertThatThrownBy(() -> new SettingsLoader(Map.of()).load(file))
                .hasMessageContaining("line 3")
                .hasMessageContaining("key 'warehouse.threads' appears twice");
    }

    @Test
    void aMissingFileSaysWhereItLooked() {
        Path missing = directory.resolve("nowhere.yml");

        assertThatThrownBy(() -> new SettingsLoader(Map.of()).load(missing))
                .hasMessageContaining("No settings file at " + missing);
    }

    @Test
    void anEmptyFileGivesTheDefaults() throws IOException {
        Path file = write("");

        Settings settings = new SettingsLoader(Map.of()).load(file).settings();

        assertThat(settings.warehouse().path()).isEqualTo(directory.resolve("data/entrepot.duckdb").toString());
        assertThat(settings.production().requireReadOnlyUser()).isTrue();
        assertThat(settings.demo().workspace()).isEqualTo(directory.resolve("data/demo").toString());
    }

    @Test
    void theServerReadsThePublishedBiFileUnlessTold() throws IOException {
        LoadedSettings shipped = new SettingsLoader(Map.of()).load(SHIPPED);
        ServeSettings serve = shipped.settings().serve();
        Path base = SHIPPED.toAbsolutePath().normalize().getParent();

        assertThat(serve.host()).isEqualTo("127.0.0.1");
        assertThat(serve.port()).isEqualTo(8080);
        assertThat(serve.database()).isEqualTo(shipped.settings().publish().biPath());
        assertThat(Path.of(serve.semantic())).isEqualTo(base.resolve("semantic.yml"));
        assertThat(Path.of(serve.access())).isEqualTo(base.resolve("access.yml"));
        assertThat(serve.jwtSecret().isEmpty()).isTrue();
        assertThat(serve.jwtIssuer()).isEqualTo("entrepot");
        assertThat(serve.jwtAudience()).isEqualTo("entrepot-api");
        assertThat(serve.jwksUrl()).isNull();

        LoadedSettings told = new SettingsLoader(Map.of("ENTREPOT_SERVE_DATABASE", "other/bi.duckdb",
                "ENTREPOT_JWT_SECRET", "a-secret-that-is-long-enough-for-hs256-keys")).load(SHIPPED);
        assertThat(Path.of(told.settings().serve().database())).isEqualTo(base.resolve("other/bi.duckdb"));
        assertThat(told.settings().serve().jwtSecret().reveal()).isEqualTo("a-secret-that-is-long-enough-for-hs256-keys");
        assertThat(told.settings().serve().jwtSecret()).hasToString("********");
    }

    @Test
    void aBadServerPortIsNamed() throws IOException {
        Path file = write("""
                serve:
                  port: 99999
                """);

        assertThatThrownBy(() -> new SettingsLoader(Map.of()).load(file))
                .hasMessageContaining("line 2")
                .hasMessageContaining("serve.port must be between 0 and 65535");
    }

    @Test
    void aJwksUrlMustBeHttp() throws IOException {
        Path file = write("""
                serve:
                  jwks_url: ftp://keys.example.org/jwks.json
                """);

        assertThatThrownBy(() -> new SettingsLoader(Map.of()).load(file))
                .hasMessageContaining("serve.jwks_url must be an http:// or https:// URL");
    }
}
