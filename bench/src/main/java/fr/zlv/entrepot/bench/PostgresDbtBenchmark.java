package fr.zlv.entrepot.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * bench/postgres-dbt: the warehouse's dbt project built on a PostgreSQL warehouse as it is (its three most-read LOVAC
 * models as tables there, every table analyzed after it is built) against the baseline, the same project with those
 * models left as views and no analyze, on the same data: {@code entrepot demo --warehouse postgres} builds the
 * warehouse once, then both projects are built in turn ({@code entrepot dbt build}), in alternating order. Each
 * build must leave the same row counts in every mart.
 */
public final class PostgresDbtBenchmark {

    private static final String CONFIG_LINE = "{{ config(materialized=reused_model_materialization()) }}";
    private static final String HOOK_LINE = "    +post-hook: \"{{ analyze_new_table() }}\"";
    private static final List<String> REUSED_MODELS = List.of("models/staging/lovac/stg_lovac_all.sql",
            "models/intermediate/lovac/int_lovac_housing_history.sql",
            "models/intermediate/analysis/int_analysis_housing_out.sql");

    private PostgresDbtBenchmark() {
    }

    record Build(String project, int round, double seconds, List<String> slowest, Map<String, Long> martRows) {
    }

    public static void main(String[] args) throws Exception {
        long housings = 100_000;
        int rounds = 2;
        String postgres = "jdbc:postgresql://127.0.0.1:5432/";
        Path reportFile = Path.of("BENCHMARKS.md");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--housings" -> housings = Long.parseLong(args[++i].replace("_", ""));
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--postgres" -> postgres = args[++i].endsWith("/") ? args[i] : args[i] + "/";
                case "--report" -> reportFile = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Path workspace = Path.of("bench", "target", "postgres-dbt").toAbsolutePath();
        WarehouseBuildBenchmark.deleteRecursively(workspace);
        Files.createDirectories(workspace);
        String database = "zlv_pgdbt";
        Map<String, String> environment = ScaleBenchmark.environment(workspace, "postgres", database, postgres, "4");

        System.err.printf(Locale.ROOT, "entrepot demo --housings %d --warehouse postgres%n", housings);
        ScaleBenchmark.run(environment, workspace.resolve("demo.log"), "demo", "--housings", Long.toString(housings),
                "--warehouse", "postgres", "--workspace", workspace.toString(), "--database", database, "--json");

        Path current = Path.of("warehouse", "dbt").toAbsolutePath();
        Path baseline = baselineProject(current, workspace.resolve("dbt-baseline"));
        String warehouseUrl = environment.get("ENTREPOT_WAREHOUSE");
        List<Build> builds = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            // Alternating order: neither project always runs on the other's warm cache.
            List<Path> order = round % 2 == 1 ? List.of(baseline, current) : List.of(current, baseline);
            for (Path project : order) {
                String name = project.equals(current) ? "as shipped" : "baseline";
                long started = System.nanoTime();
                ScaleBenchmark.run(environment, workspace.resolve("build-" + round + "-" + name.replace(' ', '-') + ".log"),
                        "dbt", "build", "--project-dir", project.toString(), "--target", "postgres");
                double seconds = (System.nanoTime() - started) / 1e9;
                Build build = new Build(name, round, seconds, slowest(project.resolve("target/run_results.json")),
                        martRows(warehouseUrl));
                System.err.println("  " + build.project() + " round " + round + ": " + String.format(Locale.ROOT,
                        "%.1f s", seconds) + ", slowest " + build.slowest());
                builds.add(build);
            }
        }
        for (Build build : builds) {
            if (!build.martRows().equals(builds.get(0).martRows())) {
                throw new IllegalStateException("the marts differ between builds: " + builds.get(0).martRows() + " ("
                        + builds.get(0).project() + ") and " + build.martRows() + " (" + build.project() + ")");
            }
        }
        report(reportFile, housings, builds, postgres);
    }

    /**
     * The shipped project with the three much-read models left as views (the layers' default) and no analyze hook:
     * what the project was before it learned PostgreSQL's costs. Fails if the project no longer has those lines.
     */
    static Path baselineProject(Path current, Path copy) throws IOException {
        try (Stream<Path> files = Files.walk(current)) {
            for (Path file : files.filter(path -> !current.relativize(path).startsWith("target")).toList()) {
                Path target = copy.resolve(current.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        for (String model : REUSED_MODELS) {
            replaceOnce(copy.resolve(model), CONFIG_LINE, "");
        }
        replaceOnce(copy.resolve("dbt_project.yml"), HOOK_LINE + "\n", "");
        return copy;
    }

    private static void replaceOnce(Path file, String line, String replacement) throws IOException {
        String text = Files.readString(file);
        if (!text.contains(line)) {
            throw new IllegalStateException(file + " no longer holds `" + line.strip() + "`: update the baseline");
        }
        Files.writeString(file, text.replace(line, replacement));
    }

    /** The three nodes that took longest, from dbt's run_results.json. */
    private static List<String> slowest(Path runResults) throws IOException {
        JsonNode results = new ObjectMapper().readTree(runResults.toFile()).get("results");
        List<JsonNode> nodes = new ArrayList<>();
        results.forEach(nodes::add);
        return nodes.stream().sorted(Comparator.comparingDouble((JsonNode n) -> n.get("execution_time").asDouble())
                        .reversed()).limit(3)
                .map(n -> String.format(Locale.ROOT, "%s %.1f s", n.get("unique_id").asText()
                        .replaceFirst("^[a-z]+\\.zlv_warehouse\\.", ""), n.get("execution_time").asDouble()))
                .toList();
    }

    private static Map<String, Long> martRows(String warehouseUrl) throws Exception {
        Map<String, Long> rows = new TreeMap<>();
        try (Connection connection = DriverManager.getConnection(warehouseUrl);
             Statement statement = connection.createStatement()) {
            List<String> marts = new ArrayList<>();
            try (ResultSet tables = statement.executeQuery("SELECT table_name FROM information_schema.tables"
                    + " WHERE table_schema = 'marts' ORDER BY 1")) {
                while (tables.next()) {
                    marts.add(tables.getString(1));
                }
            }
            for (String mart : marts) {
                try (ResultSet count = statement.executeQuery("SELECT count(*) FROM marts.\"" + mart + "\"")) {
                    count.next();
                    rows.put(mart, count.getLong(1));
                }
            }
        }
        return rows;
    }

    private static void report(Path reportFile, long housings, List<Build> builds, String postgres) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("## The dbt project on a PostgreSQL warehouse (bench/postgres-dbt.sh)");
        lines.add("");
        lines.add(String.format(Locale.ROOT, "`entrepot dbt build` of the warehouse's project (every model and its"
                + " tests) on a PostgreSQL warehouse built by `entrepot demo --housings %,d --warehouse postgres`: the"
                + " project as shipped (on PostgreSQL `stg_lovac_all`, `int_lovac_housing_history` and"
                + " `int_analysis_housing_out` are tables, and every table is analyzed after it is built) against the"
                + " baseline, the same project with those three models as views and no analyze. Same data, alternating"
                + " order; every build left the same row counts in all %d marts. Times are the whole command's.",
                housings, builds.get(0).martRows().size()));
        lines.add("");
        lines.add("| round | project | dbt build | three slowest nodes |");
        lines.add("|---|---|---|---|");
        for (Build build : builds) {
            lines.add(String.format(Locale.ROOT, "| %d | %s | %.1f s | %s |", build.round(), build.project(),
                    build.seconds(), String.join(", ", build.slowest())));
        }
        lines.add("");
        lines.add(String.format(Locale.ROOT, "Measured %s on %d cores, Java %s, %s with its default settings.",
                java.time.LocalDate.now(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                ScaleBenchmark.postgresVersion(postgres)));
        BenchmarkReport.replaceSection(reportFile, "postgres-dbt", String.join("\n", lines));
        System.out.println(String.join("\n", lines));
    }
}
