package fr.zlv.entrepot.semantic.engine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import fr.zlv.entrepot.semantic.model.DataType;
import fr.zlv.entrepot.semantic.query.CompiledQuery;
import fr.zlv.entrepot.semantic.query.CompiledQuery.Field;
import fr.zlv.entrepot.semantic.query.CompiledQuery.FieldKind;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs compiled queries on a generation of the BI file and caches their rows. The cache key is the data version,
 * the SQL and its parameters: the SQL holds the principal's territorial scope (as parameters), so two principals
 * share an entry only when they would see the same rows, and a new version of the file never gets old rows.
 */
public final class QueryEngine implements AutoCloseable {

    /** How often a running query looks whether its thread was interrupted (the server gave up on it). */
    private static final long WATCH_MILLIS = 50;

    /** One page of rows, as JSON-ready maps (numbers, text, booleans, null; geographic dimensions as maps). */
    public record QueryResult(List<Map<String, Object>> rows, boolean hasMore, boolean cacheHit) {
    }

    private record Key(String version, String sql, List<Object> params) {
    }

    private final BiDatabase<?> database;
    private final Cache<Key, QueryResult> cache;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "entrepot-semantic-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    /** @param cachedRows how many rows the cache holds, all results together */
    public QueryEngine(BiDatabase<?> database, long cachedRows) {
        this.database = database;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(cachedRows)
                .weigher((Key key, QueryResult result) -> result.rows().size() + 1)
                .build();
    }

    public QueryResult execute(BiDatabase.Generation<?> generation, CompiledQuery query) throws SQLException {
        Key key = new Key(generation.version(), query.sql(), query.params());
        QueryResult cached = cache.getIfPresent(key);
        if (cached != null) {
            return new QueryResult(cached.rows(), cached.hasMore(), true);
        }
        QueryResult result = database.withConnection(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(query.sql())) {
                List<Object> params = query.params();
                for (int i = 0; i < params.size(); i++) {
                    statement.setObject(i + 1, params.get(i));
                }
                List<Map<String, Object>> rows = new ArrayList<>();
                boolean more = false;
                // A caller that gives up interrupts this thread; DuckDB does not see Java interrupts, so a watchdog
                // cancels the statement, which frees the connection for the next query.
                Thread worker = Thread.currentThread();
                ScheduledFuture<?> watch = watchdog.scheduleWithFixedDelay(() -> {
                    if (worker.isInterrupted()) {
                        cancelQuietly(statement);
                    }
                }, WATCH_MILLIS, WATCH_MILLIS, TimeUnit.MILLISECONDS);
                try (ResultSet results = statement.executeQuery()) {
                    while (results.next()) {
                        if (rows.size() == query.limit()) {
                            more = true;
                            break;
                        }
                        rows.add(row(results, query.fields()));
                    }
                } finally {
                    watch.cancel(false);
                }
                if (worker.isInterrupted()) {
                    throw new SQLException("the query was interrupted");
                }
                return new QueryResult(Collections.unmodifiableList(rows), more, false);
            }
        });
        cache.put(key, result);
        return result;
    }

    private static void cancelQuietly(PreparedStatement statement) {
        try {
            statement.cancel();
        } catch (SQLException e) {
            // The statement ended meanwhile.
        }
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
    }

    /** Forgets every cached result (a new version of the file is served). */
    public void clear() {
        cache.invalidateAll();
    }

    private static Map<String, Object> row(ResultSet results, List<Field> fields) throws SQLException {
        Map<String, Object> row = new LinkedHashMap<>();
        for (Field field : fields) {
            if (field.kind() == FieldKind.GEO) {
                Map<String, Object> territory = new LinkedHashMap<>();
                territory.put("level", field.level());
                territory.put("code", results.getString(field.column()));
                territory.put("name", field.nameColumn() == 0 ? null : results.getString(field.nameColumn()));
                row.put(field.name(), Collections.unmodifiableMap(territory));
            } else {
                row.put(field.name(), value(results.getObject(field.column()), field.type()));
            }
        }
        return Collections.unmodifiableMap(row);
    }

    /** A JDBC value as a JSON-ready value of the field's type. */
    static Object value(Object value, DataType type) {
        if (value == null) {
            return null;
        }
        switch (type) {
            case INTEGER -> {
                if (value instanceof BigInteger big) {
                    return big.bitLength() < 64 ? (Object) big.longValue() : big.doubleValue();
                }
                if (value instanceof BigDecimal decimal) {
                    return decimal.longValue();
                }
                return value instanceof Number number ? (Object) number.longValue() : value.toString();
            }
            case FLOAT -> {
                return value instanceof Number number ? (Object) number.doubleValue() : value.toString();
            }
            case BOOLEAN -> {
                return value instanceof Boolean ? value : Boolean.valueOf(value.toString());
            }
            case DATE -> {
                if (value instanceof java.sql.Date date) {
                    return date.toLocalDate().toString();
                }
                if (value instanceof LocalDateTime dateTime) {
                    return dateTime.toLocalDate().toString();
                }
                return value instanceof LocalDate date ? date.toString() : value.toString();
            }
            case TIMESTAMP, TIMESTAMPTZ -> {
                if (value instanceof java.sql.Timestamp timestamp) {
                    return timestamp.toLocalDateTime().toString();
                }
                if (value instanceof OffsetDateTime offset) {
                    return offset.toString();
                }
                return value.toString();
            }
            default -> {
                return value.toString();
            }
        }
    }
}
