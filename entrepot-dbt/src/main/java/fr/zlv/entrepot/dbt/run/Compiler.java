package fr.zlv.entrepot.dbt.run;

import fr.zlv.entrepot.dbt.adapter.Adapter;
import fr.zlv.entrepot.dbt.adapter.Relation;
import fr.zlv.entrepot.dbt.graph.Node;
import fr.zlv.entrepot.dbt.jinja.RenderState;
import fr.zlv.entrepot.dbt.parse.NodeView;
import fr.zlv.entrepot.dbt.parse.ParsedProject;
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
        String sql = project.jinja().render(node.rawCode(), state, variables(node), where(node));
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

    /** Writes SQL under target/compiled or target/run, at the node's path. */
    void write(Path directory, Node node, String sql) {
        Path file = directory.resolve(node.packageName()).resolve(node.originalFilePath());
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, sql + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
