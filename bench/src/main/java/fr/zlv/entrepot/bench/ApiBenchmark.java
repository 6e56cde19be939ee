package fr.zlv.entrepot.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import fr.zlv.entrepot.core.settings.LoadedSettings;
import fr.zlv.entrepot.core.settings.Secret;
import fr.zlv.entrepot.core.settings.ServeSettings;
import fr.zlv.entrepot.core.settings.Settings;
import fr.zlv.entrepot.core.settings.SettingsLoader;
import fr.zlv.entrepot.orchestrator.store.RunStore;
import fr.zlv.entrepot.orchestrator.store.RunStores;
import fr.zlv.entrepot.semantic.Semantic;
import fr.zlv.entrepot.semantic.SemanticOptions;
import fr.zlv.entrepot.semantic.api.SemanticApi;
import fr.zlv.entrepot.server.EntrepotServer;
import fr.zlv.entrepot.server.auth.TokenIssuer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.duckdb.DuckDBConnection;

/**
 * bench/api: the GraphQL API under a closed-loop load (N clients on loopback, each sending its next request when
 * the last is answered), on a cached query (the same one again and again) and an uncached one (a page of communes
 * of a département, a page never asked before), against two baselines measured in the same run: {@code /health}
 * (the HTTP floor: token-free, no query) and the uncached query's SQL sent straight to DuckDB over JDBC from as many
 * threads. The load generator runs in the server's JVM and shares its cores.
 */
public final class ApiBenchmark {

