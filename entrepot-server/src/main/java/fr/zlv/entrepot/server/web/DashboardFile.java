package fr.zlv.entrepot.server.web;

import java.util.List;
import java.util.Map;

/**
 * A dashboard of {@code warehouse/dashboards/<id>.yml} as written. Texts are given in both languages
 * ({@code {fr: ..., en: ...}}); names of cubes, measures and dimensions are the semantic layer's
 * ({@code warehouse/semantic.yml}), so every figure comes from the GraphQL API.
 *
 * <pre>
 * title: {fr: Vue d'ensemble du parc, en: Housing overview}
 * filters:                       # the filters the page offers, and the dimension each one sets
 *   territory: {dimension: territory}
 *   year: {dimension: data_year}
 * charts:
 *   - id: by_status
 *     title: {fr: Logements par statut, en: Housings by status}
 *     type: bar                  # kpi, bar, ranking, line, pie, table
 *     cube: housing
 *     measures: [housing_count]
 *     dimensions: [{dimension: status}]
 * </pre>
 */
record DashboardFile(Map<String, String> title, Map<String, String> description, Integer order,
                     Map<String, FilterSpec> filters, List<ChartSpec> charts) {

    /**
     * A filter of the page: the dimension it sets in the charts' cubes (a chart may name another with
     * {@code filter_dimensions}, or none with {@code null}).
     */
    record FilterSpec(String dimension) {
    }

    /**
     * One chart: a query on one cube (measures, dimensions with a grain or a level, fixed filters, segments, order,
     * limit) and how to draw it. {@code drill: true} on a chart by a geographic dimension lets a click go one level
     * down (région → département → EPCI → commune). {@code formats} gives a measure's format ({@code percent},
     * {@code number}); {@code wide} takes a whole row; {@code value_labels} names a dimension's values in both
     * languages ({@code contacted: {"true": {fr: Contactés, en: Contacted}}}).
     */
    record ChartSpec(String id, Map<String, String> title, Map<String, String> description, String type, String cube,
                     List<String> measures, List<DimensionSpec> dimensions, List<FixedFilter> filters,
                     List<String> segments, List<OrderSpec> orderBy, Integer limit,
                     Map<String, String> filterDimensions, Boolean drill, Boolean wide,
                     Map<String, String> formats, Map<String, Map<String, Map<String, String>>> valueLabels) {
    }

    /** A dimension to group by; grain for a time dimension (day … year), level for a geographic one. */
    record DimensionSpec(String dimension, String grain, String level) {
    }

    /** A filter always applied to the chart: an operator of the semantic layer and its value(s). */
    record FixedFilter(String dimension, String level, String operator, Object value, List<Object> values) {
    }

    /** An order: a measure or dimension of the chart, {@code asc} or {@code desc}. */
    record OrderSpec(String field, String direction) {
    }
}
