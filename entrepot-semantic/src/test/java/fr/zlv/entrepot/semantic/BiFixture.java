package fr.zlv.entrepot.semantic;

import static org.assertj.core.api.Assertions.assertThat;

import fr.zlv.entrepot.semantic.api.GraphQlRequest;
import fr.zlv.entrepot.semantic.api.GraphQlResponse;
import fr.zlv.entrepot.semantic.api.Principal;
import fr.zlv.entrepot.semantic.api.SemanticApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A small BI-like DuckDB file with hand-made rows, written the way the publisher writes one (tables under their
 * published names and a {@code published_at} table), with the semantic.yml, access.yml, publish.yml and dbt
 * properties that describe it. The expected values of the tests are computed by hand from {@link #HOUSING} and the
 * other rows below.
 */
final class BiFixture {

    /**
     * Housings: id, commune, commune name, epci, département, département name, région, status, status label,
     * occupancy, vacant, vacancy years, rental value, living area, owner pseudonym, last change (UTC), created on.
     */
    static final String HOUSING = """
            ('h1', '75101', 'Paris 1er', 'E75', '75', 'Paris', '11', 0, 'Non suivi', 'V', true, 1, 100, 30.0, 'o1', TIMESTAMPTZ '2024-01-15 10:00:00+00', DATE '2024-01-15'),
            ('h2', '75102', 'Paris 2e', 'E75', '75', 'Paris', '11', 2, 'Premier contact', 'V', true, 3, 200, 50.0, 'o1', TIMESTAMPTZ '2024-02-20 10:00:00+00', DATE '2024-02-20'),
            ('h3', '75102', 'Paris 2e', 'E75', '75', 'Paris', '11', 2, 'Premier contact', 'L', false, NULL, 300, 70.0, 'o2', TIMESTAMPTZ '2024-04-05 10:00:00+00', DATE '2024-04-05'),
            ('h4', '92002', 'Antony', 'E92', '92', 'Hauts-de-Seine', '11', 1, 'En attente de retour', 'V', true, 5, 400, 90.0, 'o3', TIMESTAMPTZ '2024-07-01 10:00:00+00', DATE '2024-07-01'),
            ('h5', '92002', 'Antony', 'E92', '92', 'Hauts-de-Seine', '11', 0, 'Non suivi', 'P', false, NULL, 500, 110.0, 'o3', TIMESTAMPTZ '2023-12-31 23:30:00+00', DATE '2023-12-31'),
            ('h6', '33063', 'Bordeaux', 'E33', '33', 'Gironde', '75', 3, 'Suivi en cours', 'V', true, 10, NULL, 60.0, 'o4', TIMESTAMPTZ '2025-03-10 10:00:00+00', DATE '2025-03-10'),
            ('h7', '33063', 'Bordeaux', 'E33', '33', 'Gironde', '75', 0, 'Non suivi', 'V', true, 2, 700, NULL, 'o5', TIMESTAMPTZ '2025-11-30 10:00:00+00', DATE '2025-11-30'),
            ('h8', '13055', 'Marseille', 'E13', '13', 'Bouches-du-Rhône', '93', 5, 'Suivi bloqué', 'V', true, 0, 800, 40.0, 'o6', NULL, NULL)
            """;

    static final String SEMANTIC = """
            version: 1
            cubes:
              housing:
                table: housing
                description: "Logements (housings)."
                geography: {region: region_code, departement: department_code, epci: epci_code, commune: commune_code}
                measures:
                  count:
                    type: count
                    description: "Logements (housings)."
                  vacant_count:
                    type: count
                    description: "Vacants (vacant)."
                    filter: [{column: is_vacant, equals: true}]
                  vacancy_rate:
                    type: ratio
                    description: "Taux de vacance (vacancy rate)."
                    numerator: vacant_count
                    denominator: count
                  owners:
                    type: count_distinct
                    column: owner_key
                    description: "Propriétaires (owners)."
                  rental_value:
                    type: sum
                    column: rental_value
                    description: "Valeur locative (rental value)."
                  avg_area:
                    type: avg
                    column: living_area
                    description: "Surface moyenne (average area)."
                  min_years:
                    type: min
                    column: vacancy_years
                    description: "Vacance minimale (shortest vacancy)."
                  max_years:
                    type: max
                    column: vacancy_years
                    description: "Vacance maximale (longest vacancy)."
                  first_change:
                    type: min
                    column: created_on
                    description: "Première création (first created)."
                dimensions:
                  status:
                    description: "Statut (status)."
                    column: status_label
                  status_code:
                    description: "Code du statut (status code)."
                    column: status
                  occupancy:
                    description: "Occupation (occupancy)."
                    column: occupancy
                  is_vacant:
                    description: "Vacant."
                    column: is_vacant
                  vacancy_years:
                    description: "Années de vacance (vacancy years)."
                    column: vacancy_years
                  area:
                    description: "Surface (area)."
                    column: living_area
                  changed_at:
                    type: time
                    description: "Dernier changement (last change)."
                    column: last_change_at
                  created_on:
                    type: time
                    description: "Création (created)."
                    column: created_on
                    grains: [month, year]
                  territory:
                    type: geo
                    description: "Territoire (territory)."
                    levels:
                      commune: {column: commune_code, label: commune_name}
                      epci: {column: epci_code}
                      departement: {column: department_code, label: department_name}
                      region: {column: region_code}
                joins:
                  commune:
                    cube: communes
                    on: {commune_code: commune_code}
                    description: "Commune du logement (its commune)."
                segments:
                  long_vacant:
                    description: "Vacants depuis deux ans ou plus (vacant two years or more)."
                    filter: [{column: is_vacant, equals: true}, {column: vacancy_years, gte: 2}]
              communes:
                table: communes
                description: "Communes (communes)."
                geography: {departement: department_code, commune: commune_code}
                measures:
                  communes:
                    type: count
                    description: "Communes."
                  population:
                    type: sum
                    column: population
                    description: "Population."
                dimensions:
                  zone:
                    description: "Zone ABC (market zone)."
                    column: zone
              campaigns:
                table: campaigns
                description: "Campagnes (campaigns)."
                geography: {departement: department_code}
                measures:
                  sent:
                    type: count
                    description: "Campagnes envoyées (sent)."
                    filter: [{column: is_sent, equals: true}]
                  contacted:
                    type: sum
                    column: housing_count
                    description: "Logements contactés (housings contacted)."
                    filter: [{column: is_sent, equals: true}]
                  returned:
                    type: sum
                    column: returned
                    description: "Retours (returns)."
                    filter: [{column: is_sent, equals: true}]
                  return_rate:
                    type: ratio
                    description: "Taux de retour (return rate)."
                    numerator: returned
                    denominator: contacted
                dimensions:
                  establishment:
                    description: "Établissement (establishment)."
                    column: establishment_name
                  sent_at:
                    type: time
                    description: "Envoi (sent at)."
                    column: sent_at
                joins:
                  establishment:
                    cube: establishments
                    on: {establishment_id: establishment_id}
                    description: "Établissement (establishment)."
              establishments:
                table: establishments
                description: "Établissements (establishments)."
                geography: {departement: department_code}
                measures:
                  count:
                    type: count
                    description: "Établissements (establishments)."
                dimensions:
                  kind:
                    description: "Type (kind)."
                    column: kind
              kpis:
                table: kpis
                description: "Indicateurs nationaux (national KPIs)."
                national: true
                measures:
                  campaigns_sent:
                    type: sum
                    column: campaigns_sent
                    description: "Campagnes envoyées (campaigns sent)."
                dimensions:
                  month:
                    type: time
                    description: "Mois (month)."
                    column: month
                    grains: [month, quarter, year]
            """;

    static final String ACCESS = """
            version: 1
            roles:
              admin:
                description: "Tout (everything)."
                audit_log: true
                grants:
                  - cubes: ["*"]
              analyst:
                description: "National."
                grants:
                  - cubes: ["*"]
              territory:
                description: "Territoire (territory)."
                territorial: true
                grants:
                  - cubes: [housing, campaigns, establishments, communes, kpis]
              partner:
                description: "Agrégats nationaux (national aggregates)."
                grants:
                  - cubes: [housing]
                    measures: [count, vacant_*]
                    dimensions: [status]
                    segments: []
                  - cubes: [kpis]
            """;

    static final String PUBLISH = """
            source_schema: marts
            tables:
              - {mart: marts_housing, name: housing}
              - {mart: marts_communes, name: communes}
              - {mart: marts_campaigns, name: campaigns}
              - {mart: marts_establishments, name: establishments}
              - {mart: marts_kpis, name: kpis}
            """;

    /** The dbt project's properties: the personal-data class of each mart column. */
    static final String DBT_PROPERTIES = """
            version: 2
            models:
              - name: marts_housing
                columns:
                  - {name: housing_id, meta: {pii: indirect}}
                  - {name: commune_code, meta: {pii: none}}
                  - {name: commune_name, meta: {pii: none}}
                  - {name: epci_code, meta: {pii: none}}
                  - {name: department_code, meta: {pii: none}}
                  - {name: department_name, meta: {pii: none}}
                  - {name: region_code, meta: {pii: none}}
                  - {name: status, meta: {pii: none}}
                  - {name: status_label, meta: {pii: none}}
                  - {name: occupancy, meta: {pii: none}}
                  - {name: is_vacant, meta: {pii: none}}
                  - {name: vacancy_years, meta: {pii: none}}
                  - {name: rental_value, meta: {pii: none}}
                  - {name: living_area, meta: {pii: none}}
                  - {name: owner_key, meta: {pii: indirect, pseudonymised: true}}
                  - {name: owner_name, meta: {pii: direct}}
                  - {name: last_change_at, meta: {pii: none}}
                  - {name: created_on, meta: {pii: none}}
              - name: marts_communes
                columns:
                  - {name: commune_code, meta: {pii: none}}
                  - {name: department_code, meta: {pii: none}}
                  - {name: zone, meta: {pii: none}}
                  - {name: population, meta: {pii: none}}
              - name: marts_campaigns
                columns:
                  - {name: campaign_id, meta: {pii: none}}
                  - {name: establishment_id, meta: {pii: none}}
                  - {name: establishment_name, meta: {pii: none}}
                  - {name: department_code, meta: {pii: none}}
                  - {name: is_sent, meta: {pii: none}}
                  - {name: housing_count, meta: {pii: none}}
                  - {name: returned, meta: {pii: none}}
                  - {name: sent_at, meta: {pii: none}}
              - name: marts_establishments
                columns:
                  - {name: establishment_id, meta: {pii: none}}
                  - {name: kind, meta: {pii: none}}
                  - {name: department_code, meta: {pii: none}}
              - name: marts_kpis
                columns:
                  - {name: month, meta: {pii: none}}
                  - {name: campaigns_sent, meta: {pii: none}}
            """;

    final Path dir;
    final Path bi;
    final Path semantic;
    final Path access;
    final Path publish;
    final Path dbt;

    private BiFixture(Path dir) {
        this.dir = dir;
        this.bi = dir.resolve("bi").resolve("entrepot-bi.duckdb");
        this.semantic = dir.resolve("semantic.yml");
        this.access = dir.resolve("access.yml");
        this.publish = dir.resolve("publish.yml");
        this.dbt = dir.resolve("dbt");
    }

    /** Writes the YAML files and a first BI file (version v1). */
    static BiFixture create(Path dir) throws IOException, SQLException {
        BiFixture fixture = new BiFixture(dir);
        Files.createDirectories(fixture.bi.getParent());
        Files.writeString(fixture.semantic, SEMANTIC);
        Files.writeString(fixture.access, ACCESS);
        Files.writeString(fixture.publish, PUBLISH);
        Files.createDirectories(fixture.dbt.resolve("models").resolve("marts"));
        Files.writeString(fixture.dbt.resolve("dbt_project.yml"), "name: fixture\nversion: '1.0'\nprofile: fixture\n");
        Files.writeString(fixture.dbt.resolve("models").resolve("marts").resolve("_marts.yml"), DBT_PROPERTIES);
        writeBiFile(fixture.bi, "20260101T000000000Z-00000001", "");
        return fixture;
    }

    /**
     * Writes a BI file at {@code file}: the fixture's rows, plus {@code extraHousing} rows (SQL values, with a
     * leading comma), under publication {@code version}.
     */
    static void writeBiFile(Path file, String version, String extraHousing) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file);
             Statement statement = connection.createStatement()) {
            statement.execute("""
                    CREATE TABLE housing (housing_id VARCHAR, commune_code VARCHAR, commune_name VARCHAR,
                      epci_code VARCHAR, department_code VARCHAR, department_name VARCHAR, region_code VARCHAR,
                      status INTEGER, status_label VARCHAR, occupancy VARCHAR, is_vacant BOOLEAN, vacancy_years INTEGER,
                      rental_value INTEGER, living_area DOUBLE, owner_key VARCHAR, last_change_at TIMESTAMPTZ,
                      created_on DATE)""");
            statement.execute("INSERT INTO housing VALUES " + HOUSING + extraHousing);
            statement.execute("ALTER TABLE housing ADD COLUMN owner_name VARCHAR DEFAULT 'Jean Dupont'");
            statement.execute("""
                    CREATE TABLE communes AS SELECT * FROM (VALUES
                      ('75101', '75', 'A', 16000), ('75102', '75', 'A', 20000), ('92002', '92', 'B1', 60000),
                      ('33063', '33', 'B1', 250000), ('13055', '13', 'A', 870000))
                      AS t(commune_code, department_code, zone, population)""");
            statement.execute("""
                    CREATE TABLE establishments AS SELECT * FROM (VALUES
                      ('e1', 'COM', ['75']), ('e2', 'DEP', ['92']), ('e3', 'DEP', ['33']))
                      AS t(establishment_id, kind, department_code)""");
            statement.execute("""
                    CREATE TABLE campaigns AS SELECT * FROM (VALUES
                      ('c1', 'e1', 'Paris', ['75'], true, 10, 4, TIMESTAMPTZ '2024-03-01 09:00:00+00'),
                      ('c2', 'e1', 'Paris', ['75'], true, 10, 6, TIMESTAMPTZ '2024-05-01 09:00:00+00'),
                      ('c3', 'e2', 'Hauts-de-Seine', ['92', '75'], true, 20, 5, TIMESTAMPTZ '2024-06-01 09:00:00+00'),
                      ('c4', 'e3', 'Gironde', ['33'], false, 5, 0, NULL::TIMESTAMPTZ))
                      AS t(campaign_id, establishment_id, establishment_name, department_code, is_sent, housing_count,
                           returned, sent_at)""");
            statement.execute("""
                    CREATE TABLE kpis AS SELECT * FROM (VALUES
                      (DATE '2024-01-01', 2), (DATE '2024-02-01', 3), (DATE '2024-04-01', 5))
                      AS t(month, campaigns_sent)""");
            statement.execute("CREATE TABLE published_at (version VARCHAR NOT NULL, published_at TIMESTAMP NOT NULL,"
                    + " table_name VARCHAR NOT NULL, source VARCHAR NOT NULL, row_count BIGINT NOT NULL)");
            for (String table : List.of("housing", "communes", "campaigns", "establishments", "kpis")) {
                statement.execute("INSERT INTO published_at SELECT '" + version + "', TIMESTAMP '2026-01-01 06:00:00',"
                        + " '" + table + "', 'marts.marts_" + table + "', (SELECT count(*) FROM " + table + ")");
            }
        }
    }

    /** Publishes a new version the way the publisher does: a new file beside the live one, renamed over it. */
    void republish(String version, String extraHousing) throws SQLException, IOException {
        Path next = bi.resolveSibling(bi.getFileName() + "." + version + ".tmp");
        writeBiFile(next, version, extraHousing);
        Files.move(next, bi, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Options for tests: look for a new file before every request. */
    static SemanticOptions options() {
        return SemanticOptions.defaults().withCheckInterval(Duration.ZERO).withPoolSize(3);
    }

    SemanticApi open() {
        return Semantic.open(semantic, access, dbt, publish, bi, options());
    }

    static Principal analyst() {
        return new Principal("ana", "analyst", Map.of());
    }

    static Principal territory(String level, String... codes) {
        return new Principal("terr", "territory", Map.of(level, List.of(codes)));
    }

    static GraphQlResponse run(SemanticApi api, Principal principal, String query) {
        return api.execute(new GraphQlRequest(query, null, Map.of()), principal);
    }

    /** The rows of cube field {@code field} of a successful response. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> rows(GraphQlResponse response, String field) {
        assertThat(response.body()).as("response %s", response.body()).doesNotContainKey("errors");
        assertThat(response.httpStatus()).isEqualTo(200);
        Map<String, Object> data = (Map<String, Object>) response.body().get("data");
        Map<String, Object> result = (Map<String, Object>) data.get(field);
        return (List<Map<String, Object>>) result.get("rows");
    }

    /** The first error of a response: message and extensions.code. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> firstError(GraphQlResponse response) {
        List<Map<String, Object>> errors = (List<Map<String, Object>>) response.body().get("errors");
        assertThat(errors).as("errors of %s", response.body()).isNotEmpty();
        return errors.get(0);
    }

    @SuppressWarnings("unchecked")
    static String code(GraphQlResponse response) {
        return (String) ((Map<String, Object>) firstError(response).get("extensions")).get("code");
    }

    static String message(GraphQlResponse response) {
        return (String) firstError(response).get("message");
    }
}
