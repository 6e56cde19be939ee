package fr.zlv.entrepot.dbt;

import static org.assertj.core.api.Assertions.assertThat;

import fr.zlv.entrepot.dbt.DbtEngine.Selection;
import fr.zlv.entrepot.dbt.run.NodeResult;
import fr.zlv.entrepot.dbt.run.NodeResult.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dbt unit tests: given rows (dict and csv), expected rows, overrides, and their place in build. */
class UnitTestsTest {

    @TempDir
    Path project;

    private final List<String> console = new CopyOnWriteArrayList<>();

    private void write(String path, String text) throws IOException {
        Path file = project.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @BeforeEach
    void aProjectWithUnitTests() throws IOException {
        write("dbt_project.yml", "name: units\nprofile: units\nvars:\n  minimum_orders: 1\n");
        write("profiles.yml", "units:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: u.duckdb\n");
        write("seeds/customers.csv", "id,email\n1,ana@example.com\n2,not-an-email\n");
        write("seeds/domains.csv", "tld\nexample.com\n");
        write("seeds/orders.csv", "id,customer_id,ordered_at\n1,1,2024-01-01\n2,1,2024-02-01\n3,2,2024-03-01\n");
        write("models/customer_emails.sql", """
                select
                    customers.id,
                    customers.email,
                    customers.email like '%@%' and split_part(customers.email, '@', 2) in (select tld from {{ ref('domains') }})
                        as is_valid
                from {{ ref('customers') }} as customers
                """);
        write("models/frequent_customers.sql", """
                select customer_id, count(*) as orders
                from {{ ref('orders') }}
                group by customer_id
                having count(*) > {{ var('minimum_orders') }}
                """);
        write("models/new_orders.sql", """
                {{ config(materialized='incremental', unique_key='id') }}
                select id, customer_id, ordered_at from {{ ref('orders') }}
                {% if is_incremental() %}
                where ordered_at > (select max(ordered_at) from {{ this }})
                {% endif %}
                """);
        write("models/unit_tests.yml", """
                version: 2
                unit_tests:
                  - name: valid_emails_have_a_known_domain
                    description: An address is valid when it has an @ and a domain we know.
                    model: customer_emails
                    given:
                      - input: ref('customers')
                        rows:
                          - {id: 1, email: ana@example.com}
                          - {id: 2, email: bob@unknown.org}
                          - {id: 3, email: nobody}
                      - input: ref('domains')
                        format: csv
                        rows: |
                          tld
                          example.com
                    expect:
                      rows:
                        - {id: 1, is_valid: true}
                        - {id: 2, is_valid: false}
                        - {id: 3, is_valid: false}
                  - name: a_wrong_expectation
                    model: customer_emails
                    given:
                      - input: ref('customers')
                        rows:
                          - {id: 1, email: ana@example.com}
                      - input: ref('domains')
                        rows: []
                    expect:
                      rows:
                        - {id: 1, is_valid: true}
                  - name: frequent_means_more_than_the_minimum
                    model: frequent_customers
                    overrides:
                      vars: {minimum_orders: 2}
                    given:
                      - input: ref('orders')
                        rows:
                          - {id: 1, customer_id: 7}
                          - {id: 2, customer_id: 7}
                          - {id: 3, customer_id: 7}
                          - {id: 4, customer_id: 8}
                          - {id: 5, customer_id: 8}
                    expect:
                      rows:
                        - {customer_id: 7, orders: 3}
                  - name: only_orders_after_the_last_one_loaded
                    model: new_orders
                    overrides:
                      macros: {is_incremental: true}
                    given:
                      - input: ref('orders')
                        rows:
                          - {id: 1, customer_id: 1, ordered_at: 2024-01-01}
                          - {id: 2, customer_id: 1, ordered_at: 2024-02-01}
                      - input: this
                        rows:
                          - {id: 1, customer_id: 1, ordered_at: 2024-01-01}
                    expect:
                      rows:
                        - {id: 2}
                """);
    }

    private DbtEngine load() {
        return DbtEngine.load(DbtEngine.Options.of(project).withEnvironment(Map.of()).withConsole(console::add));
    }

    @Test
    void unitTestsPassOrFailWithTheDifference() {
        try (DbtEngine dbt = load()) {
            dbt.seed(Selection.ALL);
            DbtEngine.CommandResult result = dbt.test(Selection.of("test_type:unit"));
            Map<String, NodeResult> byName = result.results().stream()
                    .collect(Collectors.toMap(r -> r.node().name(), r -> r));

            assertThat(byName.keySet()).containsExactlyInAnyOrder("valid_emails_have_a_known_domain",
                    "a_wrong_expectation", "frequent_means_more_than_the_minimum", "only_orders_after_the_last_one_loaded");
            assertThat(byName.get("valid_emails_have_a_known_domain").status()).as(
                    byName.get("valid_emails_have_a_known_domain").message()).isEqualTo(Status.PASS);
            assertThat(byName.get("frequent_means_more_than_the_minimum").status()).as(
                    byName.get("frequent_means_more_than_the_minimum").message()).isEqualTo(Status.PASS);
            assertThat(byName.get("only_orders_after_the_last_one_loaded").status()).as(
                    byName.get("only_orders_after_the_last_one_loaded").message()).isEqualTo(Status.PASS);
            NodeResult wrong = byName.get("a_wrong_expectation");
            assertThat(wrong.status()).isEqualTo(Status.FAIL);
            assertThat(wrong.failures()).isEqualTo(2);
            assertThat(wrong.message()).contains("actual differs from expected").contains("+++,1,false")
                    .contains("---,1,true");
            assertThat(result.exitCode()).isEqualTo(1);
        }
        assertThat(String.join("\n", console)).contains("Failure in unit_test a_wrong_expectation (models/unit_tests.yml)");
    }

    @Test
    void inBuildAModelWaitsForItsUnitTestsAndAFailureSkipsIt() {
        try (DbtEngine dbt = load()) {
            DbtEngine.CommandResult result = dbt.build(Selection.ALL);
            Map<String, NodeResult> byName = result.results().stream()
                    .collect(Collectors.toMap(r -> r.node().name(), r -> r));
            assertThat(byName.get("customer_emails").status()).isEqualTo(Status.SKIPPED);
            assertThat(byName.get("frequent_customers").status()).isEqualTo(Status.SUCCESS);
            assertThat(byName.get("frequent_means_more_than_the_minimum").executeEnded())
                    .isBeforeOrEqualTo(byName.get("frequent_customers").executeStarted());
            assertThat(byName.get("frequent_means_more_than_the_minimum").executeStarted())
                    .isAfterOrEqualTo(byName.get("orders").executeEnded());
            assertThat(dbt.project().manifest().unitTests()).containsKey(
                    "unit_test.units.customer_emails.valid_emails_have_a_known_domain");
        }
    }
}
