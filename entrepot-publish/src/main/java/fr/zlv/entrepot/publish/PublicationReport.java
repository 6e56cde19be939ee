package fr.zlv.entrepot.publish;

import java.util.List;

/**
 * What a publication to one target did: where (no password), which version, each table's rows, bytes written,
 * how long, and what was skipped with why (a target not configured, an extension that cannot load).
 */
public record PublicationReport(String target, String location, String version, List<TableCount> tables, long bytes,
                                double seconds, String skipped) {

    /** A published table and its rows. */
    public record TableCount(String name, long rows) {
    }

    public PublicationReport {
        tables = List.copyOf(tables);
    }

    public static PublicationReport skipped(String target, String why) {
        return new PublicationReport(target, "", "", List.of(), 0, 0, why);
    }

    public long rows() {
        return tables.stream().mapToLong(TableCount::rows).sum();
    }
}
