package fr.zlv.entrepot.dbt.run;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.dbt.adapter.Adapter;
import fr.zlv.entrepot.dbt.adapter.Relation;
import fr.zlv.entrepot.dbt.graph.Node;
import fr.zlv.entrepot.dbt.graph.ResourceType;
import fr.zlv.entrepot.dbt.jinja.RenderState;
import fr.zlv.entrepot.dbt.parse.ParsedProject;
import fr.zlv.entrepot.dbt.project.NodeConfig;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds selected nodes in dependency order, {@code threads} at a time: a node starts when every selected
 * node it depends on has succeeded; when one fails, its descendants are skipped and the others go on (unless
 * {@code --fail-fast}). Prints one line per node as dbt does, and collects the results.
 */
public final class Runner {

    /** Builds one node; returns its result. */
    @FunctionalInterface
    public interface Step {
        NodeResult run(Node node, int index, int total);
    }

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final ParsedProject project;
    private final Adapter adapter;
    private final Compiler compiler;
    private final RunOptions options;
    private final Console console;
    private final Materializer materializer;

    public Runner(ParsedProject project, Adapter adapter, Compiler compiler, RunOptions options, Console console) {
        this.project = project;
        this.adapter = adapter;
        this.compiler = compiler;
        this.options = options;
        this.console = console;
        this.materializer = new Materializer(project, adapter, compiler, options);
    }

    /** Builds models and seeds (ephemeral models are compiled into their users, not built). */
    public List<NodeResult> run(List<Node> selected) {
        return execute(selected.stream().filter(node -> !node.isEphemeral()).toList(), this::build);
    }

    /** Runs data tests and unit tests. */
    public List<NodeResult> test(List<Node> tests) {
        return execute(tests, this::runAnyTest);
    }

    private NodeResult runAnyTest(Node node, int index, int total) {
        return node.type() == ResourceType.UNIT_TEST ? runUnitTest(node, index, total) : runTest(node, index, total);
    }

    /**
     * dbt build: seeds, models, snapshots and tests in one graph. A node also waits for the tests of its parents,
     * so a failing test (severity error) skips what is built on the data it found wrong.
     */
    public List<NodeResult> buildAll(List<Node> selected) {
        List<Node> nodes = selected.stream().filter(node -> !node.isEphemeral()).toList();
        Map<String, Set<String>> extraParents = testEdges(nodes);
        // A model waits for its unit tests, which run once the model's parents exist.
        for (Node node : nodes) {
            if (node.type() == ResourceType.UNIT_TEST) {
                extraParents.computeIfAbsent(node.attachedNode(), key -> new LinkedHashSet<>()).add(node.uniqueId());
            }
        }
        return execute(nodes, (node, index, total) -> switch (node.type()) {
            case TEST, UNIT_TEST -> runAnyTest(node, index, total);
            default -> build(node, index, total);
        }, extraParents);
    }

    /**
     * For each test, the nodes that must wait for it: the children of its parents that descend from all of them
     * (a relationships test on orders and customers holds back what is built on orders, not what is built on
     * customers alone, which could otherwise wait on itself).
     */
    private Map<String, Set<String>> testEdges(List<Node> nodes) {
        Map<String, List<Node>> children = new HashMap<>();
        for (Node node : nodes) {
            if (node.type() != ResourceType.TEST) {
                node.dependsOnNodes().forEach(parent -> children.computeIfAbsent(parent, key -> new ArrayList<>()).add(node));
            }
        }
        Map<String, Set<String>> ancestors = new HashMap<>();
        Map<String, Set<String>> waits = new HashMap<>();
        for (Node test : nodes) {
            if (test.type() != ResourceType.TEST) {
                continue;
            }
            Set<String> parents = test.dependsOnNodes();
            for (String parent : parents) {
                for (Node child : children.getOrDefault(parent, List.of())) {
                    Set<String> above = ancestors.computeIfAbsent(child.uniqueId(),
                            id -> project.manifest().ancestors(List.of(id), -1));
                    if (above.containsAll(parents)) {
                        waits.computeIfAbsent(child.uniqueId(), key -> new LinkedHashSet<>()).add(test.uniqueId());
                    }
                }
            }
        }
        return waits;
    }

