package fr.zlv.entrepot.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The server's own metrics (Micrometer, exposed in Prometheus' text format at {@code /metrics}):
 * <ul>
 *   <li>{@code http_server_requests_seconds} (histogram): request latency by method, route and status;</li>
 *   <li>{@code entrepot_graphql_requests_total}: GraphQL requests by outcome ({@code ok}, {@code invalid},
 *       {@code denied}, {@code error}, {@code timeout});</li>
 *   <li>{@code entrepot_http_errors_total}: error answers by route and code ({@code UNAUTHENTICATED},
 *       {@code FORBIDDEN}, {@code RATE_LIMITED}, {@code PAYLOAD_TOO_LARGE}, {@code TIMEOUT}, …);</li>
 *   <li>{@code entrepot_semantic_cache_requests_total}: data queries answered from the semantic layer's cache
 *       ({@code result="hit"}) or the database ({@code result="miss"});</li>
 *   <li>{@code entrepot_graphql_rows_total}: rows returned;</li>
 *   <li>{@code entrepot_audit_records_*}: the audit log's writer (written, dropped, failed, pending).</li>
 * </ul>
 * The run store's figures (runs, steps, assets) are {@link StoreMetrics}'.
 */
final class ServerMetrics {

    /** Latency buckets of the HTTP histogram: from a cached answer to a slow query. */
    private static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(200), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** Meters by their labels, so a request finds its own with one map lookup. */
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Counter rows = Counter.builder("entrepot.graphql.rows")
            .description("Data rows returned by GraphQL requests").register(registry);

    void request(String method, String route, int status, long nanos) {
        timers.computeIfAbsent(method + ' ' + route + ' ' + status, key -> Timer.builder("http.server.requests")
                        .description("HTTP requests served, by route and status")
                        .tags("method", method, "route", route, "status", Integer.toString(status))
                        .serviceLevelObjectives(BUCKETS)
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    void graphql(String outcome, long rowCount, boolean queried, boolean cacheHit) {
        counters.computeIfAbsent("outcome " + outcome, key -> Counter.builder("entrepot.graphql.requests")
                .description("GraphQL requests, by outcome").tag("outcome", outcome).register(registry)).increment();
        if (rowCount > 0) {
            rows.increment(rowCount);
        }
        if (queried) {
            String result = cacheHit ? "hit" : "miss";
            counters.computeIfAbsent("cache " + result, key -> Counter.builder("entrepot.semantic.cache.requests")
                    .description("GraphQL requests for data, answered from the semantic layer's cache or not")
                    .tag("result", result).register(registry)).increment();
        }
    }

    void error(String route, String code) {
        Counter.builder("entrepot.http.errors").description("Error answers, by route and code")
                .tags("route", route, "code", code).register(registry).increment();
    }

    void watch(AuditWriter audit) {
        Gauge.builder("entrepot.audit.records.written", audit, AuditWriter::written)
                .description("Audit records written to the run store since the server started").register(registry);
        Gauge.builder("entrepot.audit.records.dropped", audit, AuditWriter::dropped)
                .description("Audit records dropped because the store could not keep up").register(registry);
        Gauge.builder("entrepot.audit.records.failed", audit, AuditWriter::failed)
                .description("Audit records the store refused").register(registry);
        Gauge.builder("entrepot.audit.records.pending", audit, AuditWriter::pending)
                .description("Audit records waiting to be written").register(registry);
    }
}
