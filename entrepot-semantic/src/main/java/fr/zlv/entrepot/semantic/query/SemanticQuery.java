package fr.zlv.entrepot.semantic.query;

import fr.zlv.entrepot.semantic.model.Model.GeoLevel;
import fr.zlv.entrepot.semantic.model.Model.Grain;
import fr.zlv.entrepot.semantic.model.Model.Operator;
import java.util.List;

/**
 * A question to one cube, by names only: measures, dimensions (with a grain for time dimensions, a level for
 * geographic ones), filters, a time range, segments, order and page. Names are resolved against the validated model;
 * values are checked against the columns' types and bound as parameters.
 *
 * @param limit  rows per page; null: the default page size
 * @param offset rows skipped; null: 0
 */
public record SemanticQuery(String cube, List<String> measures, List<DimensionChoice> dimensions,
                            List<Filter> filters, TimeRange timeRange, List<String> segments, List<Order> orderBy,
                            Integer limit, Integer offset) {

    public SemanticQuery {
        measures = measures == null ? List.of() : List.copyOf(measures);
        dimensions = dimensions == null ? List.of() : List.copyOf(dimensions);
        filters = filters == null ? List.of() : List.copyOf(filters);
        segments = segments == null ? List.of() : List.copyOf(segments);
        orderBy = orderBy == null ? List.of() : List.copyOf(orderBy);
    }

    /** A dimension to group by; grain (time) and level (geo) may be null: the finest allowed. */
    public record DimensionChoice(String dimension, Grain grain, GeoLevel level) {
    }

    /**
     * A condition on a dimension: {@code value} for one-value operators, {@code values} for in, not_in and between
     * (low, high); level chooses the column of a geographic dimension.
     */
    public record Filter(String dimension, GeoLevel level, Operator operator, Object value, List<Object> values) {
    }

    /** From and to are dates (YYYY-MM-DD), both included; either may be null. */
    public record TimeRange(String dimension, String from, String to) {
    }

    /** A measure or a dimension of the query, ascending unless {@code descending}. */
    public record Order(String field, boolean descending) {
    }
}
