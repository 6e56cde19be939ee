package fr.zlv.entrepot.semantic.api;

import java.util.Map;

/**
 * The answer to a GraphQL request, ready for HTTP.
 *
 * @param body       the GraphQL response map ({@code data}, {@code errors} in the GraphQL error format,
 *                   {@code extensions}), serialised as JSON by the server
 * @param httpStatus 200 (data, possibly with field errors), 400 (unparsable, invalid, too deep, too complex), 403
 *                   (the role may not see a cube, measure or dimension asked for)
 * @param rows       data rows returned to the caller (for the audit log and metrics)
 * @param outcome    one word for the audit log and metrics: {@code ok}, {@code invalid}, {@code denied},
 *                   {@code error}
 * @param cacheHit   whether every query result came from the cache
 * @param queried    the cubes queried, for the audit log (empty for metadata queries)
 */
public record GraphQlResponse(Map<String, Object> body, int httpStatus, long rows, String outcome, boolean cacheHit,
                              java.util.List<String> queried) {
}