    /**
     * Runs {@code step} over the nodes in dependency order, in parallel, skipping descendants of failures. Each
     * node waits for a count of unfinished parents; when the count reaches zero it is submitted, so scheduling
     * stays linear in the size of the graph.
     */
    public List<NodeResult> execute(List<Node> nodes, Step step) {
        return execute(nodes, step, Map.of());
    }

    /** As {@link #execute(List, Step)}, with more edges: {@code extraParents} of a node are waited for too. */
    public List<NodeResult> execute(List<Node> nodes, Step step, Map<String, Set<String>> extraParents) {
        Map<String, Node> byId = new LinkedHashMap<>();
        nodes.forEach(node -> byId.put(node.uniqueId(), node));
        Map<String, Integer> unfinishedParents = new HashMap<>();
        Map<String, List<String>> dependents = new HashMap<>();
        for (Node node : nodes) {
            Set<String> upstream = new LinkedHashSet<>();
            collectSelectedUpstream(node, byId, upstream, new LinkedHashSet<>());
            extraParents.getOrDefault(node.uniqueId(), Set.of()).stream().filter(byId::containsKey)
                    .forEach(upstream::add);
            unfinishedParents.put(node.uniqueId(), upstream.size());
            upstream.forEach(parent -> dependents.computeIfAbsent(parent, key -> new ArrayList<>()).add(node.uniqueId()));
        }
        int total = nodes.size();
        AtomicInteger started = new AtomicInteger();
        Map<String, NodeResult> results = new ConcurrentHashMap<>();
        LinkedBlockingQueue<String> finished = new LinkedBlockingQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(options.threads(), new ThreadNamer());
        Set<String> submitted = new java.util.HashSet<>();
        boolean stop = false;
        try {
            for (Node node : nodes) {
                if (unfinishedParents.get(node.uniqueId()) == 0) {
                    submit(node, step, pool, submitted, results, finished, started, total);
                }
            }
            while (results.size() < total) {
                String done = finished.take();
                if (results.get(done).failed()) {
                    for (String descendant : descendantsIn(done, dependents)) {
                        if (submitted.add(descendant)) {
                            results.put(descendant, skip(byId.get(descendant), started.incrementAndGet(), total));
                        }
                    }
                    stop |= options.failFast();
                }
                if (stop) {
                    for (Node node : nodes) {
                        if (submitted.add(node.uniqueId())) {
                            results.put(node.uniqueId(), skip(node, started.incrementAndGet(), total));
                        }
                    }
                    continue;
                }
                for (String dependent : dependents.getOrDefault(done, List.of())) {
                    int remaining = unfinishedParents.merge(dependent, -1, Integer::sum);
                    if (remaining == 0 && !submitted.contains(dependent)) {
                        submit(byId.get(dependent), step, pool, submitted, results, finished, started, total);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw EntrepotException.failed("Interrupted.", null, e);
        } finally {
            pool.shutdownNow();
        }
        List<NodeResult> ordered = new ArrayList<>();
        for (Node node : nodes) {
            ordered.add(results.get(node.uniqueId()));
        }
        return ordered;
    }

    private void submit(Node node, Step step, ExecutorService pool, Set<String> submitted,
                        Map<String, NodeResult> results, LinkedBlockingQueue<String> finished, AtomicInteger started,
                        int total) {
        submitted.add(node.uniqueId());
        pool.submit(() -> {
            int index = started.incrementAndGet();
            NodeResult result;
            try {
                result = step.run(node, index, total);
            } catch (RuntimeException e) {
                result = new NodeResult(node, NodeResult.Status.ERROR, String.valueOf(e.getMessage()),
                        Thread.currentThread().getName(), null, null, Instant.now(), Instant.now(), Map.of(), null);
            }
            results.put(node.uniqueId(), result);
            finished.add(node.uniqueId());
        });
    }

    /**
     * A node's upstream nodes that are selected, looking through those that are not (and through ephemeral
     * models, which are never built): with {@code a -> b -> c} and only a and c selected, c still waits for a.
     */
    private void collectSelectedUpstream(Node node, Map<String, Node> selected, Set<String> upstream,
                                         Set<String> visited) {
        // A unit test needs its model's parents (their column types), not its model.
        Set<String> parents = node.type() == ResourceType.UNIT_TEST
                ? project.manifest().node(node.attachedNode()).dependsOnNodes() : node.dependsOnNodes();
        for (String parent : parents) {
            if (!visited.add(parent)) {
                continue;
            }
            if (selected.containsKey(parent)) {
                upstream.add(parent);
            } else {
                Node unselected = project.manifest().node(parent);
                if (unselected != null) {
                    collectSelectedUpstream(unselected, selected, upstream, visited);
                }
            }
        }
    }

    private static Set<String> descendantsIn(String id, Map<String, List<String>> dependents) {
        Set<String> found = new LinkedHashSet<>();
        List<String> frontier = new ArrayList<>(List.of(id));
        while (!frontier.isEmpty()) {
            List<String> next = new ArrayList<>();
            for (String current : frontier) {
                for (String child : dependents.getOrDefault(current, List.of())) {
                    if (found.add(child)) {
                        next.add(child);
                    }
                }
            }
            frontier = next;
        }
        return found;
    }

    private NodeResult skip(Node node, int index, int total) {
        line(index, total, node.type() == ResourceType.TEST || node.type() == ResourceType.UNIT_TEST
                ? "SKIP test " + node.name()
                : "SKIP relation " + node.schema() + "." + node.alias(), "[SKIP]");
        return new NodeResult(node, NodeResult.Status.SKIPPED, "SKIP", Thread.currentThread().getName(), null, null,
                null, null, Map.of(), null);
    }

    /** Builds a model or a seed. */
    NodeResult build(Node node, int index, int total) {
        String description = describe(node);
        line(index, total, "START " + description, "[RUN]");
        Instant start = Instant.now();
        List<String> statements = new ArrayList<>();
        try {
            Materializer.Outcome outcome = materializer.build(node, statements);
            Instant end = Instant.now();
            writeRun(node, statements);
            double seconds = seconds(start, end);
            line(index, total, "OK " + (node.type() == ResourceType.SEED ? "loaded "
                    : node.type() == ResourceType.SNAPSHOT ? "snapshotted " : "created ") + description,
                    "[" + outcome.message() + " in " + String.format(Locale.ROOT, "%.2f", seconds) + "s]");
            return new NodeResult(node, NodeResult.Status.SUCCESS, outcome.message(), Thread.currentThread().getName(),
                    start, start, start, end, response(outcome), null);
        } catch (RuntimeException e) {
            Instant end = Instant.now();
            String message = e instanceof EntrepotException ? e.getMessage()
                    : "Runtime Error in " + Compiler.where(node) + ": " + e.getMessage();
            if (!message.contains(node.originalFilePath())) {
                message = "Database Error in " + Compiler.where(node) + ": " + message;
            }
            if (!statements.isEmpty()) {
                writeRun(node, statements);
                message += " (the statements that ran, the failing one last: " + runPath(node) + ")";
            }
            line(index, total, "ERROR creating " + description, "[ERROR in "
                    + String.format(Locale.ROOT, "%.2f", seconds(start, end)) + "s]");
            return new NodeResult(node, NodeResult.Status.ERROR, message, Thread.currentThread().getName(), start, start,
                    start, end, Map.of(), null);
        }
    }

    /** target/run/<package>/<path>: the statements a node's build sent, as dbt keeps them (secrets masked). */
    private void writeRun(Node node, List<String> statements) {
        compiler.write(project.root().root().resolve(project.root().targetPath()).resolve("run"), node,
                statements.stream().map(Runner::masked).collect(java.util.stream.Collectors.joining(";\n\n")) + ";");
    }

    /**
     * A secret a hook gives the session (DuckDB's {@code set variable api_key = '...'}, PostgreSQL's
     * {@code set app.pii_key = '...'} or {@code set app.token to '...'}), which target/run must not keep in clear.
     */
    private static final java.util.regex.Pattern SECRET_VARIABLE = java.util.regex.Pattern.compile(
            "(?i)(\\bset\\s+(?:variable\\s+|session\\s+|local\\s+)?[\\w.]*(?:key|secret|password|token)[\\w.]*"
                    + "\\s*(?:=|\\bto\\b)\\s*)'(?:[^']|'')*'");

    static String masked(String statement) {
        return SECRET_VARIABLE.matcher(statement).replaceAll("$1'***'");
    }

    private String runPath(Node node) {
        return project.root().targetPath() + "/run/" + node.packageName() + "/" + Compiler.buildPath(node);
    }

    /**
     * Runs a test: its SQL selects the failing rows; {@code fail_calc} (count(*)) over them is compared with
     * {@code warn_if} and {@code error_if}; {@code severity: warn} turns a failure into a warning. With
     * {@code store_failures} the failing rows are kept in a table of the audit schema.
     */
    NodeResult runTest(Node node, int index, int total) {
        line(index, total, "START test " + node.name(), "[RUN]");
        Instant start = Instant.now();
        List<String> statements = new ArrayList<>();
        Instant compiled = start;
        try {
            String sql = compiler.compile(node, false);
            compiled = Instant.now();
            NodeConfig config = node.config();
            String failCalc = config.string("fail_calc", "count(*)");
            String rows = sql;
            if (storeFailures(config)) {
                Relation audit = Compiler.relationOf(node).withType("table");
                adapter.createSchema(node.database(), node.schema());
                adapter.createTableAs(audit, sql, statements);
                rows = "select * from " + audit;
            }
            Object limit = config.get("limit");
            String query = "select " + failCalc + " as failures,\n    (" + failCalc + ") " + config.string("warn_if", "!= 0")
                    + " as should_warn,\n    (" + failCalc + ") " + config.string("error_if", "!= 0")
                    + " as should_error\nfrom (\n" + rows + (limit == null ? "" : "\nlimit " + limit)
                    + "\n) dbt_internal_test";
            statements.add(query);
            List<Object> result = adapter.query(query).getRows().get(0);
            Instant end = Instant.now();
            writeRun(node, statements);
            long failures = result.get(0) instanceof Number number ? number.longValue() : 0;
            boolean warn = Boolean.TRUE.equals(result.get(1));
            boolean error = Boolean.TRUE.equals(result.get(2));
            boolean severe = config.string("severity", "ERROR").equalsIgnoreCase("error");
            NodeResult.Status status = severe && error ? NodeResult.Status.FAIL
                    : warn || error ? NodeResult.Status.WARN : NodeResult.Status.PASS;
            String message = status == NodeResult.Status.PASS ? null : "Got " + failures + " result"
                    + (failures == 1 ? "" : "s") + ", configured to " + (status == NodeResult.Status.FAIL ? "fail if "
                    + config.string("error_if", "!= 0") : "warn if " + config.string("warn_if", "!= 0"));
            String label = status == NodeResult.Status.PASS ? "PASS" : status.name() + " " + failures;
            line(index, total, label + " " + node.name(), "[" + label + " in "
                    + String.format(Locale.ROOT, "%.2f", seconds(start, end)) + "s]");
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("_message", "SELECT 1");
            response.put("code", "SELECT");
            response.put("rows_affected", 1);
            return new NodeResult(node, status, message, Thread.currentThread().getName(), start, compiled, compiled, end,
                    response, (int) Math.min(Integer.MAX_VALUE, failures));
        } catch (RuntimeException e) {
            Instant end = Instant.now();
            String message = e instanceof EntrepotException ? e.getMessage()
                    : "Runtime Error in " + Compiler.where(node) + ": " + e.getMessage();
            if (!message.contains(node.originalFilePath())) {
                message = "Database Error in " + Compiler.where(node) + ": " + message;
            }
            if (!statements.isEmpty()) {
                writeRun(node, statements);
            }
            line(index, total, "ERROR " + node.name(), "[ERROR in "
                    + String.format(Locale.ROOT, "%.2f", seconds(start, end)) + "s]");
            return new NodeResult(node, NodeResult.Status.ERROR, message, Thread.currentThread().getName(), start,
                    compiled, compiled, end, Map.of(), null);
        }
    }

    /** Runs a unit test: the model on the given rows, compared with the expected rows. */
    NodeResult runUnitTest(Node node, int index, int total) {
        line(index, total, "START unit_test " + node.name(), "[RUN]");
        Instant start = Instant.now();
        try {
            UnitTests.Outcome outcome = new UnitTests(project, adapter, compiler).run(node);
            Instant end = Instant.now();
            NodeResult.Status status = outcome.passed() ? NodeResult.Status.PASS : NodeResult.Status.FAIL;
            String label = outcome.passed() ? "PASS" : "FAIL " + outcome.differences();
            line(index, total, label + " " + node.name(), "[" + label + " in "
                    + String.format(Locale.ROOT, "%.2f", seconds(start, end)) + "s]");
            return new NodeResult(node, status, outcome.message(), Thread.currentThread().getName(), start, start, start,
                    end, Map.of(), (int) Math.min(Integer.MAX_VALUE, outcome.differences()));
        } catch (RuntimeException e) {
            Instant end = Instant.now();
            String message = e instanceof EntrepotException ? e.getMessage()
                    : "Runtime Error in unit test " + node.name() + " (" + node.originalFilePath() + "): " + e.getMessage();
            line(index, total, "ERROR " + node.name(), "[ERROR in "
                    + String.format(Locale.ROOT, "%.2f", seconds(start, end)) + "s]");
            return new NodeResult(node, NodeResult.Status.ERROR, message, Thread.currentThread().getName(), start, start,
                    start, end, Map.of(), null);
        }
    }

    private boolean storeFailures(NodeConfig config) {
        Object storeAs = config.get("store_failures_as");
        if (storeAs != null) {
            return String.valueOf(storeAs).equalsIgnoreCase("table");
        }
        return config.bool("store_failures", options.storeFailures());
    }

    private static Map<String, Object> response(Materializer.Outcome outcome) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("_message", outcome.message());
        response.put("code", outcome.message().split(" ")[0]);
        response.put("rows_affected", outcome.rows());
        return response;
    }

    static String describe(Node node) {
        String kind = switch (node.type()) {
            case SEED -> "seed file";
            case SNAPSHOT -> "snapshot";
            case TEST -> "test";
            default -> "sql " + node.materialized() + " model";
        };
        return kind + " " + node.schema() + "." + node.alias();
    }

    void line(int index, int total, String text, String status) {
        String prefix = LocalTime.now().format(CLOCK) + "  " + index + " of " + total + " " + text + " ";
        int width = Math.max(3, 80 - prefix.length());
        console.line(prefix + ".".repeat(width) + " " + status);
    }

    static double seconds(Instant start, Instant end) {
        return (end.toEpochMilli() - start.toEpochMilli()) / 1000.0;
    }

    /**
     * Runs on-run-start or on-run-end hooks ({@code which}); {@code variables} are what they see besides the
     * built-ins ({@code results} and {@code schemas} for on-run-end). A failing hook stops the command.
     */
    public void runHooks(List<String> hooks, String which, Map<String, Object> variables) {
        for (int index = 0; index < hooks.size(); index++) {
            String where = which + " hook " + (index + 1) + " of " + project.root().root().resolve("dbt_project.yml");
            RenderState state = new RenderState(RenderState.Phase.EXECUTE, null, project.resolver(), adapter);
            String sql = project.jinja().render(hooks.get(index), state, variables, where).strip();
            if (sql.isEmpty()) {
                continue;
            }
            try {
                adapter.execute(sql);
            } catch (RuntimeException e) {
                throw fr.zlv.entrepot.dbt.DbtException.runtime("Database Error in " + where + ": " + e.getMessage(), e);
            }
            console.line(LocalTime.now().format(CLOCK) + "  " + which + " hook " + (index + 1) + " of " + hooks.size()
                    + " ran: " + firstLine(sql));
        }
    }

    private static String firstLine(String sql) {
        String line = sql.lines().findFirst().orElse("").strip();
        return line.length() > 60 ? line.substring(0, 57) + "..." : line;
    }

    /** Names the worker threads Thread-1, Thread-2... as dbt's run_results do. */
    private static final class ThreadNamer implements java.util.concurrent.ThreadFactory {
        private final AtomicInteger next = new AtomicInteger();

        @Override
        public Thread newThread(Runnable runnable) {
            Thread thread = new Thread(runnable, "Thread-" + next.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
