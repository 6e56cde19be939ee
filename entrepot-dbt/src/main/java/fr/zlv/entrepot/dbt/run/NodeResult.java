package fr.zlv.entrepot.dbt.run;

import fr.zlv.entrepot.dbt.graph.Node;
import java.time.Instant;
import java.util.Map;

/**
 * What building one node did.
 *
 * @param message         dbt's short message: "OK", "CREATE TABLE (42 rows)", or the error
 * @param adapterResponse {_message, code, rows_affected}
 */
public record NodeResult(Node node, Status status, String message, String threadName, Instant compileStarted,
                         Instant compileEnded, Instant executeStarted, Instant executeEnded,
                         Map<String, Object> adapterResponse, Integer failures) {

    public enum Status {
        SUCCESS("success"), ERROR("error"), SKIPPED("skipped"), PASS("pass"), FAIL("fail"), WARN("warn");

        private final String dbtName;

        Status(String dbtName) {
            this.dbtName = dbtName;
        }

        public String dbtName() {
            return dbtName;
        }
    }

    public double executionSeconds() {
        Instant start = compileStarted != null ? compileStarted : executeStarted;
        Instant end = executeEnded != null ? executeEnded : compileEnded;
        return start == null || end == null ? 0 : (end.toEpochMilli() - start.toEpochMilli()) / 1000.0
                + (end.getNano() % 1_000_000 - start.getNano() % 1_000_000) / 1e9;
    }

    public boolean failed() {
        return status == Status.ERROR || status == Status.FAIL;
    }
}
