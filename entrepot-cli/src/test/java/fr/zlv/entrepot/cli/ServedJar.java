package fr.zlv.entrepot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the ITs of {@code entrepot serve} share: the packaged jar started as a user starts it, the address it prints,
 * and the little BI file and semantic model it serves.
 */
final class ServedJar {

    static final Path JAR = Path.of("target", "entrepot.jar");

    /** semantic.yml for {@link #writeHousingBi}'s table: cube housing, measure vacant_count, dimension departement. */
    static final String HOUSING_SEMANTIC = """
            version: 1
            cubes:
              housing:
                table: housing
                description: "Logements (housings)."
                geography: {departement: department_code}
                measures:
                  vacant_count:
                    type: count
                    description: "Logements vacants (vacant housings)."
                    filter: [{column: is_vacant, equals: true}]
                dimensions:
                  departement:
                    description: "Département."
                    column: department_code
            """;

    private ServedJar() {
    }

    /** A BI file whose housing table has 3 rows (2 vacant, in 2 départements), published as version v1. */
    static void writeHousingBi(Path bi) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + bi);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE housing AS SELECT * FROM (VALUES ('75', true), ('75', false), ('33', true))"
                    + " AS t(department_code, is_vacant)");
            statement.execute("CREATE TABLE published_at (version VARCHAR, published_at TIMESTAMP, table_name VARCHAR,"
                    + " source VARCHAR, row_count BIGINT)");
            statement.execute("INSERT INTO published_at VALUES ('v1', TIMESTAMP '2026-11-30 06:00:00', 'housing',"
                    + " 'marts.marts_housing', 3)");
        }
    }

    /** {@code java -jar entrepot.jar serve --config <settings>}, its errors merged into its output. */
    static Process serve(Path settings) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                JAR.toString(), "serve", "--config", settings.toString());
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /**
     * Reads the server's output until a line matches {@code line}, and gives the address in the pattern's first group;
     * fails, showing what was printed, if the output ends first.
     */
    static URI printedAddress(Process process, Pattern line) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        URI address = null;
        StringBuilder printed = new StringBuilder();
        for (String text = out.readLine(); text != null && address == null; text = out.readLine()) {
            printed.append(text).append('\n');
            Matcher matcher = line.matcher(text);
            if (matcher.find()) {
                address = URI.create(matcher.group(1));
            }
        }
        assertThat(address).as(printed.toString()).isNotNull();
        return address;
    }
}