    static final String CACHED = "{ housing(measures: [vacant_count, vacancy_rate], dimensions: [{dimension: territory,"
            + " level: DEPARTEMENT}]) { rows { territory { code name } vacant_count vacancy_rate } } }";
    static final String UNCACHED = "query Page($d: FilterValue!, $limit: Int, $offset: Int) { housing(measures:"
            + " [vacant_count, vacancy_rate], dimensions: [{dimension: territory, level: COMMUNE}], filters:"
            + " [{dimension: territory, level: DEPARTEMENT, operator: EQUALS, value: $d}], limit: $limit,"
            + " offset: $offset) { rows { territory { code name } vacant_count vacancy_rate } } }";
    /** The uncached query as SQL, written by hand the way the semantic layer compiles it. */
    static final String UNCACHED_SQL = "SELECT commune_code, commune_name, count(*) FILTER (WHERE is_vacant) AS"
            + " vacant_count, count(*) FILTER (WHERE is_vacant)::DOUBLE / NULLIF(count(*), 0) AS vacancy_rate"
            + " FROM bi.housing WHERE department_code = ? GROUP BY commune_code, commune_name"
            + " ORDER BY commune_code, commune_name LIMIT ? OFFSET ?";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ApiBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path bi = Path.of("bench", "target", "warehouse-build-1m", "bi", "entrepot-bi.duckdb");
        int seconds = 30;
        int clients = 32;
        int warmUp = 5;
        Path report = Path.of("BENCHMARKS.md");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--bi" -> bi = Path.of(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--warm-up" -> warmUp = Integer.parseInt(args[++i]);
                case "--report" -> report = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (expected --bi FILE, --seconds N, --clients N, --warm-up N, --report FILE)");
            }
        }
        if (!Files.isRegularFile(bi)) {
            throw new IllegalStateException(bi + " is missing: run bench/warehouse-build.sh first (or give --bi)");
        }
        Duration measured = Duration.ofSeconds(seconds);
        Duration warm = Duration.ofSeconds(warmUp);
        LoadedSettings loaded = new SettingsLoader(Map.of()).load(Path.of("warehouse", "entrepot.yml"));
        Settings settings = loaded.settings();
        Path work = Path.of("bench", "target", "api").toAbsolutePath();
        Files.createDirectories(work);
        Files.deleteIfExists(work.resolve("runs.sqlite"));

        long housings;
        List<String> departements = new ArrayList<>();
        List<ClosedLoop.Result> results = new ArrayList<>();
        // The JDBC baseline first, on its own DuckDB instance, closed before the server opens the file.
        try (Connection root = DriverManager.getConnection("jdbc:duckdb:")) {
            try (Statement statement = root.createStatement()) {
                statement.execute("ATTACH '" + bi.toAbsolutePath().toString().replace("'", "''") + "' AS bi (READ_ONLY)");
                try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM bi.housing")) {
                    rows.next();
                    housings = rows.getLong(1);
                }
                try (ResultSet rows = statement.executeQuery("SELECT DISTINCT department_code FROM bi.housing"
                        + " WHERE department_code IS NOT NULL ORDER BY 1")) {
                    while (rows.next()) {
                        departements.add(rows.getString(1));
                    }
                }
            }
            System.out.printf(Locale.ROOT, "BI file %s: %,d housings, %d départements; %d clients, %d s each after %d s"
                    + " of warm-up%n", bi, housings, departements.size(), clients, seconds, warmUp);
            AtomicLong pages = new AtomicLong();
            List<ClosedLoop.Request> jdbc = new ArrayList<>();
            List<Connection> connections = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                Connection connection = ((DuckDBConnection) root).duplicate();
                connections.add(connection);
                PreparedStatement query = connection.prepareStatement(UNCACHED_SQL);
                jdbc.add(() -> {
                    Page page = Page.of(pages.getAndIncrement(), departements);
                    query.setString(1, page.departement());
                    query.setInt(2, page.limit());
                    query.setInt(3, page.offset());
                    try (ResultSet rows = query.executeQuery()) {
                        while (rows.next()) {
                            rows.getString(1);
                        }
                    }
                    return true;
                });
            }
            results.add(print(ClosedLoop.run("DuckDB over JDBC, the uncached query's SQL", jdbc, warm, measured)));
            for (Connection connection : connections) {
                connection.close();
            }
        }

        byte[] key = new byte[48];
        new SecureRandom().nextBytes(key);
        ServeSettings serve = settings.serve().withPaths(settings.serve().semantic(), settings.serve().access(),
                bi.toAbsolutePath().toString()).withAddress("127.0.0.1", 0)
                .withJwtSecret(Secret.of(Base64.getEncoder().encodeToString(key)))
                .withLimits(1_000_000_000, 65_536, 30);
        Path dbt = Path.of(settings.transform().projectDir());
        String cacheFigures;
        try (RunStore store = RunStores.open(work.resolve("runs.sqlite").toString());
             SemanticApi semantic = Semantic.open(Path.of(serve.semantic()), Path.of(serve.access()), dbt,
                     Path.of(settings.publish().tables()), bi, SemanticOptions.defaults());
             EntrepotServer server = EntrepotServer.start(serve, semantic, store)) {
            String token = new TokenIssuer(serve).issue(new TokenIssuer.Grant("bench", "analyst", Map.of(),
                    Duration.ofHours(2))).token();
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI metrics = server.url().resolve("/metrics");
            List<RawHttp> connections = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                connections.add(new RawHttp(server.url()));
            }

            results.add(print(ClosedLoop.run("HTTP floor: GET /health", each(connections, http -> {
                byte[] request = http.get("/health");
                return () -> http.send(request).status() == 200;
            }), warm, measured)));

            double[] before = cache(client, metrics);
            results.add(print(ClosedLoop.run("GraphQL, cached (vacant housings by département)", each(connections,
                    http -> {
                        byte[] request = http.post("/graphql", token, JSON.writeValueAsString(Map.of("query", CACHED)));
                        return () -> ok(http.send(request));
                    }), warm, measured)));
            double[] afterCached = cache(client, metrics);

            AtomicLong pages = new AtomicLong();
            results.add(print(ClosedLoop.run("GraphQL, uncached (a new page of communes each time)", each(connections,
                    http -> () -> {
                        Page page = Page.of(pages.getAndIncrement(), departements);
                        return ok(http.send(http.post("/graphql", token, JSON.writeValueAsString(Map.of(
                                "query", UNCACHED, "variables", Map.of("d", page.departement(), "limit", page.limit(),
                                        "offset", page.offset()))))));
                    }), warm, measured)));
            double[] afterUncached = cache(client, metrics);
            for (RawHttp connection : connections) {
                connection.close();
            }
            cacheFigures = String.format(Locale.ROOT, "cache hits/misses during the cached load %,.0f/%,.0f, during"
                            + " the uncached load %,.0f/%,.0f", afterCached[0] - before[0], afterCached[1] - before[1],
                    afterUncached[0] - afterCached[0], afterUncached[1] - afterCached[1]);
            System.out.println(cacheFigures);
        }

        ClosedLoop.Result jdbc = results.get(0);
        ClosedLoop.Result floor = results.get(1);
        ClosedLoop.Result cached = results.get(2);
        ClosedLoop.Result uncached = results.get(3);
        StringBuilder md = new StringBuilder();
        md.append("## API (bench/api.sh)\n\n");
        md.append(String.format(Locale.ROOT, "%s, %d cores, Java %s. The BI file of the 1M-housing build (%,d housings,"
                        + " %d départements), served by `EntrepotServer` with the shipped semantic.yml and access.yml"
                        + " (role analyst, HS256 token); %d clients in a closed loop on loopback (kept-alive sockets), in the server's JVM"
                        + " (they share its cores), %d s per load after %d s of warm-up.%n%n", LocalDate.now(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), housings,
                departements.size(), clients, seconds, warmUp));
        md.append("| load | req/s | p50 ms | p99 ms | requests | failed |\n|---|---:|---:|---:|---:|---:|\n");
        for (ClosedLoop.Result result : List.of(floor, cached, uncached, jdbc)) {
            md.append(String.format(Locale.ROOT, "| %s | %,.0f | %.2f | %.2f | %,d | %,d |%n", result.name(),
                    result.perSecond(), result.percentileMillis(50), result.percentileMillis(99), result.requests(),
                    result.failures()));
        }
        md.append("\n").append(cacheFigures).append(".\n\n");
        md.append(String.format(Locale.ROOT, "Goals: cached ≥ 5,000 req/s with p99 < 20 ms: %s (%,.0f req/s, p99 %.1f"
                        + " ms); uncached p99 < 200 ms: %s (p99 %.1f ms). The uncached API costs %.1f× the same SQL over"
                        + " JDBC in throughput.%n", cached.perSecond() >= 5_000 && cached.percentileMillis(99) < 20
                        ? "met" : "not met", cached.perSecond(), cached.percentileMillis(99),
                uncached.percentileMillis(99) < 200 ? "met" : "not met", uncached.percentileMillis(99),
                jdbc.perSecond() / Math.max(1, uncached.perSecond())));
        BenchmarkReport.replaceSection(report, "api", md.toString());
        System.out.println("Wrote the API section of " + report);
    }

    /** A page of a département's communes, distinct for each number (so it was never asked before). */
    record Page(String departement, int limit, int offset) {
        static Page of(long number, List<String> departements) {
            int d = (int) (number % departements.size());
            long rest = number / departements.size();
            return new Page(departements.get(d), 1 + (int) (rest % 50), (int) (rest / 50));
        }
    }

    private static ClosedLoop.Result print(ClosedLoop.Result result) {
        System.out.println(result.line());
        return result;
    }

    @FunctionalInterface
    private interface ClientFactory {
        ClosedLoop.Request make(RawHttp connection) throws Exception;
    }

    /** One request maker per connection (each client has its own kept-alive connection). */
    private static List<ClosedLoop.Request> each(List<RawHttp> connections, ClientFactory factory) throws Exception {
        List<ClosedLoop.Request> list = new ArrayList<>();
        for (RawHttp connection : connections) {
            list.add(factory.make(connection));
        }
        return list;
    }

    private static boolean ok(RawHttp.Response response) {
        return response.status() == 200 && !response.text().contains("\"errors\"");
    }

    private static final Pattern CACHE = Pattern.compile(
            "entrepot_semantic_cache_requests_total\\{[^}]*result=\"(hit|miss)\"[^}]*} ([0-9.eE+]+)");

    /** [hits, misses] so far, from /metrics. */
    private static double[] cache(HttpClient client, URI metrics) throws Exception {
        String text = client.send(HttpRequest.newBuilder(metrics).GET().build(), HttpResponse.BodyHandlers.ofString())
                .body();
        double[] counts = new double[2];
        Matcher matcher = CACHE.matcher(text);
        while (matcher.find()) {
            counts[matcher.group(1).equals("hit") ? 0 : 1] += Double.parseDouble(matcher.group(2));
        }
        return counts;
    }
}
