package fr.zlv.entrepot.semantic.api;

/**
 * The semantic layer as the server sees it: GraphQL requests in, answers out. Built from
 * {@code warehouse/semantic.yml} and {@code warehouse/access.yml} over a DuckDB database (by default the published BI
 * file). User errors (bad query, denied access, bad filter value) come back as GraphQL errors with their HTTP status,
 * never as exceptions; only the server's own faults throw.
 */
public interface SemanticApi extends AutoCloseable {

    GraphQlResponse execute(GraphQlRequest request, Principal principal);

    /**
     * The version of the data now served (the BI file's latest {@code published_at} version, or the file's
     * modification time); cached results of another version are never served.
     */
    String dataVersion();

    @Override
    void close();
}
