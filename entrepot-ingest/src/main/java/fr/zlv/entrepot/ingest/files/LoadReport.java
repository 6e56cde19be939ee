package fr.zlv.entrepot.ingest.files;

import java.util.List;

/**
 * What loading one source did.
 *
 * @param status         loaded, or unchanged (same file version and same catalog entry as the last load)
 * @param rows           rows in the table
 * @param rejected       rows set aside in {@code <target>_rejects}
 * @param extraColumns   columns the file has beyond the expected ones
 * @param fromCache      the file came from the download cache (or is local)
 * @param bytes          the file's size
 * @param fetchSeconds   time to check and download the file
 * @param loadSeconds    time to read, check and swap it in
 */
public record LoadReport(String source, String provider, String target, String location, Status status, long rows,
                         long rejected, List<String> extraColumns, boolean fromCache, long bytes, double fetchSeconds,
                         double loadSeconds) {

    public enum Status { LOADED, UNCHANGED }

    public LoadReport {
        extraColumns = List.copyOf(extraColumns);
    }
}
