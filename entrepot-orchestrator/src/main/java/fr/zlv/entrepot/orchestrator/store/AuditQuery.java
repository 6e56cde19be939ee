package fr.zlv.entrepot.orchestrator.store;

import java.time.Instant;

/**
 * Which audit records to read, newest first: each filter null for any.
 *
 * @param subject the token subject
 * @param since   records at or after this instant
 * @param until   records before this instant
 * @param outcome {@code ok}, {@code invalid}, {@code denied}, {@code error}, {@code timeout}…
 * @param limit   at most this many (at least 1)
 */
public record AuditQuery(String subject, Instant since, Instant until, String outcome, int limit) {

    public AuditQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, not " + limit);
        }
    }

    /** The newest {@code limit} records of everyone. */
    public static AuditQuery latest(int limit) {
        return new AuditQuery(null, null, null, null, limit);
    }

    public AuditQuery withSubject(String newSubject) {
        return new AuditQuery(newSubject, since, until, outcome, limit);
    }

    public AuditQuery withSince(Instant newSince) {
        return new AuditQuery(subject, newSince, until, outcome, limit);
    }

    public AuditQuery withUntil(Instant newUntil) {
        return new AuditQuery(subject, since, newUntil, outcome, limit);
    }

    public AuditQuery withOutcome(String newOutcome) {
        return new AuditQuery(subject, since, until, newOutcome, limit);
    }
}
