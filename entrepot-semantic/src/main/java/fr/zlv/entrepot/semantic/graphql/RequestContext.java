package fr.zlv.entrepot.semantic.graphql;

import fr.zlv.entrepot.semantic.access.AccessScope;
import fr.zlv.entrepot.semantic.engine.BiDatabase.Generation;
import fr.zlv.entrepot.semantic.engine.QueryEngine;
import fr.zlv.entrepot.semantic.model.Model;
import fr.zlv.entrepot.semantic.query.QueryCompiler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One GraphQL request as its fetchers see it (in the GraphQL context): who asks, the BI file's version it reads, and
 * what the audit log needs back (rows, cubes, whether every result came from the cache).
 */
public final class RequestContext {

    private final AccessScope scope;
    private final Generation<?> generation;
    private final Model model;
    private final QueryCompiler compiler;
    private final QueryEngine engine;
    private final AtomicLong rows = new AtomicLong();
    private final List<String> cubes = new ArrayList<>();
    private volatile boolean allCached = true;
    private volatile boolean queried;

    public RequestContext(AccessScope scope, Generation<?> generation, Model model, QueryCompiler compiler,
                          QueryEngine engine) {
        this.engine = engine;
        this.scope = scope;
        this.generation = generation;
        this.model = model;
        this.compiler = compiler;
    }

    public AccessScope scope() {
        return scope;
    }

    public Generation<?> generation() {
        return generation;
    }

    public Model model() {
        return model;
    }

    public QueryCompiler compiler() {
        return compiler;
    }

    public QueryEngine engine() {
        return engine;
    }

    void recordQuery(List<String> cubesRead, int rowCount, boolean cacheHit) {
        queried = true;
        rows.addAndGet(rowCount);
        if (!cacheHit) {
            allCached = false;
        }
        synchronized (cubes) {
            cubesRead.stream().filter(c -> !cubes.contains(c)).forEach(cubes::add);
        }
    }

    public long rows() {
        return rows.get();
    }

    /** Whether the request ran cube queries and all of them came from the cache. */
    public boolean allCached() {
        return queried && allCached;
    }

    public List<String> cubes() {
        synchronized (cubes) {
            return List.copyOf(cubes);
        }
    }
}
