package fr.zlv.entrepot.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the serving schema names and documents what it publishes, without a server. */
class PostgresMappingTest {

    @Test
    void undocumentedColumnsOfTheDbtDocsHaveNoComment() {
        Map<String, String> columns = new HashMap<>();
        columns.put("housing_id", " The housing's id ");
        columns.put("geo_code", null);
        columns.put("status", "");

        TableDocs docs = new TableDocs(null, columns, null);

        assertThat(docs.description()).isEmpty();
        assertThat(docs.columns()).containsExactly(Map.entry("housing_id", "The housing's id"));
        assertThat(docs.indexes()).isEmpty();
    }

    @Test
    void longIndexNamesAreShortenedAndStayDistinct() {
        String table = "a_table_with_a_rather_long_name_for_the_bi_tool";
        String one = PostgresPublisher.indexName(table, List.of("establishment_id", "geo_code"));
        String two = PostgresPublisher.indexName(table, List.of("establishment_id", "geo_code_2"));

        assertThat(PostgresPublisher.indexName("housing", List.of("geo_code"))).isEqualTo("housing_geo_code_idx");
        assertThat(one.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(63);
        assertThat(one).startsWith(table).endsWith("_idx").isNotEqualTo(two);
    }

    @Test
    void literalsAndUrlsAreSafeToShow() {
        assertThat(PostgresPublisher.literal("it's a \\ path")).isEqualTo("E'it''s a \\\\ path'");
        assertThat(PostgresPublisher.redact("jdbc:postgresql://h:5432/db?user=u&password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://h:5432/db?user=u&password=***&ssl=true");
        assertThat(PostgresPublisher.redact("jdbc:postgresql://u:s3cret@h:5432/db"))
                .isEqualTo("jdbc:postgresql://u:***@h:5432/db");
    }
}
