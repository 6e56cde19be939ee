package fr.zlv.entrepot.dbt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.zlv.entrepot.dbt.DbtEngine.Selection;
import fr.zlv.entrepot.dbt.run.SourceFreshness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dbt source freshness: warn_after, error_after, filter, a missing table, and target/sources.json. */
class SourceFreshnessTest {

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    @TempDir
    Path project;

    private void write(String path, String text) throws IOException {
        Path file = project.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static String ago(Duration duration) {
        return "timestamp '" + UTC.format(Instant.now().minus(duration)) + "'";
    }

    @Test
    void eachTableIsPassWarnOrStaleByItsThresholds() throws Exception {
        write("dbt_project.yml", "name: fresh\nprofile: fresh\n");
        write("profiles.yml", "fresh:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: fresh.duckdb\n");
        write("models/sources.yml", """
                version: 2
                sources:
                  - name: lake
                    loaded_at_field: loaded_at
                    freshness:
                      warn_after: {count: 1, period: hour}
                      error_after: {count: 1, period: day}
                    tables:
                      - name: recent
                      - name: late
                      - name: stale
                        freshness:
                          error_after: {count: 12, period: hour}
                      - name: filtered
                        freshness:
                          error_after: {count: 12, period: hour}
                          filter: "kind = 'full'"
                      - name: missing
                      - name: unchecked
                        freshness: null
                """);
        try (DbtEngine dbt = DbtEngine.load(DbtEngine.Options.of(project).withEnvironment(Map.of())
                .withConsole(line -> { }))) {
            dbt.adapter().execute("create schema lake");
            dbt.adapter().execute("create table lake.recent as select " + ago(Duration.ofMinutes(10)) + " as loaded_at");
            dbt.adapter().execute("create table lake.late as select " + ago(Duration.ofHours(2)) + " as loaded_at");
            dbt.adapter().execute("create table lake.stale as select " + ago(Duration.ofDays(2)) + " as loaded_at");
            dbt.adapter().execute("create table lake.filtered as select * from (values (" + ago(Duration.ofMinutes(5))
                    + ", 'partial'), (" + ago(Duration.ofDays(3)) + ", 'full')) as t(loaded_at, kind)");
            dbt.adapter().execute("create table lake.unchecked as select " + ago(Duration.ofDays(30)) + " as loaded_at");

            List<SourceFreshness.Result> results = dbt.sourceFreshness(Selection.ALL);
            Map<String, String> statuses = results.stream().collect(Collectors.toMap(r -> r.source().name(),
                    SourceFreshness.Result::status));

            assertThat(statuses).containsExactlyInAnyOrderEntriesOf(Map.of("recent", "pass", "late", "warn",
                    "stale", "error", "filtered", "error", "missing", "runtime error"));
            SourceFreshness.Result late = results.stream().filter(r -> r.source().name().equals("late")).findFirst()
                    .orElseThrow();
            assertThat(late.ageSeconds()).isBetween(7190.0, 7300.0);
            assertThat(results.stream().filter(r -> r.source().name().equals("missing")).findFirst().orElseThrow()
                    .error()).contains("models/sources.yml").contains("missing");
            assertThat(dbt.sourceFreshness(Selection.of("source:lake.recent"))).hasSize(1);
        }
        JsonNode document = new ObjectMapper().readTree(project.resolve("target/sources.json").toFile());
        assertThat(keys(document)).isEqualTo(Set.of("metadata", "results", "elapsed_time"));
        assertThat(document.at("/metadata/dbt_schema_version").asText())
                .isEqualTo("https://schemas.getdbt.com/dbt/sources/v3.json");
        JsonNode result = document.at("/results/0");
        assertThat(result.get("unique_id").asText()).isEqualTo("source.fresh.lake.recent");
        assertThat(keys(result)).isEqualTo(Set.of("unique_id", "max_loaded_at", "snapshotted_at",
                "max_loaded_at_time_ago_in_s", "status", "criteria", "adapter_response", "timing", "thread_id",
                "execution_time"));
        assertThat(result.at("/criteria/warn_after/period").asText()).isEqualTo("hour");
    }

    private static Set<String> keys(JsonNode node) {
        Set<String> keys = new HashSet<>();
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            keys.add(names.next());
        }
        return keys;
    }
}
