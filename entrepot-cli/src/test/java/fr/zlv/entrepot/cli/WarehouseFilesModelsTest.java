package fr.zlv.entrepot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import fr.zlv.entrepot.dbt.DbtEngine;
import fr.zlv.entrepot.dbt.run.NodeResult;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The yearly-files side of the warehouse's dbt project ({@code ../warehouse/dbt}: LOVAC, land files, reference
 * files, the exit-from-vacancy analysis, the territories) on a small hand-made warehouse whose figures are known.
 *
 * <p>LOVAC 2023 lists six vacant housings. A was contacted by a campaign sent in May 2023 and is absent from LOVAC
 * 2024: an exit after contact. B is absent from 2024 without any campaign. C stays vacant. D is listed in 2024 as
 * rented (occupancy L): an exit too. E is absent from 2024 but its campaign was sent in March 2024, after the exit:
 * not an exit after contact. F's campaign was never sent and it stays vacant. G enters LOVAC in 2024. LOVAC 2022
 * lists A and C; the other millésimes are loaded empty. The raw tables hold text as the files do (decimal commas,
 * French dates) and the owners' names, birth dates and addresses, which must not reach the marts.
 */
class WarehouseFilesModelsTest {

    private static final Path PROJECT = Path.of("..", "warehouse", "dbt");

    @TempDir
    static Path workspace;

    private static Path database;
    private static DbtEngine.CommandResult build;
    private static final List<String> console = new ArrayList<>();

    private static final List<String> LOVAC_OLD = List.of("invariant", "ff_idlocal", "ff_idbat", "ff_idpar", "ff_idcom",
            "ff_ccodep", "ff_ccocom", "ff_dnvoiri", "ff_dvoilib", "ff_dteloc", "ff_stoth", "ff_npiece_p2", "ff_jannath",
            "ff_dcapec2", "ff_vlcad", "ff_ccthp", "debutvacance", "anmutation", "ff_ndroit", "groupe");
    private static final List<String> LOVAC_NEW = List.of("invariant", "ff_idlocal", "ff_idbat", "ff_idpar", "ff_idcom",
            "ff_ccodep", "ff_ccocom", "ff_dnvoiri", "ff_dvoilib", "ff_dteloc", "ff_stoth", "ff_npiece_p2", "ff_jannath",
            "ff_dcapec2", "ff_vlcad", "ffh_ccthp", "ffh_debutvacance", "dvf_datemut", "ff_ndroit", "groupe", "ff_x", "ff_y",
            "potentiel_tlv_thlv");

    private static final String A = "010000000001";
    private static final String B = "010000000002";
    private static final String C = "010000000003";
    private static final String D = "010000000004";
    private static final String E = "010000000005";
    private static final String F = "010000000006";
    private static final String G = "010000000007";

    @BeforeAll
    static void buildTheProjectOnAHandMadeWarehouse() throws SQLException {
        database = workspace.resolve("files.duckdb");
        createRawTables(database);
        Map<String, String> environment = new LinkedHashMap<>(System.getenv());
        environment.put("ENTREPOT_WAREHOUSE", database.toString());
        environment.put("ENTREPOT_PII_KEY", "a test key for the pseudonyms");
        environment.put("ENTREPOT_DBT_THREADS", "2");
        try (DbtEngine dbt = DbtEngine.load(DbtEngine.Options.of(PROJECT).withEnvironment(environment)
                .withConsole(console::add))) {
            build = dbt.build(DbtEngine.Selection.of("path:models/staging/lovac", "path:models/staging/ff",
                    "path:models/staging/external", "path:models/staging/admin", "path:models/intermediate/lovac",
                    "path:models/intermediate/analysis", "path:models/marts/analysis", "path:models/marts/admin"));
        }
    }

    // ------------------------------------------------------------------ the hand-made raw tables

