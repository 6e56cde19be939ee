package fr.zlv.entrepot.ingest.files;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import fr.zlv.entrepot.core.settings.InvalidSettingException;
import java.util.List;

/** What a file must hold: a load that does not meet it fails and changes nothing. */
public record Expectations(
        @JsonPropertyDescription("Columns the file must have (more are allowed and reported).")
        List<String> columns,
        @JsonPropertyDescription("Fewest rows accepted (default 1: an empty file is an error).")
        Long minRows,
        @JsonPropertyDescription("Most rows accepted.")
        Long maxRows) {

    public Expectations {
        columns = columns == null ? List.of() : List.copyOf(columns);
        minRows = minRows == null ? 1L : minRows;
        if (minRows < 0) {
            throw new InvalidSettingException("min_rows", "must not be negative");
        }
        if (maxRows != null && maxRows < minRows) {
            throw new InvalidSettingException("max_rows", "must not be less than min_rows (" + minRows + ")");
        }
    }

    public static Expectations none() {
        return new Expectations(null, null, null);
    }
}
