package fr.zlv.entrepot.semantic.graphql;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.BooleanValue;
import graphql.language.FloatValue;
import graphql.language.IntValue;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import graphql.schema.GraphQLScalarType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;

/** The two scalars of the schema besides GraphQL's own. */
final class CustomScalars {

    private CustomScalars() {
    }

    /** A 64-bit whole number (counts and sums can pass GraphQL's 32-bit Int), written as a JSON number. */
    static final GraphQLScalarType LONG = GraphQLScalarType.newScalar()
            .name("Long")
            .description("Nombre entier sur 64 bits (a 64-bit whole number, written as a JSON number).")
            .coercing(new Coercing<Long, Long>() {
                @Override
                public Long serialize(Object value, GraphQLContext context, Locale locale) {
                    if (value instanceof Number number) {
                        return number.longValue();
                    }
                    throw new CoercingSerializeException("not a whole number: " + value);
                }

                @Override
                public Long parseValue(Object input, GraphQLContext context, Locale locale) {
                    if (input instanceof Integer || input instanceof Long || input instanceof Short) {
                        return ((Number) input).longValue();
                    }
                    if (input instanceof BigInteger big && big.bitLength() < 64) {
                        return big.longValue();
                    }
                    throw new CoercingParseValueException("Expected a whole number, got " + input);
                }

                @Override
                public Long parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context,
                                         Locale locale) {
                    if (input instanceof IntValue value && value.getValue().bitLength() < 64) {
                        return value.getValue().longValue();
                    }
                    throw new CoercingParseLiteralException("Expected a whole number");
                }

                @Override
                public Value<?> valueToLiteral(Object input, GraphQLContext context, Locale locale) {
                    return IntValue.of(((Number) input).intValue());
                }
            })
            .build();

    /**
     * A filter value: text, a whole number, a number or a boolean, checked against the dimension's type when the query
     * runs (a bad value is a BAD_USER_INPUT error, never a database error).
     */
    static final GraphQLScalarType FILTER_VALUE = GraphQLScalarType.newScalar()
            .name("FilterValue")
            .description("Valeur de filtre (a filter value: a string, a number or a boolean; dates as \"YYYY-MM-DD\")."
                    + " It is checked against the dimension's type.")
            .coercing(new Coercing<Object, Object>() {
                @Override
                public Object serialize(Object value, GraphQLContext context, Locale locale) {
                    return value;
                }

                @Override
                public Object parseValue(Object input, GraphQLContext context, Locale locale) {
                    if (input instanceof String || input instanceof Boolean || input instanceof Number) {
                        return input instanceof BigDecimal decimal ? decimal.doubleValue() : input;
                    }
                    throw new CoercingParseValueException("A filter value is a string, a number or a boolean");
                }

                @Override
                public Object parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context,
                                           Locale locale) {
                    if (input instanceof StringValue value) {
                        return value.getValue();
                    }
                    if (input instanceof IntValue value) {
                        BigInteger big = value.getValue();
                        return big.bitLength() < 64 ? (Object) big.longValue() : big.toString();
                    }
                    if (input instanceof FloatValue value) {
                        return value.getValue().doubleValue();
                    }
                    if (input instanceof BooleanValue value) {
                        return value.isValue();
                    }
                    throw new CoercingParseLiteralException("A filter value is a string, a number or a boolean");
                }

                @Override
                public Value<?> valueToLiteral(Object input, GraphQLContext context, Locale locale) {
                    if (input instanceof Boolean b) {
                        return BooleanValue.of(b);
                    }
                    if (input instanceof Number n) {
                        return n instanceof Double || n instanceof Float ? FloatValue.of(n.doubleValue())
                                : IntValue.of(n.intValue());
                    }
                    return StringValue.of(String.valueOf(input));
                }
            })
            .build();
}
