package fr.zlv.entrepot.ingest.production;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * What a production sync did.
 *
 * @param startedAt when it began
 * @param source    the server and database read ({@code host:port/database})
 * @param snapshot  the exported snapshot every table was read in, or null when one session read them all
 * @param seconds   wall time, from the first connection to the swap
 * @param tables    one report per table, in the order of the settings
 */
public record SyncReport(Instant startedAt, String source, String snapshot, double seconds, List<TableReport> tables) {

    /**
     * @param table    the table in schema production
     * @param source   the PostgreSQL table it came from
     * @param rows     rows copied (equal in PostgreSQL's COPY and in DuckDB: the sync checks)
     * @param bytes    CSV bytes that crossed from PostgreSQL to DuckDB
     * @param seconds  from the first slice started to the last one ended
     * @param slices   COPY statements the table was read in
     * @param warnings what to tell the user
     */
    public record TableReport(String table, String source, long rows, long bytes, double seconds, int slices,
                              List<String> warnings) {

        @JsonProperty
        public double rowsPerSecond() {
            return seconds > 0 ? rows / seconds : 0;
        }

        @JsonProperty
        public double megabytesPerSecond() {
            return seconds > 0 ? bytes / 1e6 / seconds : 0;
        }
    }

    @JsonProperty
    public long totalRows() {
        return tables.stream().mapToLong(TableReport::rows).sum();
    }

    @JsonProperty
    public long totalBytes() {
        return tables.stream().mapToLong(TableReport::bytes).sum();
    }

    @JsonProperty
    public double rowsPerSecond() {
        return seconds > 0 ? totalRows() / seconds : 0;
    }

    @JsonProperty
    public double megabytesPerSecond() {
        return seconds > 0 ? totalBytes() / 1e6 / seconds : 0;
    }
}
