package fr.zlv.entrepot.dbt.adapter;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * An adapter that connects on first use: compiling a project whose Jinja asks the warehouse nothing never opens
 * it (opening DuckDB loads a 60 MB native library), as dbt opens connections only when a node needs one.
 */
public final class LazyAdapter implements Adapter {

    private final String type;
    private final Supplier<Adapter> opener;
    private Adapter opened;

    public LazyAdapter(String type, Supplier<Adapter> opener) {
        this.type = type;
        this.opener = opener;
    }

    private synchronized Adapter adapter() {
        if (opened == null) {
            opened = opener.get();
        }
        return opened;
    }

    /** Whether the warehouse has been opened. */
    public synchronized boolean isOpen() {
        return opened != null;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public String defaultDatabase() {
        return adapter().defaultDatabase();
    }

    @Override
    public Optional<Relation> find(String database, String schema, String identifier) {
        return adapter().find(database, schema, identifier);
    }

    @Override
    public List<Relation> relations(String database, String schema) {
        return adapter().relations(database, schema);
    }

    @Override
    public List<Column> columns(Relation relation) {
        return adapter().columns(relation);
    }

    @Override
    public QueryTable query(String sql) {
        return adapter().query(sql);
    }

    @Override
    public long execute(String sql) {
        return adapter().execute(sql);
    }

    @Override
    public void executeInTransaction(List<String> statements) {
        adapter().executeInTransaction(statements);
    }

    @Override
    public void createSchema(String database, String schema) {
        adapter().createSchema(database, schema);
    }

    @Override
    public List<Column> describe(String sql) {
        return adapter().describe(sql);
    }

    @Override
    public void createTableAs(Relation relation, String sql, List<String> log) {
        adapter().createTableAs(relation, sql, log);
    }

    @Override
    public void replaceWithTable(Relation staging, Relation target, Relation existing, List<String> log) {
        adapter().replaceWithTable(staging, target, existing, log);
    }

    @Override
    public void createView(Relation target, Relation existing, String sql, List<String> log) {
        adapter().createView(target, existing, sql, log);
    }

    @Override
    public void loadCsv(CsvSeed seed, Relation relation, List<String> log) {
        adapter().loadCsv(seed, relation, log);
    }

    @Override
    public List<String> mergeStatements(Relation target, Relation staging, List<String> keys, List<String> columns) {
        return adapter().mergeStatements(target, staging, keys, columns);
    }

    @Override
    public String alterColumnType(Relation relation, String column, String type) {
        return adapter().alterColumnType(relation, column, type);
    }

    @Override
    public String dropStatement(Relation existing) {
        return adapter().dropStatement(existing);
    }

    @Override
    public String catalogRelationsQuery(List<String> schemas) {
        return adapter().catalogRelationsQuery(schemas);
    }

    @Override
    public String catalogColumnsQuery(List<String> schemas) {
        return adapter().catalogColumnsQuery(schemas);
    }

    @Override
    public String typeName(String kind) {
        return adapter().typeName(kind);
    }

    @Override
    public synchronized void close() {
        if (opened != null) {
            opened.close();
            opened = null;
        }
    }
}
