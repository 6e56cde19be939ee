package fr.zlv.entrepot.server.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * A small published BI file with the tables and columns {@code warehouse/semantic.yml} reads (housing, campaigns,
 * establishments, the vacancy analyses, monthly KPIs, events, communes) and a {@code published_at} table, filled with
 * rows drawn from a fixed seed over seven real communes of three départements in two régions. The web UI's tests
 * serve it through the real semantic layer.
 */
final class DemoBiFile {

    /** A commune and its territory. */
    record Commune(String code, String name, String epci, String epciName, String departement, String departementName,
                   String region, String regionName, int population) {
    }

    static final List<Commune> COMMUNES = List.of(
            new Commune("01053", "Bourg-en-Bresse", "200071751", "CA du Bassin de Bourg-en-Bresse", "01", "Ain",
                    "84", "Auvergne-Rhône-Alpes", 41_000),
            new Commune("01451", "Viriat", "200071751", "CA du Bassin de Bourg-en-Bresse", "01", "Ain", "84",
                    "Auvergne-Rhône-Alpes", 6_300),
            new Commune("01004", "Ambérieu-en-Bugey", "240100883", "CC de la Plaine de l'Ain", "01", "Ain", "84",
                    "Auvergne-Rhône-Alpes", 14_500),
            new Commune("69123", "Lyon", "200046977", "Métropole de Lyon", "69", "Rhône", "84",
                    "Auvergne-Rhône-Alpes", 520_000),
            new Commune("69266", "Villeurbanne", "200046977", "Métropole de Lyon", "69", "Rhône", "84",
                    "Auvergne-Rhône-Alpes", 150_000),
            new Commune("2A004", "Ajaccio", "242010056", "CA du Pays Ajaccien", "2A", "Corse-du-Sud", "94", "Corse",
                    72_000),
            new Commune("2A247", "Porto-Vecchio", "200073096", "CC du Sud Corse", "2A", "Corse-du-Sud", "94", "Corse",
                    11_800));

    private static final String[] STATUS = {"Non suivi", "En attente de retour", "Premier contact", "Suivi en cours",
            "Suivi terminé", "Suivi bloqué"};
    private static final String[][] OCCUPANCY = {{"V", "Vacant"}, {"L", "En location"}, {"P",
            "Occupé par le propriétaire"}, {"RS", "Résidence secondaire"}};
    private static final String[] KINDS = {"COM", "CA", "DEP"};

    private DemoBiFile() {
    }

