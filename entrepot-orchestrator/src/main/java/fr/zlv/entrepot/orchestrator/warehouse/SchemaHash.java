package fr.zlv.entrepot.orchestrator.warehouse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;

/**
 * A short fingerprint of a table's columns and types, in order: stored with each materialization, so a change of
 * schema between two builds shows as a change of hash.
 */
final class SchemaHash {

    static final String COLUMNS_SQL = "select column_name, data_type from information_schema.columns"
            + " where table_schema = ? and table_name = ? order by ordinal_position";

    private SchemaHash() {
    }

    /** The hash of {@code schema.table}, or null when it has no column (it does not exist). */
    static String of(Connection connection, String schema, String table) {
        StringBuilder columns = new StringBuilder();
        try (PreparedStatement statement = connection.prepareStatement(COLUMNS_SQL)) {
            statement.setString(1, schema);
            statement.setString(2, table);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    columns.append(rows.getString(1)).append(' ').append(rows.getString(2)).append('\n');
                }
            }
        } catch (SQLException e) {
            return null;
        }
        return columns.isEmpty() ? null : hash(columns.toString());
    }

    /** The hash of (name, type) rows as the dbt adapter returns them. */
    static String of(List<List<Object>> nameAndTypeRows) {
        StringBuilder columns = new StringBuilder();
        for (List<Object> row : nameAndTypeRows) {
            columns.append(row.get(0)).append(' ').append(row.get(1)).append('\n');
        }
        return columns.isEmpty() ? null : hash(columns.toString());
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
