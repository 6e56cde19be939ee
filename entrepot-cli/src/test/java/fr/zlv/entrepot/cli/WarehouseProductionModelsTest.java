package fr.zlv.entrepot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import fr.zlv.entrepot.dbt.DbtEngine;
import fr.zlv.entrepot.dbt.run.NodeResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warehouse project's production models ({@code warehouse/dbt}) run by the dbt engine on a small hand-made
 * production copy: the business figures they give (last status, monthly KPIs) and the pseudonymisation of owners.
 */
class WarehouseProductionModelsTest {

    private static final Path WAREHOUSE_PROJECT = Path.of("..", "warehouse", "dbt");
    private static final String KEY = "a test key, not the production one";

    // Who and what the hand-made production holds.
    private static final String ESTABLISHMENT = "e0000000-0000-0000-0000-000000000001";
    private static final String USER = "a0000000-0000-0000-0000-000000000001";
    private static final String ZLV_USER = "a0000000-0000-0000-0000-000000000002";
    private static final String FOLLOWED = "10000000-0000-0000-0000-000000000001";
    private static final String EXITED = "10000000-0000-0000-0000-000000000002";
    private static final String UNTOUCHED = "10000000-0000-0000-0000-000000000003";
    private static final String OWNER = "0a000000-0000-0000-0000-000000000001";

    @TempDir
    Path work;

    private Path project;
    private Path warehouse;
    private final List<String> console = new ArrayList<>();

