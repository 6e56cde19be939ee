package fr.zlv.entrepot.bench;

import fr.zlv.entrepot.dbt.DbtEngine;
import fr.zlv.entrepot.dbt.DbtEngine.Selection;
import fr.zlv.entrepot.dbt.graph.Node;
import fr.zlv.entrepot.dbt.graph.ResourceType;
import fr.zlv.entrepot.dbt.run.NodeResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * bench/dbt-tests: 2,000 generic tests over a table of 1M rows, run by {@code entrepot dbt test}, against the same
 * test queries (read back from target/run) sent straight to DuckDB over JDBC in the same process. The difference,
 * per test, is the engine's overhead: compiling the test macro, the wrapping query, files, bookkeeping.
 */
public final class DbtTestsBenchmark {

    private DbtTestsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int tests = 2000;
        long rows = 1_000_000;
        int rounds = 2;
        Path reportFile = Path.of("BENCHMARKS.md");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--tests" -> tests = Integer.parseInt(args[++i].replace("_", ""));
                case "--rows" -> rows = Long.parseLong(args[++i].replace("_", ""));
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--report" -> reportFile = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Path project = Path.of("bench", "target", "dbt-tests-" + tests).toAbsolutePath();
        generate(project, tests, rows);
        Path database = project.resolve("tests.duckdb");
        Files.deleteIfExists(database);
        DbtEngine.Options options = DbtEngine.Options.of(project)
                .withEnvironment(Map.of("BENCH_DATABASE", database.toString())).withConsole(line -> { });
        try (DbtEngine dbt = DbtEngine.load(options)) {
            if (!dbt.run(Selection.ALL).succeeded()) {
                throw new IllegalStateException("the table of " + rows + " rows was not built");
            }
        }
        double bestEngine = Double.MAX_VALUE;
        double bestParallel = Double.MAX_VALUE;
        double bestRaw = Double.MAX_VALUE;
        long failing = 0;
        int ran = 0;
        for (int round = 1; round <= rounds; round++) {
            try (DbtEngine dbt = DbtEngine.load(options.withThreads(1))) {
                long started = System.nanoTime();
                DbtEngine.CommandResult result = dbt.test(Selection.ALL);
                double seconds = (System.nanoTime() - started) / 1e9;
                ran = result.results().size();
                failing = result.results().stream().filter(r -> r.status() == NodeResult.Status.FAIL).count();
                bestEngine = Math.min(bestEngine, seconds);
                List<String> queries = queries(dbt, project);
                double raw = raw(database, queries);
                bestRaw = Math.min(bestRaw, raw);
                System.out.printf(Locale.ROOT, "round %d: dbt test (1 thread) %.2f s, raw queries %.2f s%n", round,
                        seconds, raw);
            }
            try (DbtEngine dbt = DbtEngine.load(options.withThreads(2))) {
                long started = System.nanoTime();
                dbt.test(Selection.ALL);
                double seconds = (System.nanoTime() - started) / 1e9;
                bestParallel = Math.min(bestParallel, seconds);
                System.out.printf(Locale.ROOT, "round %d: dbt test (2 threads) %.2f s%n", round, seconds);
            }
        }
        String markdown = markdown(ran, rows, rounds, failing, bestEngine, bestRaw, bestParallel);
        System.out.println(markdown);
        BenchmarkReport.replaceSection(reportFile, "dbt-tests", markdown);
    }

    /**
     * A table of {@code rows} rows and {@code tests} tests on it: not_null and unique on each of its columns under
     * many {@code where} filters, accepted_values with growing lists, relationships to a small table; some find failing rows
     * (null codes, statuses outside short lists, regions missing from the small table).
     */
    static void generate(Path project, int tests, long rows) throws Exception {
        Files.createDirectories(project.resolve("models"));
        write(project.resolve("dbt_project.yml"), "name: tested\nprofile: tested\nmodels:\n  tested:\n"
                + "    +materialized: table\n");
        write(project.resolve("profiles.yml"), "tested:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n"
                + "      path: \"{{ env_var('BENCH_DATABASE') }}\"\n      threads: 2\n");
        write(project.resolve("models/facts.sql"), "select range as id, range % 1000 as bucket,"
                + " 'status_' || (range % 7) as status, case when range % 1001 = 0 then null else range % 97 end as code,"
                + " range % 50 as region_id, date '2020-01-01' + cast(range % 1500 as integer) as day\n"
                + "from range(" + rows + ")\n");
        write(project.resolve("models/regions.sql"), "select range as region_id from range(48)\n");
        StringBuilder yaml = new StringBuilder("version: 2\nmodels:\n  - name: facts\n    data_tests:\n");
        for (int i = 0; i < tests; i++) {
            int bucket = i % 1000;
            String test = switch (i % 5) {
                case 0 -> "      - name: id_not_null_" + i + "\n        test_name: not_null\n        column_name: id\n"
                        + "        config: {where: \"bucket = " + bucket + "\"}\n";
                case 1 -> "      - name: id_unique_" + i + "\n        test_name: unique\n        column_name: id\n"
                        + "        config: {where: \"bucket = " + bucket + "\"}\n";
                case 2 -> "      - name: code_not_null_" + i + "\n        test_name: not_null\n        column_name: code\n"
                        + "        config: {where: \"bucket = " + bucket + "\"}\n";
                case 3 -> "      - name: status_known_" + i + "\n        test_name: accepted_values\n"
                        + "        column_name: status\n        values: [" + statuses(1 + i % 8) + "]\n"
                        + "        config: {where: \"bucket = " + bucket + "\"}\n";
                default -> "      - name: region_exists_" + i + "\n        test_name: relationships\n"
                        + "        column_name: region_id\n        to: ref('regions')\n        field: region_id\n"
                        + "        config: {where: \"bucket = " + bucket + "\"}\n";
            };
            yaml.append(test);
        }
        write(project.resolve("models/facts.yml"), yaml.toString());
    }

    private static String statuses(int count) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            values.add("status_" + i);
        }
        return String.join(", ", values);
    }

    /** The query each test ran (its last statement in target/run), in the order they ran. */
    private static List<String> queries(DbtEngine dbt, Path project) throws Exception {
        List<String> queries = new ArrayList<>();
        for (Node node : dbt.selected(Selection.ALL, Set.of(ResourceType.TEST))) {
            Path file = project.resolve("target/run").resolve(node.packageName())
                    .resolve(fr.zlv.entrepot.dbt.run.Compiler.buildPath(node));
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            String[] statements = text.split(";\n\n");
            String last = statements[statements.length - 1];
            queries.add(last.endsWith(";") ? last.substring(0, last.length() - 1) : last);
        }
        return queries;
    }

    /** The same queries over JDBC, one after the other, reading their one row. */
    private static double raw(Path database, List<String> queries) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + database);
             Statement statement = connection.createStatement()) {
            long started = System.nanoTime();
            for (String query : queries) {
                try (ResultSet rows = statement.executeQuery(query)) {
                    rows.next();
                }
            }
            return (System.nanoTime() - started) / 1e9;
        }
    }

    private static void write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static String markdown(int tests, long rows, int rounds, long failing, double engine, double raw,
                                   double parallel) {
        StringBuilder md = new StringBuilder("## dbt data tests (`bench/dbt-tests.sh`)\n\n");
        md.append(String.format(Locale.ROOT, "Measured %s on %d cores. %,d generic tests (not_null, unique,"
                        + " accepted_values, relationships, each with a `where`; %d of them fail) over a table of %,d rows;"
                        + " best of %d rounds. The baseline is the very queries the tests ran (read back from target/run)"
                        + " sent straight to DuckDB over JDBC, one after the other, in the same process.%n%n",
                LocalDate.now(), Runtime.getRuntime().availableProcessors(), tests, failing, rows, rounds));
        md.append("| way | seconds | per test |\n|---|---:|---:|\n");
        md.append(String.format(Locale.ROOT, "| `entrepot dbt test`, 1 thread | %.2f | %.2f ms |%n", engine,
                engine / tests * 1000));
        md.append(String.format(Locale.ROOT, "| the same queries straight to DuckDB (baseline) | %.2f | %.2f ms |%n",
                raw, raw / tests * 1000));
        md.append(String.format(Locale.ROOT, "| `entrepot dbt test`, 2 threads | %.2f | %.2f ms |%n", parallel,
                parallel / tests * 1000));
        md.append(String.format(Locale.ROOT, "%nEngine overhead: **%.2f ms per test** over the raw query.%n",
                (engine - raw) / tests * 1000));
        return md.toString();
    }
}
