package fr.zlv.entrepot.semantic.query;

import fr.zlv.entrepot.semantic.model.DataType;
import fr.zlv.entrepot.semantic.model.Model.GeoLevel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A semantic query as DuckDB SQL: identifiers from the model only, every value a {@code ?} parameter.
 *
 * @param sql    the statement; it asks for {@code limit + 1} rows to learn whether more exist
 * @param params the parameters, in the order of the {@code ?}
 * @param fields what each row field is and where it is in the result set
 * @param limit  the page size asked for
 * @param cubes  the cubes the statement reads (the queried cube first, then joined ones)
 */
public record CompiledQuery(String sql, List<Object> params, List<Field> fields, int limit, List<String> cubes) {

    public CompiledQuery {
        params = Collections.unmodifiableList(new ArrayList<>(params));
        fields = List.copyOf(fields);
        cubes = List.copyOf(cubes);
    }

    public enum FieldKind { MEASURE, DIMENSION, GEO }

    /**
     * One field of the result rows.
     *
     * @param column    the result column (1-based) of the value, or of the code for a geographic dimension
     * @param nameColumn for a geographic dimension, the result column of the name (0 when it has none)
     * @param level     for a geographic dimension, the level chosen
     * @param type      the type of the value as read (a time dimension truncated to a grain is a DATE)
     */
    public record Field(String name, FieldKind kind, DataType type, int column, int nameColumn, GeoLevel level) {
    }
}
