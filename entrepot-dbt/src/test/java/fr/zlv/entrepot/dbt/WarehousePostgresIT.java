package fr.zlv.entrepot.dbt;

import static org.assertj.core.api.Assertions.assertThat;

import fr.zlv.entrepot.dbt.DbtEngine.Selection;
import fr.zlv.entrepot.dbt.graph.ResourceType;
import fr.zlv.entrepot.dbt.run.NodeResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warehouse's own dbt project (warehouse/dbt) with a {@code type: postgres} target: it parses and every model,
 * analysis and test compiles (a fresh, empty database: compiling asks the warehouse nothing that needs its tables).
 */
class WarehousePostgresIT {

    @TempDir
    Path directory;
    private TestPostgres.Database database;

    @BeforeEach
    void createDatabase() {
        database = TestPostgres.createDatabase("warehouse_it");
    }

    @AfterEach
    void dropDatabase() {
        database.close();
    }

    @Test
    void theWarehouseProjectParsesAndCompilesForPostgresql() throws IOException {
        Path project = copy(Path.of("..", "warehouse", "dbt"), directory.resolve("dbt"));
        Path profiles = Files.createDirectories(directory.resolve("profiles"));
        Files.writeString(profiles.resolve("profiles.yml"), "entrepot:\n  target: pg\n  outputs:\n"
                + database.target("pg", "public", 4));
        List<String> console = new java.util.concurrent.CopyOnWriteArrayList<>();
        DbtEngine.Options options = DbtEngine.Options.of(project).withProfilesDir(profiles)
                .withEnvironment(database.environment()).withConsole(console::add);
        try (DbtEngine dbt = DbtEngine.load(options)) {
            assertThat(dbt.project().profile().type()).isEqualTo("postgres");
            long models = dbt.project().manifest().nodes().values().stream()
                    .filter(node -> node.type() == ResourceType.MODEL).count();
            assertThat(models).isGreaterThan(60);
            dbt.parse();
            assertThat(project.resolve("target/manifest.json")).content().contains("\"adapter_type\" : \"postgres\"");

            DbtEngine.CommandResult compiled = dbt.compile(Selection.ALL);
            List<String> failures = compiled.results().stream().filter(NodeResult::failed)
                    .map(result -> result.node().name() + ": " + result.message()).toList();
            assertThat(failures).as(String.join("\n", console)).isEmpty();
            assertThat(compiled.results()).hasSize((int) models + (int) dbt.project().manifest().nodes().values().stream()
                    .filter(node -> node.type() == ResourceType.ANALYSIS).count());

            // Tests compile too (they are compiled when run): each one's SQL, written under target/compiled.
            List<String> testFailures = dbt.selected(Selection.ALL, java.util.EnumSet.of(ResourceType.TEST)).stream()
                    .map(test -> {
                        try {
                            new fr.zlv.entrepot.dbt.run.Compiler(dbt.project(), dbt.adapter(), dbt.targetDirectory())
                                    .compile(test, false);
                            return null;
                        } catch (RuntimeException e) {
                            return test.name() + ": " + e.getMessage();
                        }
                    }).filter(java.util.Objects::nonNull).toList();
            assertThat(testFailures).isEmpty();
            // The compiled SQL names the PostgreSQL database's relations.
            assertThat(Files.readString(project.resolve(
                    "target/compiled/zlv_warehouse/models/marts/production/marts_production_campaigns.sql")))
                    .contains("\"" + database.name() + "\".\"int\".");
        }
    }

