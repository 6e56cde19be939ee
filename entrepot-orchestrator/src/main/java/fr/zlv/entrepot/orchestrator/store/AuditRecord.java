package fr.zlv.entrepot.orchestrator.store;

import java.time.Instant;
import java.util.List;

/**
 * One request for data through the API, as the audit log keeps it: who (the token's subject and role), when, what
 * (the query text and its variables as JSON), what came of it (rows returned, outcome, HTTP status, duration, cubes
 * queried) and from where (the client's address).
 *
 * @param id the store's number for the record (0 for a record not stored yet); it orders records of equal time
 */
public record AuditRecord(long id, Instant time, String subject, String role, String query, String variables,
                          long rows, String outcome, int status, long durationMillis, List<String> cubes,
                          String clientAddress) {

    public AuditRecord {
        cubes = cubes == null ? List.of() : List.copyOf(cubes);
    }

    /** A record to append (the store numbers it). */
    public static AuditRecord of(Instant time, String subject, String role, String query, String variables, long rows,
                                 String outcome, int status, long durationMillis, List<String> cubes,
                                 String clientAddress) {
        return new AuditRecord(0, time, subject, role, query, variables, rows, outcome, status, durationMillis, cubes,
                clientAddress);
    }
}
