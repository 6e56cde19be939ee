package fr.zlv.entrepot.semantic.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * {@code semantic.yml} as written, before validation: cubes over the tables of the published BI file. Keys are
 * snake_case; maps keep the file's order. {@link ModelBuilder} checks it and turns it into a {@link Model}.
 */
public record SemanticFile(Integer version, Map<String, CubeSpec> cubes) {

    /**
     * A cube: one table of the BI file, what can be counted over it (measures), what it can be broken down by
     * (dimensions), the cubes it joins, its named filters (segments), and the columns that place a row in a
     * territory (for territorial roles).
     */
    public record CubeSpec(String table, String description, Boolean national, GeographySpec geography,
                           Map<String, MeasureSpec> measures, Map<String, DimensionSpec> dimensions,
                           Map<String, JoinSpec> joins, Map<String, SegmentSpec> segments) {
    }

    /** The column of each territorial level (INSEE codes); a list column (VARCHAR[]) matches any of its codes. */
    public record GeographySpec(String region, String departement, String epci, String commune) {
    }

    /**
     * A measure: {@code type} is count, count_distinct, sum, avg, min, max (over {@code column}) or ratio
     * ({@code numerator} / {@code denominator}, two other measures of the cube); {@code filter} restricts the rows it
     * aggregates.
     */
    public record MeasureSpec(String type, String column, String description, String numerator, String denominator,
                              List<FilterSpec> filter) {
    }

    /**
     * A dimension: {@code type} categorical (default, over {@code column}), time (over a date or timestamp
     * {@code column}, truncated to one of {@code grains}) or geo (a hierarchy of {@code levels}, each a code column
     * and an optional label column).
     */
    public record DimensionSpec(String type, String column, String description, List<String> grains,
                                Map<String, LevelSpec> levels) {
    }

    /** One level of a geographic dimension: the code column and the name column. */
    public record LevelSpec(String column, String label) {
    }

    /** A many-to-one join to another cube: {@code on} maps this cube's columns to the other cube's columns. */
    public record JoinSpec(String cube, Map<String, String> on, String relationship, String description) {
    }

    /** A named filter a query can apply. */
    public record SegmentSpec(String description, List<FilterSpec> filter) {
    }

    /**
     * One condition on a column of the cube's table, with exactly one operator:
     * {@code {column: occupancy, equals: V}}, {@code {column: status, in: [2, 3]}},
     * {@code {column: vacancy_duration_years, gte: 2}}, {@code {column: sent_at, is_null: false}}.
     */
    public record FilterSpec(String column,
                             @JsonProperty("equals") Object equalTo,
                             Object notEquals,
                             List<Object> in,
                             List<Object> notIn,
                             Object gt,
                             Object gte,
                             Object lt,
                             Object lte,
                             List<Object> between,
                             String contains,
                             Boolean isNull) {
    }
}
