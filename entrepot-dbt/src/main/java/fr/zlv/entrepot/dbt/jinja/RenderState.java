package fr.zlv.entrepot.dbt.jinja;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import fr.zlv.entrepot.dbt.adapter.Adapter;
import fr.zlv.entrepot.dbt.graph.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One rendering's state, reachable from Jinja's functions: the node being rendered, whether statements may
 * run ({@code execute}), and what the rendering found ({@code ref}, {@code source} and {@code config} calls,
 * statement results, ephemeral models to inline, the first compiler error).
 */
public final class RenderState {

    static final String KEY = "__entrepot_state__";

    /** Parse: find refs and config, run nothing. Compile and execute: run queries, resolve everything. */
    public enum Phase { PARSE, COMPILE, EXECUTE }

    private final Phase phase;
    private final Node node;
    private final Resolver resolver;
    private final Adapter adapter;
    private final List<Node.Ref> refs = new ArrayList<>();
    private final List<List<String>> sources = new ArrayList<>();
    private final Map<String, Object> configCalls = new LinkedHashMap<>();
    private final Set<String> ephemerals = new LinkedHashSet<>();
    private final Map<String, Object> results = new LinkedHashMap<>();
    private final List<String> executed = new ArrayList<>();
    private String compilerError;
    private boolean incremental;

    public RenderState(Phase phase, Node node, Resolver resolver, Adapter adapter) {
        this.phase = phase;
        this.node = node;
        this.resolver = resolver;
        this.adapter = adapter;
    }

    /** The state of the rendering running on this thread. */
    static RenderState current() {
        JinjavaInterpreter interpreter = JinjavaInterpreter.getCurrent();
        Object state = interpreter == null ? null : interpreter.getContext().get(KEY);
        if (!(state instanceof RenderState renderState)) {
            throw new IllegalStateException("no dbt rendering in progress");
        }
        return renderState;
    }

    public Phase phase() {
        return phase;
    }

    public boolean executing() {
        return phase != Phase.PARSE;
    }

    public Node node() {
        return node;
    }

    public Resolver resolver() {
        return resolver;
    }

    public Adapter adapter() {
        return adapter;
    }

    public List<Node.Ref> refs() {
        return refs;
    }

    public List<List<String>> sources() {
        return sources;
    }

    public Map<String, Object> configCalls() {
        return configCalls;
    }

    /** Unique ids of the ephemeral models whose CTEs the compiled SQL needs. */
    public Set<String> ephemerals() {
        return ephemerals;
    }

    public Map<String, Object> results() {
        return results;
    }

    /** Statements run while rendering (by statement blocks and run_query), for target/run. */
    public List<String> executed() {
        return executed;
    }

    public String compilerError() {
        return compilerError;
    }

    /** Keeps the first error: the one to show. */
    public void compilerError(String message) {
        if (compilerError == null) {
            compilerError = message;
        }
    }

    public boolean incremental() {
        return incremental;
    }

    public void incremental(boolean isIncremental) {
        this.incremental = isIncremental;
    }
}