    /** The hand-made raw tables (and the production staging the analysis reads) in a new DuckDB file. */
    static void createRawTables(Path database) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + database);
             Statement sql = connection.createStatement()) {
            for (String schema : List.of("lovac", "ff", "external", "stg")) {
                sql.execute("CREATE SCHEMA " + schema);
            }
            lovacTables(sql);
            landFiles(sql);
            referenceFiles(sql);
            productionStaging(sql);
        }
    }

    private static void lovacTables(Statement sql) throws SQLException {
        for (int year = 2019; year <= 2025; year++) {
            List<String> columns = new ArrayList<>(year >= 2023 ? LOVAC_NEW : LOVAC_OLD);
            for (int k = 1; k <= 6; k++) {
                columns.addAll(List.of("ff_ddenom_" + k, "ff_jdatnss_" + k, "ff_ccogrm_" + k, "ff_dlign4_" + k,
                        "ff_dlign6_" + k));
            }
            sql.execute("CREATE TABLE lovac.lovac_" + year + " ("
                    + columns.stream().map(c -> c + " VARCHAR").collect(Collectors.joining(", ")) + ")");
        }
        // 2022, the old format: years, points, occupancy in ff_ccthp.
        lovacRow(sql, 2022, A, "01001", Map.of("ff_ccthp", "V", "debutvacance", "2019", "ff_stoth", "45.5"));
        lovacRow(sql, 2022, C, "01002", Map.of("ff_ccthp", "V", "debutvacance", "2018", "ff_stoth", "80"));
        // 2023, the new format: decimal commas, French dates, occupancy in ffh_ccthp.
        lovacRow(sql, 2023, A, "01001", Map.of("ffh_ccthp", "V", "ffh_debutvacance", "2019", "ff_stoth", "45,5",
                "dvf_datemut", "15/03/2018", "ff_vlcad", "1234,56"));
        lovacRow(sql, 2023, B, "01001", Map.of("ffh_ccthp", "V", "ffh_debutvacance", "2020"));
        lovacRow(sql, 2023, C, "01002", Map.of("ffh_ccthp", "V", "ffh_debutvacance", "2018", "ff_stoth", "80"));
        lovacRow(sql, 2023, D, "01002", Map.of("ffh_ccthp", "V", "ffh_debutvacance", "2021"));
        lovacRow(sql, 2023, E, "01001", Map.of("ffh_ccthp", "V", "ffh_debutvacance", "2021"));
        lovacRow(sql, 2023, F, "01001", Map.of("ffh_ccthp", "V", "ffh_debutvacance", "2020"));
        lovacRow(sql, 2024, C, "01002", Map.of("ffh_ccthp", "V", "ffh_debutvacance", "2018"));
        lovacRow(sql, 2024, D, "01002", Map.of("ffh_ccthp", "L", "ffh_debutvacance", "2021"));
        lovacRow(sql, 2024, F, "01001", Map.of("ffh_ccthp", "V", "ffh_debutvacance", "2020"));
        lovacRow(sql, 2024, G, "01002", Map.of("ffh_ccthp", "V", "ffh_debutvacance", "2022"));
    }

    private static void lovacRow(Statement sql, int year, String localId, String commune, Map<String, String> values)
            throws SQLException {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("invariant", commune + localId.substring(9));
        row.put("ff_idlocal", localId);
        row.put("ff_idbat", commune + "B" + localId.substring(11));
        row.put("ff_idpar", commune + "AB0001");
        row.put("ff_idcom", commune);
        row.put("ff_ccodep", commune.substring(0, 2));
        row.put("ff_ccocom", commune.substring(2));
        row.put("ff_dnvoiri", "12");
        row.put("ff_dvoilib", "RUE DES LILAS");
        row.put("ff_dteloc", "2");
        row.put("ff_npiece_p2", "3");
        row.put("ff_jannath", "1960");
        row.put("ff_dcapec2", "6");
        row.put("ff_ndroit", "1");
        row.put("groupe", "particulier");
        row.put("ff_ddenom_1", "DUPONT Jeanne");
        row.put("ff_jdatnss_1", "15/06/1950");
        row.put("ff_dlign4_1", "3 PLACE DU MARCHE");
        row.put("ff_dlign6_1", "01000 BOURG-EN-BRESSE");
        row.putAll(values);
        sql.execute("INSERT INTO lovac.lovac_" + year + " (" + String.join(", ", row.keySet()) + ") VALUES ("
                + row.values().stream().map(v -> "'" + v + "'").collect(Collectors.joining(", ")) + ")");
    }

    private static void landFiles(Statement sql) throws SQLException {
        String housing = "idlocal VARCHAR, idbat VARCHAR, idpar VARCHAR, idcom VARCHAR, ccodep VARCHAR, ccocom VARCHAR,"
                + " dteloc BIGINT, stoth BIGINT, npiece_p2 BIGINT, jannath BIGINT, dcapec2 BIGINT, ccthp VARCHAR,"
                + " jdatat DATE";
        sql.execute("CREATE TABLE ff.ff_2023 (" + housing + ")");
        sql.execute("CREATE TABLE ff.ff_2024 (" + housing + ")");
        String[][] housings = {{A, "01001"}, {B, "01001"}, {C, "01002"}, {D, "01002"}, {E, "01001"}, {F, "01001"},
                {G, "01002"}};
        for (String[] h : housings) {
            sql.execute("INSERT INTO ff.ff_2024 VALUES ('" + h[0] + "', '" + h[1] + "B1', '" + h[1] + "AB0001', '"
                    + h[1] + "', '01', '" + h[1].substring(2) + "', 2, 50, 3, 1960, 6, 'V', NULL)");
        }
        sql.execute("CREATE TABLE ff.ff_2024_buildings (idbat VARCHAR, idcom VARCHAR, nlogh BIGINT, nloghvac BIGINT)");
        sql.execute("INSERT INTO ff.ff_2024_buildings VALUES ('01001B1', '01001', 4, 4), ('01002B1', '01002', 3, 3)");
        sql.execute("CREATE TABLE ff.ff_2024_owners (idprocpte VARCHAR, idlocal VARCHAR, dnulp VARCHAR,"
                + " idpersonne VARCHAR, ddenom VARCHAR, jdatnss VARCHAR, ccogrm VARCHAR, catpro2txt VARCHAR,"
                + " dlign4 VARCHAR, dlign6 VARCHAR)");
        sql.execute("INSERT INTO ff.ff_2024_owners VALUES ('01001000001', '" + A + "', '01', '01001P0001',"
                + " 'DUPONT Jeanne', '15/06/1950', NULL, 'PERSONNE PHYSIQUE', '3 PLACE DU MARCHE',"
                + " '01000 BOURG-EN-BRESSE')");
    }

    private static void referenceFiles(Statement sql) throws SQLException {
        sql.execute("CREATE TABLE external.communes (code VARCHAR, nom VARCHAR, code_epci VARCHAR,"
                + " code_departement VARCHAR, code_region VARCHAR, population BIGINT, codes_postaux VARCHAR)");
        sql.execute("INSERT INTO external.communes VALUES ('01001', 'Bourg', '200000001', '01', '84', 40000, '01000'),"
                + " ('01002', 'Val', '200000001', '01', '84', 3000, '01010')");
        sql.execute("CREATE TABLE external.epci (code VARCHAR, nom VARCHAR, type VARCHAR)");
        sql.execute("INSERT INTO external.epci VALUES ('200000001', 'CA du Bassin', 'CA')");
        sql.execute("CREATE TABLE external.departements (code VARCHAR, nom VARCHAR, code_region VARCHAR)");
        sql.execute("INSERT INTO external.departements VALUES ('01', 'Ain', '84')");
        sql.execute("CREATE TABLE external.regions (code VARCHAR, nom VARCHAR)");
        sql.execute("INSERT INTO external.regions VALUES ('84', 'Auvergne-Rhône-Alpes')");
        sql.execute("CREATE TABLE external.insee_cog_2024 (TYPECOM VARCHAR, COM VARCHAR, REG VARCHAR, DEP VARCHAR,"
                + " CTCD VARCHAR, ARR VARCHAR, TNCC BIGINT, NCC VARCHAR, NCCENR VARCHAR, LIBELLE VARCHAR, CAN VARCHAR,"
                + " COMPARENT VARCHAR)");
        sql.execute("INSERT INTO external.insee_cog_2024 VALUES ('COM', '01001', '84', '01', '01D', '011', 0, 'BOURG',"
                + " 'Bourg', 'Bourg', '0101', NULL), ('COM', '01002', '84', '01', '01D', '011', 0, 'VAL', 'Val', 'Val',"
                + " '0101', NULL)");
        sql.execute("CREATE TABLE external.insee_table_appartenance_geo_communes_2025 (CODGEO VARCHAR, LIBGEO VARCHAR,"
                + " DEP VARCHAR, REG VARCHAR, EPCI VARCHAR, NATURE_EPCI VARCHAR)");
        sql.execute("INSERT INTO external.insee_table_appartenance_geo_communes_2025 VALUES"
                + " ('01001', 'Bourg', '01', '84', '200000001', 'CA'), ('01002', 'Val', '01', '84', '200000001', 'CA')");
        for (int year = 2019; year <= 2022; year++) {
            sql.execute("CREATE TABLE external.insee_recensement_historique_" + year
                    + " (CODGEO VARCHAR, LIBGEO VARCHAR, PMUN BIGINT)");
            sql.execute("INSERT INTO external.insee_recensement_historique_" + year + " VALUES ('01001', 'Bourg', "
                    + (39000 + (year - 2019) * 100) + "), ('01002', 'Val', 3000)");
        }
        sql.execute("CREATE TABLE external.dgfip_liste_communes_tlv1_tlv2 (code_commune VARCHAR,"
                + " libelle_commune VARCHAR, zonage_tlv VARCHAR)");
        sql.execute("INSERT INTO external.dgfip_liste_communes_tlv1_tlv2 VALUES ('01001', 'Bourg', 'TLV2')");
        sql.execute("CREATE TABLE external.dgaln_zonage_abc (code_commune VARCHAR, zone_abc VARCHAR)");
        sql.execute("INSERT INTO external.dgaln_zonage_abc VALUES ('01001', 'B1'), ('01002', 'C')");
        sql.execute("CREATE TABLE external.anah_aides_logements_2024 (code_commune VARCHAR, logements_aides BIGINT,"
                + " montant_aides DOUBLE, dont_sortie_vacance BIGINT)");
        sql.execute("INSERT INTO external.anah_aides_logements_2024 VALUES ('01001', 5, 40000.5, 2)");
    }

    /** The production staging this side reads, as the production models give it (their own test covers them). */
    private static void productionStaging(Statement sql) throws SQLException {
        sql.execute("CREATE TABLE stg.stg_production_housing (housing_id UUID, local_id VARCHAR, commune_code VARCHAR)");
        sql.execute("INSERT INTO stg.stg_production_housing VALUES"
                + " ('00000000-0000-0000-0000-00000000000a', '" + A + "', '01001'),"
                + " ('00000000-0000-0000-0000-00000000000b', '" + B + "', '01001'),"
                + " ('00000000-0000-0000-0000-00000000000c', '" + C + "', '01002'),"
                + " ('00000000-0000-0000-0000-00000000000d', '" + D + "', '01002'),"
                + " ('00000000-0000-0000-0000-00000000000e', '" + E + "', '01001'),"
                + " ('00000000-0000-0000-0000-00000000000f', '" + F + "', '01001')");
        sql.execute("CREATE TABLE stg.stg_production_campaigns (campaign_id UUID, campaign_title VARCHAR,"
                + " establishment_id UUID, campaign_status VARCHAR, created_at TIMESTAMPTZ, sent_at TIMESTAMPTZ)");
        sql.execute("INSERT INTO stg.stg_production_campaigns VALUES"
                + " ('00000000-0000-0000-0000-0000000000c1', 'Vacance 2023', NULL, 'in-progress',"
                + " '2023-04-01 10:00:00+00', '2023-05-10 10:00:00+00'),"
                + " ('00000000-0000-0000-0000-0000000000c2', 'Relance 2024', NULL, 'in-progress',"
                + " '2024-02-01 10:00:00+00', '2024-03-01 10:00:00+00'),"
                + " ('00000000-0000-0000-0000-0000000000c3', 'Brouillon', NULL, 'draft', '2023-01-05 10:00:00+00', NULL)");
        sql.execute("CREATE TABLE stg.stg_production_campaigns_housing (campaign_id UUID, housing_id UUID,"
                + " commune_code VARCHAR)");
        sql.execute("INSERT INTO stg.stg_production_campaigns_housing VALUES"
                + " ('00000000-0000-0000-0000-0000000000c1', '00000000-0000-0000-0000-00000000000a', '01001'),"
                + " ('00000000-0000-0000-0000-0000000000c2', '00000000-0000-0000-0000-00000000000e', '01001'),"
                + " ('00000000-0000-0000-0000-0000000000c3', '00000000-0000-0000-0000-00000000000f', '01001')");
    }

    // ------------------------------------------------------------------ reading the results

    private static List<Map<String, Object>> rows(String query) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + database);
             Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(query)) {
            List<Map<String, Object>> rows = new ArrayList<>();
            while (result.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int c = 1; c <= result.getMetaData().getColumnCount(); c++) {
                    row.put(result.getMetaData().getColumnLabel(c), result.getObject(c));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    private static Map<String, Object> row(String query) throws SQLException {
        List<Map<String, Object>> rows = rows(query);
        assertThat(rows).as(query).hasSize(1);
        return rows.get(0);
    }

    // ------------------------------------------------------------------ the figures

    @Test
    void everyModelAndTestOfTheYearlyFilesSidePasses() {
        List<String> problems = build.results().stream().filter(r -> r.status() != NodeResult.Status.SUCCESS
                        && r.status() != NodeResult.Status.PASS)
                .map(r -> r.node().name() + ": " + r.status() + " " + r.message()).toList();
        assertThat(problems).as(String.join("\n", console)).isEmpty();
        assertThat(build.results()).hasSizeGreaterThan(100);
    }

    @Test
    void aHousingContactedIn2023AndOutOfLovac2024CountsAsAnExitAfterContact() throws SQLException {
        Map<String, Object> a = row("SELECT * FROM marts.marts_analysis_housing_out WHERE local_id = '" + A
                + "' AND lovac_year = 2023");
        assertThat(a).containsEntry("next_lovac_year", 2024).containsEntry("is_out_of_vacancy", true)
                .containsEntry("exit_kind", "absent").containsEntry("is_contacted_before", true)
                .containsEntry("campaign_count_before", 1L).containsEntry("is_exit_after_contact", true);
        // Contacted after the exit (March 2024): an exit, not an exit after contact.
        assertThat(row("SELECT is_out_of_vacancy, is_contacted_before, is_exit_after_contact"
                + " FROM marts.marts_analysis_housing_out WHERE local_id = '" + E + "'"))
                .containsEntry("is_out_of_vacancy", true).containsEntry("is_contacted_before", false)
                .containsEntry("is_exit_after_contact", false);
        // A campaign never sent contacts nobody.
        assertThat(row("SELECT is_contacted_before, is_out_of_vacancy FROM marts.marts_analysis_housing_out"
                + " WHERE local_id = '" + F + "'")).containsEntry("is_contacted_before", false)
                .containsEntry("is_out_of_vacancy", false);
        // Listed as rented in LOVAC 2024: out of vacancy although in the file.
        assertThat(row("SELECT is_in_next_lovac, next_occupancy, exit_kind, is_out_of_vacancy"
                + " FROM marts.marts_analysis_housing_out WHERE local_id = '" + D + "'"))
                .containsEntry("is_in_next_lovac", true).containsEntry("next_occupancy", "L")
                .containsEntry("exit_kind", "occupied").containsEntry("is_out_of_vacancy", true);
        assertThat(row("SELECT count(*) AS n, count(*) FILTER (WHERE is_out_of_vacancy) AS exits,"
                + " count(*) FILTER (WHERE is_exit_after_contact) AS exits_after_contact"
                + " FROM marts.marts_analysis_housing_out WHERE lovac_year = 2023"))
                .containsEntry("n", 6L).containsEntry("exits", 4L).containsEntry("exits_after_contact", 1L);
        // 2022 -> 2023: both stay; 2024 has no loaded next millésime, so no row.
        assertThat(rows("SELECT lovac_year, count(*) AS n, count(*) FILTER (WHERE is_out_of_vacancy) AS exits"
                + " FROM marts.marts_analysis_housing_out GROUP BY ALL ORDER BY lovac_year"))
                .containsExactly(Map.of("lovac_year", 2022, "n", 2L, "exits", 0L),
                        Map.of("lovac_year", 2023, "n", 6L, "exits", 4L));
    }

    @Test
    void theCityAggregatesCountStockEntriesExitsAndContacts() throws SQLException {
        assertThat(row("SELECT vacant_housing_count, exit_count, exit_rate, contacted_housing_count,"
                + " contacted_exit_count, contacted_exit_rate, not_contacted_exit_rate, epci_code"
                + " FROM marts.marts_analysis_city_aggregated WHERE commune_code = '01001' AND lovac_year = 2023"))
                .containsEntry("vacant_housing_count", 4L).containsEntry("exit_count", 3L)
                .containsEntry("exit_rate", 0.75).containsEntry("contacted_housing_count", 1L)
                .containsEntry("contacted_exit_count", 1L).containsEntry("contacted_exit_rate", 1.0)
                .containsEntry("not_contacted_exit_rate", 0.6667).containsEntry("epci_code", "200000001");
        // 2024 in Val: C still vacant, G new, D rented (not in the stock); no next millésime yet.
        assertThat(row("SELECT vacant_housing_count, entry_count, exit_count, exit_rate"
                + " FROM marts.marts_analysis_city_aggregated WHERE commune_code = '01002' AND lovac_year = 2024"))
                .containsEntry("vacant_housing_count", 2L).containsEntry("entry_count", 1L)
                .containsEntry("exit_count", null).containsEntry("exit_rate", null);
    }

    @Test
    void theHistoryTellsEachHousingsMillesimes() throws SQLException {
        assertThat(row("SELECT * FROM int.int_lovac_housing_history WHERE local_id = '" + A + "'"))
                .containsEntry("first_lovac_year", 2022).containsEntry("last_lovac_year", 2023)
                .containsEntry("lovac_years_count", 2L).containsEntry("is_in_lovac_2019", false)
                .containsEntry("is_in_lovac_2022", true).containsEntry("is_in_lovac_2023", true)
                .containsEntry("is_in_lovac_2024", false).containsEntry("last_vacancy_start_year", 2019);
        assertThat(row("SELECT last_lovac_year, last_vacant_lovac_year, is_vacant_in_last_lovac, is_in_latest_lovac"
                + " FROM int.int_lovac_housing_history WHERE local_id = '" + D + "'"))
                .containsEntry("last_lovac_year", 2024).containsEntry("last_vacant_lovac_year", 2023)
                .containsEntry("is_vacant_in_last_lovac", false).containsEntry("is_in_latest_lovac", true);
        assertThat(row("SELECT count(*) AS n FROM int.int_lovac_housing_history")).containsEntry("n", 7L);
    }

    @Test
    void everyMillesimeIsReadInTheCommonColumnSet() throws SQLException {
        String columns = "SELECT living_area, rental_value, last_mutation_year, last_mutation_date, occupancy,"
                + " vacancy_start_year, main_owner_age, is_main_owner_local, housing_kind FROM stg.stg_lovac_all"
                + " WHERE local_id = '" + A + "' AND lovac_year = ";
        // The old format: a decimal point, the transfer as a year (none here), occupancy in ff_ccthp.
        assertThat(row(columns + 2022)).containsEntry("living_area", 45.5).containsEntry("last_mutation_year", null)
                .containsEntry("occupancy", "V").containsEntry("vacancy_start_year", 2019)
                .containsEntry("main_owner_age", 71L).containsEntry("is_main_owner_local", true)
                .containsEntry("housing_kind", "APPART");
        // The 2023 format: decimal commas, a French date, occupancy in ffh_ccthp.
        assertThat(row(columns + 2023)).containsEntry("living_area", 45.5).containsEntry("rental_value", 1234.56)
                .containsEntry("last_mutation_year", 2018L)
                .containsEntry("last_mutation_date", java.time.LocalDate.of(2018, 3, 15))
                .containsEntry("occupancy", "V").containsEntry("main_owner_age", 72L);
        // The owners' names, birth dates and addresses stop at the raw tables.
        assertThat(rows("SELECT column_name FROM information_schema.columns WHERE table_schema IN ('stg', 'int')"
                + " AND (column_name LIKE 'ff_ddenom%' OR column_name LIKE 'ff_jdatnss%' OR column_name LIKE 'ff_dlign%'"
                + " OR column_name IN ('ddenom', 'jdatnss', 'dlign4', 'dlign6'))")).isEmpty();
    }

    @Test
    void theFeaturesAreModelReadyAndCarryNoPersonalData() throws SQLException {
        List<Map<String, Object>> features = rows("SELECT * FROM marts.marts_analysis_housing_features"
                + " WHERE lovac_year = 2023 ORDER BY exit_label DESC, housing_key");
        assertThat(features).hasSize(6);
        assertThat(features).allSatisfy(row -> assertThat((String) row.get("housing_key")).matches("[0-9a-f]{64}"));
        assertThat(features).extracting(row -> row.get("exit_label")).containsExactly(1, 1, 1, 1, 0, 0);
        Map<String, Object> a = row("SELECT f.* FROM marts.marts_analysis_housing_features f"
                + " WHERE lovac_year = 2023 AND living_area = 45.5");
        assertThat(a).containsEntry("rental_value", 1234.56).containsEntry("main_owner_age_band", "60_74")
                .containsEntry("lovac_years_before", 1L).containsEntry("is_new_in_lovac", false)
                .containsEntry("years_since_last_mutation", 5L).containsEntry("zone_abc", "B1")
                .containsEntry("tlv_zoning", "TLV2").containsEntry("is_contacted_before", true)
                .containsEntry("exit_label", 1);
        // No name, birth date or address of an owner reaches a mart, nor the land-file ids.
        List<Map<String, Object>> columns = rows("SELECT table_name, column_name FROM information_schema.columns"
                + " WHERE table_schema = 'marts' AND table_name = 'marts_analysis_housing_features'");
        assertThat(columns).extracting(c -> c.get("column_name")).doesNotContain("local_id", "housing_id",
                "invariant", "building_id", "plot_id", "longitude", "latitude", "main_owner_age");
        for (Map<String, Object> column : rows("SELECT table_name, column_name FROM information_schema.columns"
                + " WHERE table_schema = 'marts' AND data_type = 'VARCHAR'")) {
            String found = "SELECT count(*) AS n FROM marts." + column.get("table_name") + " WHERE "
                    + column.get("column_name") + " ILIKE '%DUPONT%' OR " + column.get("column_name")
                    + " LIKE '%1950%' OR " + column.get("column_name") + " ILIKE '%PLACE DU MARCHE%'";
            assertThat(row(found)).as(column.toString()).containsEntry("n", 0L);
        }
    }

    @Test
    void theTerritoriesCarryPopulationAndVacancy() throws SQLException {
        assertThat(row("SELECT * FROM marts.marts_admin_communes WHERE commune_code = '01002'"))
                .containsEntry("epci_name", "CA du Bassin").containsEntry("department_name", "Ain")
                .containsEntry("region_name", "Auvergne-Rhône-Alpes").containsEntry("census_year", 2022)
                .containsEntry("census_population", 3000).containsEntry("housing_count", 3L)
                .containsEntry("lovac_year", 2024).containsEntry("vacant_housing_count", 2L)
                .containsEntry("vacancy_rate", 0.6667).containsEntry("exit_lovac_year", 2023)
                .containsEntry("exit_count", 1L).containsEntry("exit_rate", 0.5).containsEntry("tlv_zoning", "none");
        assertThat(row("SELECT exit_count, exit_rate, anah_aided_housing_count, census_population_change_pct"
                + " FROM marts.marts_admin_communes WHERE commune_code = '01001'"))
                .containsEntry("exit_count", 3L).containsEntry("exit_rate", 0.75)
                .containsEntry("anah_aided_housing_count", 5L).containsEntry("census_population_change_pct", 0.77);
        assertThat(row("SELECT * FROM marts.marts_admin_epci"))
                .containsEntry("epci_code", "200000001").containsEntry("commune_count", 2L)
                .containsEntry("population", 43000L).containsEntry("housing_count", 7L)
                .containsEntry("vacant_housing_count", 3L).containsEntry("vacancy_rate", 0.4286)
                .containsEntry("exit_count", 4L).containsEntry("exit_rate", 0.6667);
    }
}
