package fr.zlv.entrepot.dbt.run;

import com.hubspot.jinjava.lib.fn.MacroFunction;
import fr.zlv.entrepot.dbt.DbtException;
import fr.zlv.entrepot.dbt.adapter.Adapter;
import fr.zlv.entrepot.dbt.adapter.Relation;
import fr.zlv.entrepot.dbt.graph.Node;
import fr.zlv.entrepot.dbt.jinja.RenderState;
import fr.zlv.entrepot.dbt.parse.NodeView;
import fr.zlv.entrepot.dbt.parse.ParsedProject;
import fr.zlv.entrepot.dbt.project.Yaml;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compiles nodes: renders their Jinja with {@code execute} true (refs resolve to relations, queries may run),
 * then puts the ephemeral models they use in front as CTEs ({@code __dbt__cte__name}), as dbt does. The
 * compiled SQL is written under {@code target/compiled/}.
 */
public final class Compiler {

    /** An ephemeral model inlined as a CTE. */
    record Cte(String id, String sql) {
    }

    private static final Pattern LEADING_WITH = Pattern.compile("^(\\s*(?:--[^\\n]*\\n\\s*|/\\*.*?\\*/\\s*)*)with\\b",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private final ParsedProject project;
    private final Adapter adapter;
    private final Path targetDirectory;
    private final Map<String, List<Cte>> ephemeralCache = new ConcurrentHashMap<>();

    public Compiler(ParsedProject project, Adapter adapter, Path targetDirectory) {
        this.project = project;
        this.adapter = adapter;
        this.targetDirectory = targetDirectory;
    }

    /** Compiles a node for building; {@code incremental} is what {@code is_incremental()} answers. */
    public String compile(Node node, boolean incremental) {
        RenderState state = new RenderState(RenderState.Phase.COMPILE, node, project.resolver(), adapter);
        state.incremental(incremental);
        String sql = node.testMetadata() != null ? genericTest(node, state)
                : project.jinja().render(node.rawCode(), state, variables(node), where(node));
        List<Cte> ctes = new ArrayList<>();
        for (String id : state.ephemerals()) {
            for (Cte cte : ephemeral(project.manifest().node(id))) {
                if (ctes.stream().noneMatch(existing -> existing.id().equals(cte.id()))) {
                    ctes.add(cte);
                }
            }
        }
        String compiled = inject(sql, ctes).strip();
        node.compiledCode(compiled);
        write(targetDirectory.resolve("compiled"), node, compiled);
        return compiled;
    }

    /**
     * A generic test's SQL: its test macro ({@code test_<name>}: the project's, else a package's, else dbt's)
     * called with the model (a subquery when the test has a {@code where}) and its arguments. String arguments that
     * are Jinja ({@code ref('customers')}, {@code "{{ var('x') }}"}) are evaluated first, as dbt does.
     */
    private String genericTest(Node node, RenderState state) {
        Map<String, Object> metadata = node.testMetadata();
        String name = "test_" + metadata.get("name");
        String namespace = (String) metadata.get("namespace");
        MacroFunction macro = testMacro(namespace, name);
        if (macro == null) {
            throw DbtException.project("Compilation Error in " + where(node) + ": there is no test named '"
                    + (namespace == null ? "" : namespace + ".") + metadata.get("name") + "'.",
                    "Define it with {% test " + metadata.get("name") + "(model, column_name) %} in macros/ or"
                            + " tests/generic/, or install its package under dbt_packages/.");
        }
        Map<String, Object> variables = variables(node);
        Map<String, Object> kwargs = new LinkedHashMap<>();
        for (Map.Entry<String, Object> argument : Yaml.map(metadata.get("kwargs")).entrySet()) {
            if (!argument.getKey().equals("model")) {
                kwargs.put(argument.getKey(), argumentValue(argument.getValue(), state, variables, node));
            }
        }
        Node target = targetOf(node);
        Relation model = target != null ? relationOf(target) : sourceRelation(node);
        String whereClause = node.config().string("where", null);
        kwargs.put("model", whereClause == null ? model : "(select * from " + model + " where "
                + project.jinja().render(whereClause, state, variables, where(node)) + ") dbt_subquery");
        Object sql = project.jinja().call(macro, List.of(), kwargs, state, variables, where(node));
        applyTestMacroConfig(node, state.configCalls());
        return String.valueOf(sql);
    }

    /** dbt's defaults of a test's configuration, which a {@code config()} call in its macro may replace. */
    private static final Map<String, Object> TEST_DEFAULTS = Map.of("severity", "ERROR", "warn_if", "!= 0",
            "error_if", "!= 0", "fail_calc", "count(*)");

    /**
     * A {@code config()} call inside a generic test's macro ({@code dbt_utils.equal_rowcount} sets its
     * {@code fail_calc}) configures the test under the project's and the properties' configuration, as in dbt: it
     * replaces only what is unset or still dbt's default. Generic tests are not rendered while parsing, so their
     * macro's calls are applied here, before the runner reads the configuration.
     */
    private static void applyTestMacroConfig(Node node, Map<String, Object> calls) {
        calls.forEach((key, value) -> {
            Object current = node.config().get(key);
            if (current == null || current.equals(TEST_DEFAULTS.get(key))) {
                node.config().put(key, value);
            }
        });
    }

    private MacroFunction testMacro(String namespace, String name) {
        if (namespace != null) {
            return project.jinja().macro(namespace, name);
        }
        MacroFunction macro = project.jinja().macro(name);
        if (macro != null) {
            return macro;
        }
        for (var pkg : project.packages()) {
            macro = project.jinja().macro(pkg.name(), name);
            if (macro != null) {
                return macro;
            }
        }
        // As in dbt, a package's test is found without its namespace: the built-in packages' too (an installed
        // package of the same name has replaced them).
        for (String builtin : fr.zlv.entrepot.dbt.parse.BuiltinMacros.PACKAGES) {
            macro = project.jinja().macro(builtin, name);
            if (macro != null) {
                return macro;
            }
        }
        return null;
    }

    private Object argumentValue(Object value, RenderState state, Map<String, Object> variables, Node node) {
        if (value instanceof String text) {
            String trimmed = text.strip();
            if (trimmed.matches("(ref|source)\\s*\\(.*\\)")) {
                return project.jinja().evaluate(trimmed, state, variables, where(node));
            }
            if (text.contains("{{") || text.contains("{%")) {
                return project.jinja().render(text, state, variables, where(node));
            }
            return text;
        }
        if (value instanceof List<?> list) {
            List<Object> values = new ArrayList<>();
            list.forEach(item -> values.add(argumentValue(item, state, variables, node)));
            return values;
        }
        return value;
    }

    /** The model, seed or snapshot a generic test is on (null for a source's test). */
    private Node targetOf(Node test) {
        return test.attachedNode() == null ? null : project.manifest().node(test.attachedNode());
    }

    private Relation sourceRelation(Node test) {
        List<String> source = test.sources().get(0);
        var definition = project.manifest().sources().get("source." + test.packageName() + "." + source.get(0) + "."
                + source.get(1));
        if (definition == null) {
            definition = project.manifest().sources().values().stream()
                    .filter(candidate -> candidate.sourceName().equals(source.get(0))
                            && candidate.name().equals(source.get(1))).findFirst().orElseThrow();
        }
        return new Relation(definition.database(), definition.schema(), definition.identifier(), "table");
    }

    /** The CTEs an ephemeral model needs: those it uses, then its own. */
    private List<Cte> ephemeral(Node node) {
        List<Cte> cached = ephemeralCache.get(node.uniqueId());
        if (cached != null) {
            return cached;
        }
        RenderState state = new RenderState(RenderState.Phase.COMPILE, node, project.resolver(), adapter);
        String sql = project.jinja().render(node.rawCode(), state, variables(node), where(node)).strip();
        List<Cte> ctes = new ArrayList<>();
        for (String id : state.ephemerals()) {
            for (Cte cte : ephemeral(project.manifest().node(id))) {
                if (ctes.stream().noneMatch(existing -> existing.id().equals(cte.id()))) {
                    ctes.add(cte);
                }
            }
        }
        ctes.add(new Cte(node.uniqueId(), "__dbt__cte__" + node.name() + " as (\n" + sql + "\n)"));
        node.compiledCode(sql);
        ephemeralCache.put(node.uniqueId(), ctes);
        return ctes;
    }

    /** Puts CTEs in front of the SQL, joining a WITH the SQL already starts with. */
    static String inject(String sql, List<Cte> ctes) {
        if (ctes.isEmpty()) {
            return sql;
        }
        List<String> bodies = ctes.stream().map(Cte::sql).toList();
        Matcher with = LEADING_WITH.matcher(sql);
        if (with.find()) {
            return with.group(1) + "with " + String.join(",\n", bodies) + ",\n" + sql.substring(with.end()).stripLeading();
        }
        return "with " + String.join(",\n", bodies) + "\n" + sql;
    }

    /** What a node's rendering sees besides the built-ins. */
    Map<String, Object> variables(Node node) {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("this", relationOf(node));
        variables.put("model", NodeView.of(node));
        return variables;
    }

    static Relation relationOf(Node node) {
        String type = switch (node.materialized()) {
            case "view" -> "view";
            case "ephemeral" -> "cte";
            default -> "table";
        };
        return new Relation(node.database(), node.schema(), node.alias(), type);
    }

    static String where(Node node) {
        return node.type().dbtName() + " " + node.packageName() + "." + node.name() + " (" + node.originalFilePath() + ")";
    }

    /**
     * Where a node's SQL goes under target/compiled or target/run: its file's path, and for a generic test the
     * properties file's path followed by the test's name ({@code models/schema.yml/not_null_orders_id.sql}), as dbt.
     */
    public static String buildPath(Node node) {
        return node.testMetadata() != null ? node.originalFilePath() + "/" + node.path() : node.originalFilePath();
    }

    /** Writes SQL under target/compiled or target/run, at the node's path. */
    void write(Path directory, Node node, String sql) {
        Path file = directory.resolve(node.packageName()).resolve(buildPath(node));
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, sql + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