    /**
     * The warehouse's production models on PostgreSQL itself: on a replica of the demo's production database (its
     * tables seen as schema production, as the daily sync names them), staging, intermediate and marts build, the
     * owners pseudonymised with the same keyed HMAC as on DuckDB, and so does the statistics mart (production models
     * only). marts_production_housing reads the LOVAC history (yearly files, loaded into DuckDB only): without it, it
     * fails naming that relation and nothing else; given an empty LOVAC history, it builds, one row per housing.
     */
    @Test
    void theProductionModelsRunOnAPostgresqlReplicaWithTheSamePseudonyms() throws IOException {
        String name = "warehouse_replica_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        fr.zlv.entrepot.demo.production.ProductionDatabase.create(TestPostgres.server(), name,
                fr.zlv.entrepot.demo.production.ProductionDatabase.Options.of(300, 11),
                fr.zlv.entrepot.demo.production.ProductionDatabase.Progress.NONE);
        TestPostgres.Database replica = new TestPostgres.Database(name);
        String key = "a-test-key-" + java.util.UUID.randomUUID();
        try {
            replica.execute("create schema production");
            for (List<Object> table : replica.rows("select table_name from information_schema.tables where table_schema"
                    + " = 'public' and table_name not like 'fast_housing_%' order by 1")) {
                String t = String.valueOf(table.get(0));
                replica.execute("create view production." + (t.equals("fast_housing") ? "housing" : t)
                        + " as select * from public." + t);
            }
            Path project = copy(Path.of("..", "warehouse", "dbt"), directory.resolve("dbt"));
            Path profiles = Files.createDirectories(directory.resolve("profiles"));
            Files.writeString(profiles.resolve("profiles.yml"), "entrepot:\n  target: pg\n  outputs:\n"
                    + replica.target("pg", "public", 4));
            List<String> console = new java.util.concurrent.CopyOnWriteArrayList<>();
            Map<String, String> environment = new java.util.HashMap<>(replica.environment());
            environment.put("ENTREPOT_PII_KEY", key);
            try (DbtEngine dbt = DbtEngine.load(DbtEngine.Options.of(project).withProfilesDir(profiles)
                    .withEnvironment(environment).withConsole(console::add).withVars(Map.of("as_of_date", "2026-11-01")))) {
                DbtEngine.CommandResult result = dbt.run(new Selection(List.of("staging.production", "intermediate.production",
                        "marts.production", "marts.stats"), List.of(), null));

                List<String> failed = result.results().stream().filter(NodeResult::failed).map(r -> r.node().name())
                        .toList();
                assertThat(failed).as(String.join("\n", console)).containsExactly("marts_production_housing");
                // PostgreSQL reads the whole statement and stops only at the relation the yearly files would build.
                assertThat(result.result("marts_production_housing").message())
                        .contains("relation \"int.int_lovac_housing_history\" does not exist");
                assertThat(result.count(NodeResult.Status.SUCCESS)).isEqualTo(result.results().size() - 1).isGreaterThan(30);
                assertThat(result.result("marts_stats_monthly_global").status()).isEqualTo(NodeResult.Status.SUCCESS);

                // The monthly statistics: one row per month, without a gap, from the first month with activity to
                // the last; the status changes add up over the months to the intermediate model's count.
                assertThat(replica.rows("select count(*) = count(distinct month), min(month) < max(month),"
                        + " (extract(year from age(max(month), min(month))) * 12 + extract(month from age(max(month),"
                        + " min(month))) + 1) = count(*), sum(status_change_count) = (select count(*) from"
                        + " int.int_production_events_status_changes) from marts.marts_stats_monthly_global").get(0))
                        .containsExactly(true, true, true, true);

                // Given the LOVAC history it reads (here an empty one: no yearly file loaded), the housing mart builds.
                replica.execute("create table int.int_lovac_housing_history as select cast(null as text) as local_id,"
                        + " 0 as first_lovac_year, 0 as last_lovac_year, cast(0 as bigint) as lovac_years_count,"
                        + lovacYears(project).stream().map(year -> "false as is_in_lovac_" + year + ", ")
                                .collect(Collectors.joining())
                        + " 0 as last_vacancy_start_year where false");
                DbtEngine.CommandResult housing = dbt.run(new Selection(List.of("marts_production_housing"), List.of(), null));
                assertThat(housing.count(NodeResult.Status.SUCCESS)).as(String.join("\n", console)).isEqualTo(1);
                assertThat(replica.rows("select count(*), count(distinct housing_id), count(main_owner_key),"
                        + " count(*) filter (where lovac_years_count = 0 and not is_in_last_lovac)"
                        + " from marts.marts_production_housing").get(0)).containsExactly(300L, 300L,
                        replica.rows("select count(distinct housing_id) from int.int_production_housing_owners"
                                + " where is_main_owner").get(0).get(0), 300L);

                // What was built holds the replica's rows; the owners' keys are HMAC-SHA256(key, id), as on DuckDB.
                assertThat(replica.rows("select (select count(*) from stg.stg_production_housing),"
                        + " (select count(*) from public.fast_housing), (select count(*) from marts.marts_production_owners)"
                        + " > 0").get(0)).containsExactly(300L, 300L, true);
                List<List<Object>> owners = replica.rows("select cast(owner_id as text), owner_key from int.int_production_owners"
                        + " order by owner_id limit 20");
                assertThat(owners).hasSize(20).allSatisfy(owner -> assertThat(owner.get(1))
                        .isEqualTo(hmacSha256(key, String.valueOf(owner.get(0)))));
                assertThat(replica.rows("select count(*) from marts.marts_production_owners where owner_key in"
                        + " (select owner_key from int.int_production_owners)").get(0).get(0))
                        .isEqualTo(replica.rows("select count(*) from marts.marts_production_owners").get(0).get(0));
                DbtEngine.CommandResult tests = dbt.test(new Selection(List.of("staging.production", "intermediate.production",
                        "marts.production", "marts.stats"), List.of(), null));
                // The models' data tests pass on PostgreSQL; those on the BI mart, not built here, cannot run.
                assertThat(tests.results()).allSatisfy(test -> assertThat(test.status() == NodeResult.Status.PASS
                        || test.message().matches("(?s).*relation \"marts\\.marts_bi_housing_complete\" does not exist.*"))
                        .as(test.node().name() + ": " + test.message()).isTrue());
                assertThat(tests.count(NodeResult.Status.PASS)).isGreaterThan(200);
                // The key never reaches target/: the hooks' statements are masked.
                try (Stream<Path> files = Files.walk(project.resolve("target"))) {
                    for (Path file : files.filter(Files::isRegularFile).toList()) {
                        assertThat(Files.readString(file)).as(file.toString()).doesNotContain(key);
                    }
                }
                assertThat(Files.readString(project.resolve(
                        "target/run/zlv_warehouse/models/intermediate/production/int_production_owners.sql")))
                        .contains("set entrepot.pii_key = '***'").contains("reset entrepot.pii_key");
            }
            // Without the key in the session, the pseudonymising SQL stops instead of hashing with an empty key.
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> replica.rows(Files.readString(project.resolve(
                    "target/compiled/zlv_warehouse/models/intermediate/production/int_production_owners.sql"))))
                    .hasMessageContaining("pseudonymise() has no key");
        } finally {
            replica.close();
        }
    }

    /** The LOVAC millésimes of the project's var lovac_years (one is_in_lovac_ column each in the LOVAC history). */
    static List<String> lovacYears(Path project) throws IOException {
        java.util.regex.Matcher years = java.util.regex.Pattern.compile("(?m)^\\s*lovac_years:\\s*\\[([^\\]]*)]")
                .matcher(Files.readString(project.resolve("dbt_project.yml")));
        assertThat(years.find()).as("lovac_years in dbt_project.yml").isTrue();
        return java.util.Arrays.stream(years.group(1).split(",")).map(String::trim).toList();
    }

    private static String hmacSha256(String key, String message) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    "HmacSHA256"));
            return java.util.HexFormat.of().formatHex(mac.doFinal(message.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path copy(Path source, Path target) throws IOException {
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path path : walk.filter(path -> !source.relativize(path).toString().startsWith("target"))
                    .collect(Collectors.toList())) {
                Path copy = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(path, copy);
                }
            }
        }
        return target;
    }
}