    @BeforeEach
    void aSmallProduction() throws IOException, SQLException {
        project = copyOfTheWarehouseProject();
        warehouse = work.resolve("warehouse.duckdb");
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + warehouse);
             Statement sql = connection.createStatement()) {
            sql.execute("create schema production");
            sql.execute("""
                    create table production.establishments (id uuid, name varchar, siren integer, siret varchar,
                        available boolean, localities_geo_code varchar[], kind varchar, kind_admin varchar,
                        kind_admin_meta varchar, millesime varchar, source varchar, dep_code varchar[], dep_name varchar,
                        reg_code varchar[], reg_name varchar, layer_geo_label varchar, updated_at timestamptz,
                        deleted_at timestamptz, suspended_at timestamptz, suspended_cause varchar)""");
            sql.execute("insert into production.establishments values ('" + ESTABLISHMENT + "', 'Bourg-en-Bresse',"
                    + " 210100533, null, true, ['01053'], 'COM', 'Commune', null, '2024', 'cerema', ['01'], 'Ain',"
                    + " ['84'], 'Auvergne-Rhône-Alpes', 'Commune', null, null, null, null)");
            sql.execute("""
                    create table production.users (id uuid, email varchar, password varchar, first_name varchar,
                        last_name varchar, establishment_id uuid, role integer, activated_at timestamptz,
                        last_authenticated_at timestamptz, deleted_at timestamptz, updated_at timestamptz, phone varchar,
                        position varchar, time_per_week varchar, kind varchar, suspended_at timestamptz,
                        suspended_cause varchar, two_factor_secret varchar, two_factor_code varchar,
                        two_factor_code_generated_at timestamptz, two_factor_enabled_at timestamptz,
                        two_factor_locked_until timestamptz, two_factor_failed_attempts integer)""");
            sql.execute("insert into production.users values"
                    + " ('" + USER + "', 'claire.martin@bourgenbresse.fr', 'x', 'Claire', 'Martin', '" + ESTABLISHMENT
                    + "', 0, '2023-11-20 10:00:00+00', null, null, null, '06 12 34 56 78', null, null, null, null,"
                    + " null, null, null, null, null, null, 0),"
                    + " ('" + ZLV_USER + "', 'equipe@beta.gouv.fr', 'x', 'Équipe', 'ZLV', null, 1,"
                    + " '2024-03-05 10:00:00+00', null, null, null, null, null, null, null, null, null, null, null,"
                    + " null, null, null, 0)");
            sql.execute("""
                    create table production.events (id uuid, type varchar, next_old json, next_new json,
                        created_at timestamptz, created_by uuid)""");
            sql.execute("create table production.housing_events (event_id uuid, housing_id uuid,"
                    + " housing_geo_code varchar)");
            // The followed housing: three status changes, inserted out of order; the last (March 2024) is 3.
            statusChange(sql, "b0000000-0000-0000-0000-000000000003", FOLLOWED, "2024-03-10 09:00:00+00", USER,
                    "Premier contact", null, "Suivi en cours", "En accompagnement");
            statusChange(sql, "b0000000-0000-0000-0000-000000000001", FOLLOWED, "2024-01-15 09:00:00+00", USER,
                    "Non suivi", null, "En attente de retour", null);
            statusChange(sql, "b0000000-0000-0000-0000-000000000002", FOLLOWED, "2024-01-31 23:30:00+00", USER,
                    "En attente de retour", null, "Premier contact", null);
            // The exited housing: two changes at the same instant (a bulk update), chained 1 -> 2 -> 4; the event
            // ids alone would put the exit first.
            statusChange(sql, "b0000000-0000-0000-0000-000000000009", EXITED, "2024-04-02 08:00:00+00", ZLV_USER,
                    "En attente de retour", null, "Premier contact", null);
            statusChange(sql, "b0000000-0000-0000-0000-000000000004", EXITED, "2024-04-02 08:00:00+00", ZLV_USER,
                    "Premier contact", null, "Suivi terminé", "Sortie de la vacance");
            sql.execute("insert into production.events values ('b0000000-0000-0000-0000-000000000010',"
                    + " 'housing:occupancy-updated', '{\"occupancy\": \"V\"}', '{\"occupancy\": \"L\"}',"
                    + " '2024-04-20 12:00:00+00', '" + USER + "')");
            sql.execute("insert into production.housing_events values ('b0000000-0000-0000-0000-000000000010', '"
                    + UNTOUCHED + "', '01053')");
            sql.execute("""
                    create table production.campaigns (id uuid, title varchar, description varchar,
                        establishment_id uuid, user_id uuid, group_id uuid, status varchar, filters json, file varchar,
                        created_at timestamptz, validated_at timestamptz, exported_at timestamptz, sent_at timestamptz,
                        confirmed_at timestamptz, archived_at timestamptz, housing_count integer, owner_count integer,
                        return_count integer, return_rate double, campaign_number_deprecated integer,
                        kind_deprecated integer, reminder_number_deprecated integer, start_month_deprecated varchar,
                        recovery_id varchar)""");
            sql.execute("create table production.campaigns_housing (campaign_id uuid, housing_id uuid,"
                    + " housing_geo_code varchar, advice varchar)");
            campaign(sql, "c0000000-0000-0000-0000-000000000001", "'2024-01-05 10:00:00+00'", FOLLOWED, EXITED);
            campaign(sql, "c0000000-0000-0000-0000-000000000002", "'2024-03-20 10:00:00+00'", EXITED, UNTOUCHED);
            campaign(sql, "c0000000-0000-0000-0000-000000000003", "null", UNTOUCHED);
            sql.execute("""
                    create table production.owners (id uuid, idpersonne varchar, full_name varchar,
                        full_name_fts varchar, birth_date date, administrator varchar, siren varchar,
                        address_dgfip varchar[], additional_address varchar, email varchar, phone varchar,
                        data_source varchar, kind_class varchar, entity varchar, username varchar,
                        do_not_contact boolean, is_multi_owner boolean, created_at timestamptz, updated_at timestamptz)""");
            sql.execute("insert into production.owners values ('" + OWNER + "', '01053000001', 'DUPONT Jeanne', null,"
                    + " '1950-06-01', null, null, ['3 RUE DES LILAS', '69003 LYON'], null, 'jeanne@example.org', null,"
                    + " 'lovac', 'Particulier', 'personnes-physiques', null, false, false, null, null)");
            sql.execute("""
                    create table production.owners_housing (owner_id uuid, housing_id uuid, housing_geo_code varchar,
                        rank integer, start_date date, end_date date, origin varchar, idprocpte varchar,
                        idprodroit varchar, locprop_source varchar, locprop_relative_ban integer,
                        locprop_distance_ban double, property_right varchar)""");
            sql.execute("insert into production.owners_housing values ('" + OWNER + "', '" + FOLLOWED + "', '01053',"
                    + " 1, null, null, 'lovac', null, null, null, null, null, 'proprietaire-entier')");
        }
    }

    private static void statusChange(Statement sql, String event, String housing, String at, String author,
                                     String before, String subBefore, String after, String subAfter)
            throws SQLException {
        sql.execute("insert into production.events values ('" + event + "', 'housing:status-updated', '"
                + statusJson(before, subBefore) + "', '" + statusJson(after, subAfter) + "', '" + at + "', '"
                + author + "')");
        sql.execute("insert into production.housing_events values ('" + event + "', '" + housing + "', '01053')");
    }

    private static String statusJson(String status, String subStatus) {
        return subStatus == null ? "{\"status\": \"" + status + "\"}"
                : "{\"status\": \"" + status + "\", \"subStatus\": \"" + subStatus + "\"}";
    }

    private static void campaign(Statement sql, String id, String sentAt, String... housings) throws SQLException {
        sql.execute("insert into production.campaigns values ('" + id + "', 'Campagne', 'Texte libre', '"
                + ESTABLISHMENT + "', '" + USER + "', null, " + (sentAt.equals("null") ? "'draft'" : "'in-progress'")
                + ", null, null, '2024-01-02 10:00:00+00', null, null, " + sentAt + ", null, null, "
                + housings.length + ", null, null, null, null, null, null, null, null)");
        for (String housing : housings) {
            sql.execute("insert into production.campaigns_housing values ('" + id + "', '" + housing
                    + "', '01053', 'Conseil libre')");
        }
    }

    /**
     * The warehouse project copied into the test's directory (its target/ stays clean). Until the LOVAC models
     * are in the project, int_lovac_housing_history is stood in for by an empty model of the same columns.
     */
    private Path copyOfTheWarehouseProject() throws IOException {
        Path copy = work.resolve("dbt");
        try (Stream<Path> files = Files.walk(WAREHOUSE_PROJECT)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path relative = WAREHOUSE_PROJECT.relativize(file);
                if (relative.startsWith("target") || relative.startsWith("logs")) {
                    continue;
                }
                Files.createDirectories(copy.resolve(relative).getParent());
                Files.copy(file, copy.resolve(relative));
            }
        }
        boolean hasLovacHistory;
        try (Stream<Path> files = Files.walk(copy.resolve("models"))) {
            hasLovacHistory = files.anyMatch(file -> file.getFileName().toString().equals("int_lovac_housing_history.sql"));
        }
        if (!hasLovacHistory) {
            Files.writeString(copy.resolve("models/intermediate/int_lovac_housing_history.sql"), """
                    select cast(null as varchar) as local_id, cast(null as integer) as first_lovac_year,
                        cast(null as integer) as last_lovac_year, 0 as lovac_years_count,
                        {% for year in var('lovac_years') %}false as is_in_lovac_{{ year }},{% endfor %}
                        cast(null as integer) as last_vacancy_start_year
                    where false
                    """);
        }
        return copy;
    }

    /** Runs the selected models (their tests need the marts this small production does not build). */
    private DbtEngine.CommandResult run(Map<String, String> environment, String... selection) {
        try (DbtEngine dbt = DbtEngine.load(options(environment))) {
            return dbt.run(DbtEngine.Selection.of(selection));
        }
    }

    private DbtEngine.Options options(Map<String, String> environment) {
        return DbtEngine.Options.of(project).withEnvironment(environment).withConsole(console::add).withThreads(2);
    }

    private Map<String, String> environment(boolean withKey) {
        Map<String, String> environment = new HashMap<>();
        environment.put("ENTREPOT_WAREHOUSE", warehouse.toString());
        if (withKey) {
            environment.put("ENTREPOT_PII_KEY", KEY);
        }
        return environment;
    }

    private List<Map<String, Object>> query(String select) {
        Properties readOnly = new Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + warehouse, readOnly);
             Statement sql = connection.createStatement();
             ResultSet rows = sql.executeQuery(select)) {
            List<Map<String, Object>> result = new ArrayList<>();
            while (rows.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int column = 1; column <= rows.getMetaData().getColumnCount(); column++) {
                    row.put(rows.getMetaData().getColumnLabel(column), rows.getObject(column));
                }
                result.add(row);
            }
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException(select, e);
        }
    }

    private static String hmacSha256(String key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private String failures(DbtEngine.CommandResult result) {
        return result.results().stream().filter(NodeResult::failed)
                .map(node -> node.node().name() + ": " + node.message()).collect(Collectors.joining("\n"))
                + "\n" + String.join("\n", console);
    }

    @Test
    void theLastStatusIsTheLatestStatusChangeOfTheHousing() {
        DbtEngine.CommandResult result = run(environment(true), "+int_production_housing_last_status");
        assertThat(result.succeeded()).as(failures(result)).isTrue();

        List<Map<String, Object>> rows = query("select housing_id::varchar as housing, last_status, last_sub_status,"
                + " status_change_count, has_reached_first_contact, has_exited_vacancy, last_status_user_type"
                + " from int.int_production_housing_last_status order by housing");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsEntry("housing", FOLLOWED).containsEntry("last_status", 3)
                .containsEntry("last_sub_status", "En accompagnement").containsEntry("status_change_count", 3L)
                .containsEntry("has_reached_first_contact", true).containsEntry("has_exited_vacancy", false)
                .containsEntry("last_status_user_type", "user");
        // Two changes at the same instant: the chain (1 -> 2, then 2 -> 4) decides, not the event ids.
        assertThat(rows.get(1)).containsEntry("housing", EXITED).containsEntry("last_status", 4)
                .containsEntry("last_sub_status", "Sortie de la vacance").containsEntry("has_exited_vacancy", true)
                .containsEntry("last_status_user_type", "zlv");
    }

    @Test
    void monthlyKpisAddUpToTheTotals() {
        DbtEngine.CommandResult result = run(environment(true), "+marts_stats_monthly_global", "+int_production_housing_last_status",
                "+int_production_campaign_housing_outcomes");
        assertThat(result.succeeded()).as(failures(result)).isTrue();

        List<Map<String, Object>> months = query("select strftime(month, '%Y-%m') as month, new_user_count,"
                + " active_user_count, campaign_sent_count, housing_contact_count, newly_contacted_housing_count,"
                + " status_change_count, exit_from_vacancy_count, occupancy_change_count"
                + " from marts.marts_stats_monthly_global order by month");
        // From the first activation (November 2023) to the last change (April 2024), empty months included.
        assertThat(months).extracting(row -> row.get("month"))
                .containsExactly("2023-11", "2023-12", "2024-01", "2024-02", "2024-03", "2024-04");
        Map<String, Object> january = months.get(2);
        assertThat(january).containsEntry("campaign_sent_count", 1L).containsEntry("housing_contact_count", 2L)
                .containsEntry("newly_contacted_housing_count", 2L).containsEntry("status_change_count", 1L)
                .containsEntry("active_user_count", 1L);
        // 23:30 UTC on 31 January is February in France.
        assertThat(months.get(3)).containsEntry("status_change_count", 1L);
        assertThat(months.get(5)).containsEntry("status_change_count", 2L).containsEntry("exit_from_vacancy_count", 1L)
                .containsEntry("occupancy_change_count", 1L).containsEntry("active_user_count", 2L);

        Map<String, Object> totals = query("select sum(new_user_count) as users, sum(campaign_sent_count) as sent,"
                + " sum(housing_contact_count) as contacts, sum(newly_contacted_housing_count) as contacted,"
                + " sum(status_change_count) as changes, sum(exit_from_vacancy_count) as exits,"
                + " max(cumulative_contacted_housing_count) as cumulative_contacted"
                + " from marts.marts_stats_monthly_global").get(0);
        // 2 accounts, 2 sent campaigns (the draft is not), 4 housings in them of which 3 distinct, 5 status
        // changes, 1 exit from vacancy.
        assertThat(((Number) totals.get("users")).longValue()).isEqualTo(2);
        assertThat(((Number) totals.get("sent")).longValue()).isEqualTo(2);
        assertThat(((Number) totals.get("contacts")).longValue()).isEqualTo(4);
        assertThat(((Number) totals.get("contacted")).longValue()).isEqualTo(3);
        assertThat(((Number) totals.get("cumulative_contacted")).longValue()).isEqualTo(3);
        assertThat(((Number) totals.get("changes")).longValue()).isEqualTo(5);
        assertThat(((Number) totals.get("exits")).longValue()).isEqualTo(1);
        // The project's own test of the same rule passes.
        try (DbtEngine dbt = DbtEngine.load(options(environment(true)))) {
            DbtEngine.CommandResult test = dbt.test(DbtEngine.Selection.of("assert_monthly_stats_sum_to_totals"));
            assertThat(test.results()).extracting(NodeResult::status).containsExactly(NodeResult.Status.PASS);
        }
    }

    @Test
    void ownersArePseudonymisedWithTheKeyedHmacOfTheirId() {
        DbtEngine.CommandResult result = run(environment(true), "+int_production_owners");
        assertThat(result.succeeded()).as(failures(result)).isTrue();

        Map<String, Object> owner = query("select * from int.int_production_owners").get(0);
        assertThat(owner.get("owner_key")).isEqualTo(hmacSha256(KEY, OWNER));
        assertThat(owner).containsEntry("age_band", "75 ans et plus").containsEntry("owner_department_code", "69")
                .containsEntry("has_email", true).doesNotContainKeys("full_name", "birth_date", "email", "phone",
                        "address_dgfip");
        assertThat(owner.values()).noneMatch(value -> String.valueOf(value).contains("DUPONT")
                || String.valueOf(value).contains("jeanne@"));
        // The key is given to the model's connection by its pre-hook: the compiled SQL and the manifest (which the
        // documentation site shows) never hold it.
        assertThat(contentOf(project.resolve("target/manifest.json"))).doesNotContain(KEY);
        assertThat(contentOf(project.resolve(
                "target/compiled/zlv_warehouse/models/intermediate/production/int_production_owners.sql")))
                .contains("getvariable('entrepot_pii_key')").doesNotContain(KEY);
    }

    private static String contentOf(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** pseudonymise(expression) with the key given to the connection as the models' pre-hook gives it. */
    private Object pseudonymised(String key, String expression) {
        try (DbtEngine dbt = DbtEngine.load(options(environment(false)))) {
            dbt.adapter().execute("set variable entrepot_pii_key = '" + key.replace("'", "''") + "'");
            return dbt.show(DbtEngine.Selection.ALL, "select {{ pseudonymise(\"" + expression + "\") }}", 1).first();
        }
    }

    @Test
    void pseudonymiseIsHmacSha256() {
        // RFC 4231, test case 2.
        assertThat(pseudonymised("Jefe", "'what do ya want for nothing?'"))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        // A key longer than the 64-byte block is hashed first; keys and values are UTF-8.
        String longKey = "k".repeat(100) + "é";
        assertThat(pseudonymised(longKey, "'Zoé l''été'")).isEqualTo(hmacSha256(longKey, "Zoé l'été"));
        assertThat(pseudonymised(KEY, "null")).isNull();
    }

    @Test
    void aModelThatPseudonymisesGetsTheKeyWithoutConfiguringIt() throws IOException {
        Files.writeString(project.resolve("models/marts/marts_pseudonyms.sql"),
                "{{ config(materialized='table') }}\nselect {{ pseudonymise(\"'01053000001'\") }} as person_key\n");
        DbtEngine.CommandResult result = run(environment(true), "marts_pseudonyms");
        assertThat(result.succeeded()).as(failures(result)).isTrue();
        assertThat(query("select person_key from marts.marts_pseudonyms").get(0))
                .containsEntry("person_key", hmacSha256(KEY, "01053000001"));
    }

    @Test
    void withoutTheKeyTheBuildFailsAndSaysWhy() {
        DbtEngine.CommandResult result = run(environment(false), "+int_production_owners");

        assertThat(result.succeeded()).isFalse();
        NodeResult owners = result.result("int_production_owners");
        assertThat(owners.status()).isEqualTo(NodeResult.Status.ERROR);
        assertThat(owners.message()).contains("ENTREPOT_PII_KEY is not set").contains("never falls back to a bare hash");
        assertThat(query("select count(*) as n from information_schema.tables where table_name = 'int_production_owners'")
                .get(0)).containsEntry("n", 0L);
    }
}
