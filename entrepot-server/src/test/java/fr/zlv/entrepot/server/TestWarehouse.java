package fr.zlv.entrepot.server;

import fr.zlv.entrepot.semantic.Semantic;
import fr.zlv.entrepot.semantic.SemanticOptions;
import fr.zlv.entrepot.semantic.api.SemanticApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A small published BI file with hand-made housings in three départements, and the semantic.yml and access.yml that
 * serve it: the real semantic layer over a real DuckDB file, small enough to count the expected answers by hand.
 */
final class TestWarehouse {

    /** id, commune, département, région, status, vacant, rental value, created on. */
    private static final String HOUSING = """
            ('h01', '75101', '75', '11', 'Non suivi', true, 100, DATE '2023-02-01'),
            ('h02', '75102', '75', '11', 'Premier contact', true, 200, DATE '2024-03-01'),
            ('h03', '75102', '75', '11', 'Premier contact', false, 300, DATE '2024-05-01'),
            ('h04', '75103', '75', '11', 'Suivi en cours', true, 400, DATE '2025-01-01'),
            ('h05', '92002', '92', '11', 'Non suivi', true, 500, DATE '2024-06-01'),
            ('h06', '92002', '92', '11', 'Non suivi', false, 600, DATE '2024-07-01'),
            ('h07', '92004', '92', '11', 'Suivi en cours', true, 700, DATE '2025-02-01'),
            ('h08', '33063', '33', '75', 'Non suivi', true, 800, DATE '2023-09-01'),
            ('h09', '33063', '33', '75', 'Premier contact', false, 900, DATE '2024-10-01'),
            ('h10', '33063', '33', '75', 'Non suivi', true, 1000, DATE '2025-04-01')
            """;

    static final String SEMANTIC = """
            version: 1
            cubes:
              housing:
                table: housing
                description: "Logements (housings)."
                geography: {region: region_code, departement: department_code, commune: commune_code}
                measures:
                  count:
                    type: count
                    description: "Logements (housings)."
                  vacant_count:
                    type: count
                    description: "Logements vacants (vacant housings)."
                    filter: [{column: is_vacant, equals: true}]
                  vacancy_rate:
                    type: ratio
                    description: "Taux de vacance (vacancy rate)."
                    numerator: vacant_count
                    denominator: count
                  rental_value:
                    type: sum
                    column: rental_value
                    description: "Valeur locative (rental value)."
                dimensions:
                  status:
                    description: "Statut de suivi (follow-up status)."
                    column: status
                  departement:
                    description: "Département."
                    column: department_code
                  created_on:
                    type: time
                    description: "Création (created)."
                    column: created_on
                    grains: [month, year]
            """;

    static final String ACCESS = """
            version: 1
            roles:
              admin:
                description: "Tout, et le journal d'audit (everything, and the audit log)."
                audit_log: true
                grants:
                  - cubes: ["*"]
              analyst:
                description: "National."
                grants:
                  - cubes: ["*"]
              territory:
                description: "Son territoire (its territory)."
                territorial: true
                grants:
                  - cubes: [housing]
              partner:
                description: "Quelques agrégats (a few aggregates)."
                grants:
                  - cubes: [housing]
                    measures: [count]
                    dimensions: [status]
            """;

    final Path semantic;
    final Path access;
    final Path bi;

    private TestWarehouse(Path directory) {
        semantic = directory.resolve("semantic.yml");
        access = directory.resolve("access.yml");
        bi = directory.resolve("bi").resolve("entrepot-bi.duckdb");
    }

    static TestWarehouse create(Path directory) throws IOException, SQLException {
        TestWarehouse warehouse = new TestWarehouse(directory);
        Files.writeString(warehouse.semantic, SEMANTIC);
        Files.writeString(warehouse.access, ACCESS);
        Files.createDirectories(warehouse.bi.getParent());
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + warehouse.bi);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE housing (housing_id VARCHAR, commune_code VARCHAR, department_code VARCHAR,"
                    + " region_code VARCHAR, status VARCHAR, is_vacant BOOLEAN, rental_value INTEGER, created_on DATE)");
            statement.execute("INSERT INTO housing VALUES " + HOUSING);
            statement.execute("CREATE TABLE published_at (version VARCHAR NOT NULL, published_at TIMESTAMP NOT NULL,"
                    + " table_name VARCHAR NOT NULL, source VARCHAR NOT NULL, row_count BIGINT NOT NULL)");
            statement.execute("INSERT INTO published_at VALUES ('20261130T060000000Z-00000001',"
                    + " TIMESTAMP '2026-11-30 06:00:00', 'housing', 'marts.marts_housing', 10)");
        }
        return warehouse;
    }

    SemanticApi open() {
        return Semantic.open(semantic, access, null, null, bi, SemanticOptions.defaults());
    }
}