    /** Writes the file (replacing one already there). */
    static Path write(Path file) throws Exception {
        Files.deleteIfExists(file);
        Random random = new Random(20261130);
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
             Statement sql = connection.createStatement()) {
            housing(connection, sql, random);
            vacancy(connection, sql, random);
            communeVacancy(connection, sql, random);
            List<Object[]> establishments = establishments(connection, sql);
            campaigns(connection, sql, random, establishments);
            monthly(connection, sql, random);
            events(connection, sql, random);
            communes(connection, sql, random);
            sql.execute("CREATE TABLE published_at (version VARCHAR, published_at TIMESTAMP, table_name VARCHAR,"
                    + " source VARCHAR, row_count BIGINT)");
            for (String table : List.of("housing", "analysis_housing_out", "analysis_city_aggregated", "campaigns",
                    "establishments", "stats_activity_monthly", "events", "admin_communes")) {
                sql.execute("INSERT INTO published_at SELECT '20261130T080000Z-test', TIMESTAMP '2026-11-30 08:00:00',"
                        + " '" + table + "', 'marts." + table + "', count(*) FROM " + table);
            }
        }
        return file;
    }

    private static void housing(Connection connection, Statement sql, Random random) throws SQLException {
        sql.execute("""
                CREATE TABLE housing (housing_id VARCHAR, housing_kind VARCHAR, living_area INTEGER,
                  living_area_band VARCHAR, building_period VARCHAR, is_taxed BOOLEAN, rental_value INTEGER,
                  ownership_kind VARCHAR, energy_class VARCHAR, is_energy_sieve BOOLEAN, vacancy_start_year INTEGER,
                  vacancy_duration_years BIGINT, vacancy_duration_band VARCHAR, occupancy VARCHAR,
                  occupancy_label VARCHAR, is_vacant BOOLEAN, commune_code VARCHAR, commune_name VARCHAR,
                  department_code VARCHAR, department_name VARCHAR, region_code VARCHAR, region_name VARCHAR,
                  epci_code VARCHAR, epci_name VARCHAR, main_owner_key VARCHAR, main_owner_kind VARCHAR,
                  main_owner_age_band VARCHAR, status INTEGER, status_label VARCHAR, is_followed BOOLEAN,
                  last_status_changed_at TIMESTAMPTZ, has_exited_vacancy BOOLEAN, sent_campaign_count BIGINT,
                  first_campaign_sent_at TIMESTAMPTZ, last_lovac_year INTEGER)""");
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO housing VALUES (?, ?, ?, ?, ?, ?, ?,"
                + " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < 420; i++) {
                Commune commune = pick(random, COMMUNES);
                String[] occupancy = random.nextInt(10) < 7 ? OCCUPANCY[0] : OCCUPANCY[1 + random.nextInt(3)];
                boolean vacant = occupancy[0].equals("V");
                int status = random.nextInt(6);
                Integer start = vacant ? 2010 + random.nextInt(16) : null;
                Long years = start == null ? null : (long) (2025 - start);
                String band = years == null ? null : years < 2 ? "0-1 an" : years < 5 ? "2-4 ans" : years < 10
                        ? "5-9 ans" : "10 ans et plus";
                int area = 20 + random.nextInt(130);
                char energy = (char) ('A' + random.nextInt(7));
                long sent = random.nextInt(10) < 3 ? 1 + random.nextInt(2) : 0;
                int c = 0;
                insert.setString(++c, "h" + i);
                insert.setString(++c, random.nextBoolean() ? "APPART" : "MAISON");
                insert.setInt(++c, area);
                insert.setString(++c, area < 50 ? "moins de 50 m²" : area < 100 ? "50 à 99 m²" : "100 m² et plus");
                insert.setString(++c, random.nextBoolean() ? "avant 1949" : "1949-1974");
                insert.setBoolean(++c, random.nextBoolean());
                insert.setInt(++c, 500 + random.nextInt(3000));
                insert.setString(++c, random.nextBoolean() ? "single" : "co");
                insert.setString(++c, String.valueOf(energy));
                insert.setBoolean(++c, energy >= 'F');
                insert.setObject(++c, start);
                insert.setObject(++c, years);
                insert.setString(++c, band);
                insert.setString(++c, occupancy[0]);
                insert.setString(++c, occupancy[1]);
                insert.setBoolean(++c, vacant);
                setTerritory(insert, c, commune);
                c += 8;
                insert.setString(++c, "owner-" + random.nextInt(300));
                insert.setString(++c, random.nextInt(4) == 0 ? "sci-copro" : "particulier");
                insert.setString(++c, random.nextBoolean() ? "40-59 ans" : "60-74 ans");
                insert.setInt(++c, status);
                insert.setString(++c, STATUS[status]);
                insert.setBoolean(++c, status != 0);
                insert.setObject(++c, OffsetDateTime.of(2024 + random.nextInt(2), 1 + random.nextInt(12),
                        1 + random.nextInt(28), 9, 0, 0, 0, ZoneOffset.UTC));
                insert.setBoolean(++c, random.nextInt(100) < 18);
                insert.setLong(++c, sent);
                insert.setObject(++c, sent == 0 ? null : OffsetDateTime.of(2025, 1 + random.nextInt(12), 3, 10, 0, 0,
                        0, ZoneOffset.UTC));
                insert.setInt(++c, vacant ? 2025 : 2023);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** commune, commune name, department, department name, region, region name, epci, epci name. */
    private static void setTerritory(PreparedStatement insert, int after, Commune commune) throws SQLException {
        insert.setString(after + 1, commune.code());
        insert.setString(after + 2, commune.name());
        insert.setString(after + 3, commune.departement());
        insert.setString(after + 4, commune.departementName());
        insert.setString(after + 5, commune.region());
        insert.setString(after + 6, commune.regionName());
        insert.setString(after + 7, commune.epci());
        insert.setString(after + 8, commune.epciName());
    }

    private static void vacancy(Connection connection, Statement sql, Random random) throws SQLException {
        sql.execute("""
                CREATE TABLE analysis_housing_out (housing_id VARCHAR, lovac_year INTEGER, next_lovac_year INTEGER,
                  commune_code VARCHAR, department_code VARCHAR, epci_code VARCHAR, housing_kind VARCHAR,
                  vacancy_duration_years INTEGER, is_out_of_vacancy BOOLEAN, exit_kind VARCHAR,
                  is_contacted_before BOOLEAN, is_exit_after_contact BOOLEAN)""");
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO analysis_housing_out VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int year = 2020; year <= 2024; year++) {
                for (int i = 0; i < 80; i++) {
                    Commune commune = pick(random, COMMUNES);
                    boolean known = year < 2024;
                    boolean contacted = random.nextInt(10) < 3;
                    // Contacted housings leave vacancy more often, as the programme hopes.
                    boolean out = known && random.nextInt(100) < (contacted ? 40 : 20);
                    insert.setString(1, "v" + year + "-" + i);
                    insert.setInt(2, year);
                    insert.setObject(3, known ? year + 1 : null);
                    insert.setString(4, commune.code());
                    insert.setString(5, commune.departement());
                    insert.setString(6, commune.epci());
                    insert.setString(7, random.nextBoolean() ? "APPART" : "MAISON");
                    insert.setInt(8, 1 + random.nextInt(12));
                    insert.setBoolean(9, out);
                    insert.setString(10, out ? (random.nextBoolean() ? "absent" : "occupied") : null);
                    insert.setBoolean(11, contacted);
                    insert.setBoolean(12, out && contacted);
                    insert.addBatch();
                }
            }
            insert.executeBatch();
        }
    }

    private static void communeVacancy(Connection connection, Statement sql, Random random) throws SQLException {
        sql.execute("""
                CREATE TABLE analysis_city_aggregated (commune_code VARCHAR, commune_name VARCHAR, epci_code VARCHAR,
                  department_code VARCHAR, region_code VARCHAR, lovac_year INTEGER, vacant_housing_count BIGINT,
                  long_term_vacant_housing_count BIGINT, entry_count BIGINT, exit_count BIGINT)""");
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO analysis_city_aggregated VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Commune commune : COMMUNES) {
                long stock = commune.population() / 40;
                for (int year = 2019; year <= 2024; year++) {
                    stock = Math.max(10, stock + random.nextInt(41) - 25);
                    insert.setString(1, commune.code());
                    insert.setString(2, commune.name());
                    insert.setString(3, commune.epci());
                    insert.setString(4, commune.departement());
                    insert.setString(5, commune.region());
                    insert.setInt(6, year);
                    insert.setLong(7, stock);
                    insert.setLong(8, stock * (30 + random.nextInt(20)) / 100);
                    insert.setLong(9, stock / 5 + random.nextInt(10));
                    insert.setObject(10, year < 2024 ? stock / 4 + random.nextInt(10) : null);
                    insert.addBatch();
                }
            }
            insert.executeBatch();
        }
    }

    /** Returns id, name, kind, département of each establishment. */
    private static List<Object[]> establishments(Connection connection, Statement sql) throws SQLException {
        sql.execute("""
                CREATE TABLE establishments (establishment_id UUID, establishment_name VARCHAR,
                  establishment_kind VARCHAR, department_code VARCHAR[], department_name VARCHAR,
                  region_code VARCHAR[], region_name VARCHAR, is_available BOOLEAN, user_count BIGINT,
                  active_user_count BIGINT, campaign_count BIGINT, sent_campaign_count BIGINT,
                  contacted_housing_count HUGEINT, first_campaign_sent_at TIMESTAMPTZ, layer_geo_label VARCHAR,
                  is_active BOOLEAN, first_user_activated_at TIMESTAMPTZ, followed_by_users_housing_count BIGINT,
                  exit_from_vacancy_count BIGINT, territory_vacant_housing_count BIGINT)""");
        List<Object[]> establishments = List.of(
                new Object[]{UUID.nameUUIDFromBytes("bourg".getBytes()), "Commune de Bourg-en-Bresse", "COM", "01",
                        "Ain", "84", "Auvergne-Rhône-Alpes"},
                new Object[]{UUID.nameUUIDFromBytes("ca-bourg".getBytes()), "CA du Bassin de Bourg-en-Bresse", "CA",
                        "01", "Ain", "84", "Auvergne-Rhône-Alpes"},
                new Object[]{UUID.nameUUIDFromBytes("lyon".getBytes()), "Ville de Lyon", "COM", "69", "Rhône", "84",
                        "Auvergne-Rhône-Alpes"},
                new Object[]{UUID.nameUUIDFromBytes("dep-2a".getBytes()), "Département de la Corse-du-Sud", "DEP",
                        "2A", "Corse-du-Sud", "94", "Corse"});
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO establishments VALUES (?, ?, ?,"
                + " [?], ?, [?], ?, true, 5, 3, 10, 8, 200, TIMESTAMPTZ '2024-03-01 09:00:00+00', 'Commune', true,"
                + " TIMESTAMPTZ '2023-06-01 09:00:00+00', 40, 12, 900)")) {
            for (Object[] e : establishments) {
                insert.setObject(1, e[0]);
                insert.setString(2, (String) e[1]);
                insert.setString(3, (String) e[2]);
                insert.setString(4, (String) e[3]);
                insert.setString(5, (String) e[4]);
                insert.setString(6, (String) e[5]);
                insert.setString(7, (String) e[6]);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        return establishments;
    }

    private static void campaigns(Connection connection, Statement sql, Random random, List<Object[]> establishments)
            throws SQLException {
        sql.execute("""
                CREATE TABLE campaigns (campaign_id VARCHAR, campaign_status VARCHAR, establishment_id UUID,
                  establishment_name VARCHAR, establishment_kind VARCHAR, department_code VARCHAR[],
                  created_at TIMESTAMPTZ, sent_at TIMESTAMPTZ, is_sent BOOLEAN, housing_count BIGINT,
                  is_from_group BOOLEAN, days_from_creation_to_sending BIGINT,
                  returned_within_3_months_housing_count BIGINT, exited_vacancy_housing_count BIGINT)""");
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO campaigns VALUES (?, ?, ?, ?, ?, [?], ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < 48; i++) {
                Object[] establishment = establishments.get(random.nextInt(establishments.size()));
                boolean sent = random.nextInt(10) < 7;
                OffsetDateTime created = OffsetDateTime.of(2024 + random.nextInt(2), 1 + random.nextInt(12),
                        1 + random.nextInt(28), 10, 0, 0, 0, ZoneOffset.UTC);
                int days = 3 + random.nextInt(40);
                long housings = 10 + random.nextInt(90);
                insert.setString(1, "c" + i);
                insert.setString(2, sent ? (random.nextBoolean() ? "in-progress" : "archived") : "draft");
                insert.setObject(3, establishment[0]);
                insert.setString(4, (String) establishment[1]);
                insert.setString(5, (String) establishment[2]);
                insert.setString(6, (String) establishment[3]);
                insert.setObject(7, created);
                insert.setObject(8, sent ? created.plusDays(days) : null);
                insert.setBoolean(9, sent);
                insert.setLong(10, housings);
                insert.setBoolean(11, random.nextBoolean());
                insert.setObject(12, sent ? (long) days : null);
                insert.setObject(13, sent ? housings * (20 + random.nextInt(50)) / 100 : null);
                insert.setObject(14, sent ? housings * random.nextInt(25) / 100 : null);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static void monthly(Connection connection, Statement sql, Random random) throws SQLException {
        sql.execute("""
                CREATE TABLE stats_activity_monthly (month DATE, year BIGINT, new_user_count BIGINT,
                  active_user_count BIGINT, active_establishment_count BIGINT, campaign_sent_count BIGINT,
                  housing_contact_count BIGINT, newly_contacted_housing_count BIGINT, status_change_count BIGINT,
                  newly_followed_housing_count BIGINT, exit_from_vacancy_count BIGINT,
                  cumulative_campaign_sent_count BIGINT, cumulative_exit_from_vacancy_count BIGINT)""");
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO stats_activity_monthly VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            long campaigns = 0;
            long exits = 0;
            for (LocalDate month = LocalDate.of(2024, 12, 1); !month.isAfter(LocalDate.of(2026, 11, 1));
                 month = month.plusMonths(1)) {
                long sent = 20 + random.nextInt(30);
                long out = 50 + random.nextInt(60);
                campaigns += sent;
                exits += out;
                long contacts = 400 + random.nextInt(500);
                insert.setObject(1, month);
                insert.setLong(2, month.getYear());
                insert.setLong(3, 10 + random.nextInt(30));
                insert.setLong(4, 300 + random.nextInt(100));
                insert.setLong(5, 80 + random.nextInt(20));
                insert.setLong(6, sent);
                insert.setLong(7, contacts);
                insert.setLong(8, contacts / 2 + random.nextInt(50));
                insert.setLong(9, 600 + random.nextInt(400));
                insert.setLong(10, 100 + random.nextInt(80));
                insert.setLong(11, out);
                insert.setLong(12, campaigns);
                insert.setLong(13, exits);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static void events(Connection connection, Statement sql, Random random) throws SQLException {
        sql.execute("""
                CREATE TABLE events (event_id VARCHAR, housing_id UUID, change_kind VARCHAR, changed_at TIMESTAMPTZ,
                  author_user_type VARCHAR, author_establishment_kind VARCHAR, commune_code VARCHAR,
                  department_code VARCHAR, new_status_label VARCHAR, is_first_exit_from_vacancy BOOLEAN)""");
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < 200; i++) {
                Commune commune = pick(random, COMMUNES);
                boolean status = random.nextBoolean();
                insert.setString(1, "e" + i);
                insert.setObject(2, UUID.nameUUIDFromBytes(("h" + random.nextInt(420)).getBytes()));
                insert.setString(3, status ? "status" : "occupancy");
                insert.setObject(4, OffsetDateTime.of(2025, 1 + random.nextInt(12), 1 + random.nextInt(28), 14, 0, 0,
                        0, ZoneOffset.UTC));
                insert.setString(5, random.nextBoolean() ? "user" : "zlv");
                insert.setString(6, KINDS[random.nextInt(KINDS.length)]);
                insert.setString(7, commune.code());
                insert.setString(8, commune.departement());
                insert.setString(9, status ? STATUS[random.nextInt(6)] : null);
                insert.setBoolean(10, random.nextInt(10) == 0);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static void communes(Connection connection, Statement sql, Random random) throws SQLException {
        sql.execute("""
                CREATE TABLE admin_communes (commune_code VARCHAR, commune_name VARCHAR, epci_code VARCHAR,
                  epci_name VARCHAR, department_code VARCHAR, department_name VARCHAR, region_code VARCHAR,
                  region_name VARCHAR, population INTEGER, zone_abc VARCHAR, tlv_zoning VARCHAR, is_tlv_area BOOLEAN,
                  housing_count BIGINT, vacant_housing_count BIGINT, long_term_vacant_housing_count BIGINT,
                  exit_count BIGINT, anah_aided_housing_count BIGINT)""");
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO admin_communes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Commune commune : COMMUNES) {
                long housings = commune.population() / 2;
                long vacant = housings * (4 + random.nextInt(8)) / 100;
                insert.setString(1, commune.code());
                insert.setString(2, commune.name());
                insert.setString(3, commune.epci());
                insert.setString(4, commune.epciName());
                insert.setString(5, commune.departement());
                insert.setString(6, commune.departementName());
                insert.setString(7, commune.region());
                insert.setString(8, commune.regionName());
                insert.setInt(9, commune.population());
                insert.setString(10, commune.population() > 100_000 ? "A" : "B1");
                insert.setString(11, commune.population() > 100_000 ? "TLV1" : "none");
                insert.setBoolean(12, commune.population() > 100_000);
                insert.setLong(13, housings);
                insert.setLong(14, vacant);
                insert.setLong(15, vacant / 3);
                insert.setLong(16, vacant / 5);
                insert.setLong(17, random.nextInt(40));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** The communes of a département. */
    static List<Commune> communesOf(String departement) {
        List<Commune> found = new ArrayList<>();
        COMMUNES.stream().filter(c -> c.departement().equals(departement)).forEach(found::add);
        return found;
    }
}
