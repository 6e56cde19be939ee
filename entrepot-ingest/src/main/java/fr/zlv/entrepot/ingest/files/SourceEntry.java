package fr.zlv.entrepot.ingest.files;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Map;

/**
 * One entry of {@code sources.yml}, as written. {@code for_each} makes several sources of one entry:
 * {@code {year}} in the name, location, target and description takes each value in turn.
 */
public record SourceEntry(
        @JsonPropertyDescription("Unique name, lower case: lovac_2024.")
        String name,
        @JsonPropertyDescription("Who publishes it: CEREMA, INSEE, DGFIP, DGALN, URSSAF, ANAH...")
        String provider,
        @JsonPropertyDescription("What it is.")
        String description,
        @JsonPropertyDescription("Where it is documented.")
        String documentation,
        @JsonPropertyDescription("s3://bucket/key, https://... or a path.")
        String location,
        @JsonPropertyDescription("csv, xlsx or parquet (default: from the location's extension).")
        String format,
        @JsonPropertyDescription("How to read it.")
        ReadOptions read,
        @JsonPropertyDescription("Column types to force, e.g. {code_commune: VARCHAR} so 01001 keeps its zero.")
        Map<String, String> types,
        @JsonPropertyDescription("The warehouse table: lovac.*, ff.* or external.*.")
        String target,
        @JsonPropertyDescription("Columns and row counts the file must have.")
        Expectations expect,
        @JsonPropertyDescription("reject (default): bad rows go to <target>_rejects; fail: a bad row fails the load.")
        String onError,
        @JsonPropertyDescription("The millésime, for --year.")
        Integer year,
        @JsonPropertyDescription("Placeholder values: {year: [2019, 2020]} makes one source per year.")
        Map<String, List<String>> forEach) {
}
