package fr.zlv.entrepot.dbt;

import static org.assertj.core.api.Assertions.assertThat;

import fr.zlv.entrepot.dbt.DbtEngine.Selection;
import fr.zlv.entrepot.dbt.run.NodeResult;
import fr.zlv.entrepot.demo.files.LakeFiles;
import fr.zlv.entrepot.demo.production.ProductionDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warehouse's LOVAC models on PostgreSQL: the demo's LOVAC files (2019-2025, both formats, decimal commas,
 * French dates, latin-1) loaded as text into schema lovac of a replica of the demo's production database (same
 * seed, so the local ids match), then the LOVAC staging and history, the housing mart with its LOVAC columns, the
 * BI mart and the exits from vacancy build there.
 */
class WarehouseLovacPostgresIT {

    private static final long HOUSINGS = 300;
    private static final long SEED = 11;

    @TempDir
    Path directory;

    @Test
    void theLovacModelsAndTheMartsOnThemRunOnPostgresql() throws Exception {
        String name = "warehouse_lovac_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        ProductionDatabase.create(TestPostgres.server(), name, ProductionDatabase.Options.of(HOUSINGS, SEED),
                ProductionDatabase.Progress.NONE);
        TestPostgres.Database replica = new TestPostgres.Database(name);
        try {
            replica.execute("create schema production");
            for (List<Object> table : replica.rows("select table_name from information_schema.tables where table_schema"
                    + " = 'public' and table_name not like 'fast_housing_%' order by 1")) {
                String t = String.valueOf(table.get(0));
                replica.execute("create view production." + (t.equals("fast_housing") ? "housing" : t)
                        + " as select * from public." + t);
            }
            Path project = WarehousePostgresIT.copy(Path.of("..", "warehouse", "dbt"), directory.resolve("dbt"));
            List<String> years = WarehousePostgresIT.lovacYears(project);
            Map<String, Long> loaded = loadLovac(replica, LakeFiles.write(SEED, HOUSINGS, directory.resolve("lake")));
            assertThat(loaded.keySet()).containsExactlyInAnyOrderElementsOf(
                    years.stream().map(year -> "lovac_" + year).toList());

            Path profiles = Files.createDirectories(directory.resolve("profiles"));
            Files.writeString(profiles.resolve("profiles.yml"), "entrepot:\n  target: pg\n  outputs:\n"
                    + replica.target("pg", "public", 4));
            List<String> console = new CopyOnWriteArrayList<>();
            Map<String, String> environment = new HashMap<>(replica.environment());
            environment.put("ENTREPOT_PII_KEY", "a-test-key-" + UUID.randomUUID());
            try (DbtEngine dbt = DbtEngine.load(DbtEngine.Options.of(project).withProfilesDir(profiles)
                    .withEnvironment(environment).withConsole(console::add).withVars(Map.of("as_of_date", "2026-11-01")))) {
                DbtEngine.CommandResult result = dbt.run(new Selection(List.of("staging.lovac", "intermediate.lovac",
                        "staging.production", "intermediate.production", "marts.production", "marts_bi_housing_complete",
                        "int_analysis_housing_out"), List.of(), null));
                List<String> failed = result.results().stream().filter(NodeResult::failed)
                        .map(r -> r.node().name() + ": " + r.message()).toList();
                assertThat(failed).as(String.join("\n", console)).isEmpty();

                // Each year's staging holds the file's rows; the union keeps one row per housing and year.
                for (String year : years) {
                    assertThat(replica.rows("select count(*) from stg.stg_lovac_" + year).get(0).get(0))
                            .as("stg_lovac_" + year).isEqualTo(loaded.get("lovac_" + year));
                }
                assertThat(replica.rows("select count(*) = count(distinct (lovac_year, local_id)), count(*) > 0,"
                        + " count(distinct lovac_year) from stg.stg_lovac_all").get(0))
                        .containsExactly(true, true, (long) years.size());
                // The text the files hold became numbers, dates and ages: the decimal-comma areas (2023 on), the
                // French dates of the last transfer (2023 on) and the owners' ages read from dd/mm/yyyy births.
                assertThat(replica.rows("select count(living_area) > 0, min(living_area) > 0,"
                        + " count(*) filter (where lovac_year >= 2023 and last_mutation_date is not null) > 0,"
                        + " bool_and(last_mutation_year = extract(year from last_mutation_date)),"
                        + " count(main_owner_age) > 0, min(main_owner_age) >= 0, max(main_owner_age) < 130,"
                        + " count(is_main_owner_local) > 0, count(*) filter (where lovac_year >= 2023 and longitude is not null) > 0"
                        + " from stg.stg_lovac_all").get(0)).containsOnly(true);

                // The history: one row per local, its years counted as the union lists them.
                assertThat(replica.rows("select (select count(*) from int.int_lovac_housing_history),"
                        + " (select count(distinct local_id) from stg.stg_lovac_all),"
                        + " (select sum(lovac_years_count) from int.int_lovac_housing_history),"
                        + " (select count(*) from stg.stg_lovac_all)").get(0))
                        .satisfies(row -> {
                            assertThat(row.get(0)).isEqualTo(row.get(1));
                            assertThat(((Number) row.get(2)).longValue()).isEqualTo(((Number) row.get(3)).longValue());
                        });

                // The housing mart now has LOVAC columns: the production housings found in LOVAC are those whose
                // local id is in the history.
                assertThat(replica.rows("select count(*) filter (where lovac_years_count > 0), (select count(*) from"
                        + " marts.marts_production_housing h where exists (select 1 from int.int_lovac_housing_history l"
                        + " where l.local_id = h.local_id)), count(*) from marts.marts_production_housing").get(0))
                        .satisfies(row -> {
                            assertThat((Long) row.get(0)).isPositive().isEqualTo(row.get(1));
                            assertThat(row.get(2)).isEqualTo(HOUSINGS);
                        });
                // The BI mart: one row per housing; days from the first contact to the exit only for exits after it.
                assertThat(replica.rows("select count(*), count(*) filter (where days_from_first_contact_to_exit < 0),"
                        + " count(*) filter (where days_from_first_contact_to_exit is not null and not is_exit_after_contact)"
                        + " from marts.marts_bi_housing_complete").get(0)).containsExactly(HOUSINGS, 0L, 0L);

                // Exits between LOVAC years: every vacant housing of a year with a next millésime, its exit counted
                // when it is absent from the next file or occupied there.
                List<Object> exits = replica.rows("select count(*), count(*) filter (where is_out_of_vacancy),"
                        + " (select count(*) from stg.stg_lovac_all v where v.is_vacant and v.lovac_year < "
                        + years.stream().mapToInt(Integer::parseInt).max().getAsInt() + "),"
                        + " (select count(*) from stg.stg_lovac_all v where v.is_vacant and not exists (select 1"
                        + " from stg.stg_lovac_all n where n.local_id = v.local_id and n.lovac_year = v.lovac_year + 1"
                        + " and n.is_vacant) and v.lovac_year < "
                        + years.stream().mapToInt(Integer::parseInt).max().getAsInt() + ")"
                        + " from int.int_analysis_housing_out").get(0);
                assertThat((Long) exits.get(1)).isPositive().isLessThan((Long) exits.get(0));
                assertThat(exits.get(0)).isEqualTo(exits.get(2));
                assertThat(exits.get(1)).isEqualTo(exits.get(3));
            }
        } finally {
            replica.close();
        }
    }

    /**
     * Loads each LOVAC file into lovac.lovac_YEAR of PostgreSQL, every column as text, as the files hold them
     * (DuckDB reads the CSV: its delimiter, encoding and quoting vary by year). Returns the rows of each table.
     */
    private static Map<String, Long> loadLovac(TestPostgres.Database replica, List<LakeFiles.LakeFile> files)
            throws SQLException {
        replica.execute("create schema lovac");
        Map<String, Long> loaded = new HashMap<>();
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
                Connection postgres = replica.connect()) {
            for (LakeFiles.LakeFile file : files) {
                if (!file.source().matches("lovac_[0-9]{4}")) {
                    continue;
                }
                String year = file.source().substring("lovac_".length());
                String encoding = year.equals("2023") || year.equals("2024") ? "latin-1" : "utf-8";
                try (Statement read = duckdb.createStatement(); ResultSet rows = read.executeQuery(
                        "select * from read_csv('" + file.file().toString().replace("'", "''") + "', header = true,"
                                + " all_varchar = true, encoding = '" + encoding + "')")) {
                    int columns = rows.getMetaData().getColumnCount();
                    List<String> names = new ArrayList<>();
                    for (int c = 1; c <= columns; c++) {
                        names.add("\"" + rows.getMetaData().getColumnName(c) + "\"");
                    }
                    String table = "lovac." + file.source();
                    replica.execute("create table " + table + " (" + names.stream().map(n -> n + " text")
                            .collect(Collectors.joining(", ")) + ")");
                    long count = 0;
                    try (PreparedStatement insert = postgres.prepareStatement("insert into " + table + " values ("
                            + String.join(", ", java.util.Collections.nCopies(columns, "?")) + ")")) {
                        while (rows.next()) {
                            for (int c = 1; c <= columns; c++) {
                                insert.setString(c, rows.getString(c));
                            }
                            insert.addBatch();
                            count++;
                        }
                        insert.executeBatch();
                    }
                    loaded.put(file.source(), count);
                }
            }
        }
        return loaded;
    }
}
