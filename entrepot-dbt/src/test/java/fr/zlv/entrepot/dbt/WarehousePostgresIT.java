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
     * How far the warehouse's production models run on PostgreSQL itself: on a replica of the demo's production
     * database (its tables seen as schema production, as the daily sync names them), the staging models written in
     * SQL both engines read build; those using DuckDB's functions fail with PostgreSQL's message naming the function,
     * and what is built on them is skipped. This records the state the documentation describes.
     */
    @Test
    void productionModelsRunOnAPostgresqlReplicaButThoseWrittenInDuckDbsSql() throws IOException {
        String name = "warehouse_replica_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        fr.zlv.entrepot.demo.production.ProductionDatabase.create(TestPostgres.server(), name,
                fr.zlv.entrepot.demo.production.ProductionDatabase.Options.of(300, 11),
                fr.zlv.entrepot.demo.production.ProductionDatabase.Progress.NONE);
        TestPostgres.Database replica = new TestPostgres.Database(name);
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
            environment.put("ENTREPOT_PII_KEY", "a-test-key");
            try (DbtEngine dbt = DbtEngine.load(DbtEngine.Options.of(project).withProfilesDir(profiles)
                    .withEnvironment(environment).withConsole(console::add).withVars(Map.of("as_of_date", "2026-11-01")))) {
                DbtEngine.CommandResult result = dbt.run(new Selection(List.of("staging.production", "intermediate.production",
                        "marts.production"), List.of(), null));

                Map<NodeResult.Status, List<String>> byStatus = result.results().stream().collect(Collectors.groupingBy(
                        NodeResult::status, java.util.TreeMap::new, Collectors.mapping(r -> r.node().name(),
                                Collectors.toList())));
                assertThat(byStatus.get(NodeResult.Status.SUCCESS)).as(String.join("\n", console))
                        .containsExactlyInAnyOrder("stg_production_buildings", "stg_production_campaigns",
                                "stg_production_campaigns_housing", "stg_production_geo_perimeters",
                                "stg_production_group_housing_events", "stg_production_groups",
                                "stg_production_groups_housing", "stg_production_housing",
                                "stg_production_housing_document_events", "stg_production_housing_events",
                                "stg_production_housing_notes", "stg_production_notes", "stg_production_owner_events",
                                "stg_production_owner_notes", "stg_production_owners_housing", "stg_production_users",
                                "int_production_campaign_reach");
                assertThat(result.result("stg_production_events").message()).contains("syntax error at or near \"as\"");
                assertThat(result.result("stg_production_establishments").message())
                        .contains("function len(text[]) does not exist");
                assertThat(result.result("stg_production_owners").message())
                        .contains("function regexp_extract(text, unknown, integer) does not exist");
                assertThat(result.result("int_production_housing_campaigns").message())
                        .contains("function arg_min(uuid, timestamp with time zone) does not exist");
                assertThat(byStatus.get(NodeResult.Status.ERROR)).hasSize(4);
                assertThat(byStatus.get(NodeResult.Status.SKIPPED)).contains("marts_production_housing",
                        "marts_production_campaigns", "marts_production_owners");
                // What was built holds the replica's rows.
                assertThat(replica.rows("select (select count(*) from stg.stg_production_housing),"
                        + " (select count(*) from public.fast_housing)").get(0)).containsExactly(300L, 300L);
            }
        } finally {
            replica.close();
        }
    }

    private static Path copy(Path source, Path target) throws IOException {
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
