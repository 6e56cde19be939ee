package fr.zlv.entrepot.semantic;

import java.time.Duration;

/**
 * How the semantic layer runs: connections, how often it looks for a new BI file, limits, caches.
 *
 * @param poolSize        DuckDB connections that run queries at once
 * @param checkInterval   how often, at most, to look whether the BI file was republished (zero: before every request)
 * @param timeZone        time zone of time grains over timestamps with a time zone (the marts' months are Paris time)
 * @param defaultLimit    rows per page when a query gives no limit
 * @param maxLimit        largest page
 * @param maxFilterValues most values in one in / not_in filter
 * @param maxDepth        deepest GraphQL query (the standard introspection query needs 13)
 * @param maxComplexity   most complex GraphQL query: each field counts 1, each cube query {@code cubeFieldCost}
 * @param cubeFieldCost   the complexity of one cube query (it runs SQL)
 * @param cachedRows      rows kept in the query-result cache, all results together
 * @param cachedResponses whole GraphQL responses kept (weighted by their rows, at least 1 each)
 * @param cachedDocuments parsed and validated GraphQL documents kept
 */
public record SemanticOptions(int poolSize, Duration checkInterval, String timeZone, int defaultLimit, int maxLimit,
                              int maxFilterValues, int maxDepth, int maxComplexity, int cubeFieldCost,
                              long cachedRows, long cachedResponses, int cachedDocuments) {

    public SemanticOptions {
        if (poolSize < 1 || defaultLimit < 1 || maxLimit < defaultLimit || maxFilterValues < 1 || maxDepth < 1
                || maxComplexity < 1 || cubeFieldCost < 1 || cachedRows < 0 || cachedResponses < 0
                || cachedDocuments < 0) {
            throw new IllegalArgumentException("semantic options out of range");
        }
        checkInterval = checkInterval == null ? Duration.ofMillis(200) : checkInterval;
        timeZone = timeZone == null || timeZone.isBlank() ? "Europe/Paris" : timeZone;
    }

    public static SemanticOptions defaults() {
        return new SemanticOptions(Math.max(2, Runtime.getRuntime().availableProcessors()), Duration.ofMillis(200),
                "Europe/Paris", 1000, 10_000, 1000, 15, 200, 10, 1_000_000, 500_000, 2000);
    }

    public SemanticOptions withCheckInterval(Duration interval) {
        return new SemanticOptions(poolSize, interval, timeZone, defaultLimit, maxLimit, maxFilterValues, maxDepth,
                maxComplexity, cubeFieldCost, cachedRows, cachedResponses, cachedDocuments);
    }

    public SemanticOptions withPoolSize(int size) {
        return new SemanticOptions(size, checkInterval, timeZone, defaultLimit, maxLimit, maxFilterValues, maxDepth,
                maxComplexity, cubeFieldCost, cachedRows, cachedResponses, cachedDocuments);
    }

    public SemanticOptions withLimits(int newDefaultLimit, int newMaxLimit) {
        return new SemanticOptions(poolSize, checkInterval, timeZone, newDefaultLimit, newMaxLimit, maxFilterValues,
                maxDepth, maxComplexity, cubeFieldCost, cachedRows, cachedResponses, cachedDocuments);
    }

    public SemanticOptions withQueryLimits(int newMaxDepth, int newMaxComplexity) {
        return new SemanticOptions(poolSize, checkInterval, timeZone, defaultLimit, maxLimit, maxFilterValues,
                newMaxDepth, newMaxComplexity, cubeFieldCost, cachedRows, cachedResponses, cachedDocuments);
    }
}
