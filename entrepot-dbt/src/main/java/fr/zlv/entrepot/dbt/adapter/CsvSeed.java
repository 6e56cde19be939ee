package fr.zlv.entrepot.dbt.adapter;

import java.nio.file.Path;
import java.util.Map;

/**
 * A seed's CSV file as its configuration describes it.
 *
 * @param file        the CSV file, its first line the column names
 * @param delimiter   the separator ({@code delimiter}, "," by default)
 * @param columnTypes types given by {@code column_types}, by column name; the others are inferred from the values
 */
public record CsvSeed(Path file, String delimiter, Map<String, String> columnTypes) {
}
