package fr.zlv.entrepot.dbt.run;

import com.hubspot.jinjava.lib.fn.MacroFunction;
import fr.zlv.entrepot.dbt.DbtException;
import fr.zlv.entrepot.dbt.adapter.Adapter;
import fr.zlv.entrepot.dbt.adapter.Column;
import fr.zlv.entrepot.dbt.adapter.QueryTable;
import fr.zlv.entrepot.dbt.adapter.Relation;
import fr.zlv.entrepot.dbt.graph.Node;
import fr.zlv.entrepot.dbt.graph.SourceDefinition;
import fr.zlv.entrepot.dbt.jinja.RenderState;
import fr.zlv.entrepot.dbt.jinja.Resolver;
import fr.zlv.entrepot.dbt.parse.ParsedProject;
import fr.zlv.entrepot.dbt.project.Yaml;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * dbt unit tests: a model's SQL run on rows given for its inputs instead of the warehouse's tables, its output
 * compared with the rows expected (as a multiset, on the expected rows' columns).
 *
 * <p>Each {@code given} names an input ({@code ref('x')}, {@code source('a', 'b')} or {@code this} for an incremental
 * model) and its rows, as a list of dicts or as CSV text ({@code format: csv}). When the input exists in the
 * warehouse, the given values are cast to its column types and its other columns are null; otherwise the warehouse infers
 * the types. {@code overrides} sets {@code vars} and {@code macros: {is_incremental: true}}.
 */
final class UnitTests {

    private static final Pattern REF = Pattern.compile(
            "^\\s*ref\\(\\s*['\"]([^'\"]+)['\"]\\s*(?:,\\s*['\"]([^'\"]+)['\"]\\s*)?\\)\\s*$");
    private static final Pattern SOURCE = Pattern.compile(
            "^\\s*source\\(\\s*['\"]([^'\"]+)['\"]\\s*,\\s*['\"]([^'\"]+)['\"]\\s*\\)\\s*$");

    /** What a unit test found: whether the rows matched, and the differences when not. */
    record Outcome(boolean passed, long differences, String message, String sql) {
    }

    private final ParsedProject project;
    private final Adapter adapter;
    private final Compiler compiler;

    UnitTests(ParsedProject project, Adapter adapter, Compiler compiler) {
        this.project = project;
        this.adapter = adapter;
        this.compiler = compiler;
    }

    Outcome run(Node unitTest) {
        Map<String, Object> definition = unitTest.unitTest();
        Node model = project.manifest().node(unitTest.attachedNode());
        Map<String, Relation> replaced = new LinkedHashMap<>();
        List<String> ctes = new ArrayList<>();
        List<Map<String, Object>> givens = Yaml.list(definition.get("given")).stream().map(Yaml::map).toList();
        // Column types: the input's own when it exists in the warehouse; else, by column name, another input's
        // (an incremental model's `this` often does not exist yet, but its columns come from its inputs).
        List<Map<String, String>> types = new ArrayList<>();
        Map<String, String> known = new LinkedHashMap<>();
        for (Map<String, Object> given : givens) {
            Map<String, String> inputTypes = columnTypes(inputRelation(Yaml.string(given.get("input"), ""), unitTest));
            types.add(inputTypes);
            inputTypes.forEach(known::putIfAbsent);
        }
        for (int index = 0; index < givens.size(); index++) {
            Map<String, Object> given = givens.get(index);
            String input = Yaml.string(given.get("input"), "");
            Map<String, String> inputTypes = types.get(index).isEmpty() ? known : types.get(index);
            String cteName = "__dbt__unit_input_" + (index + 1);
            ctes.add(cteName + " as (\n" + rowsSql(rows(given, unitTest), inputTypes, !types.get(index).isEmpty())
                    + "\n)");
            replaced.put(key(input), new Relation(null, null, cteName, "cte"));
        }
        Map<String, Object> overrides = Yaml.map(definition.get("overrides"));
        Map<String, Object> vars = Yaml.map(overrides.get("vars"));
        boolean incremental = Boolean.TRUE.equals(Yaml.map(overrides.get("macros")).get("is_incremental"));

        RenderState state = new RenderState(RenderState.Phase.COMPILE, model, new Replacing(project.resolver(),
                replaced, vars, unitTest), adapter);
        state.incremental(incremental);
        Map<String, Object> variables = compiler.variables(model);
        if (replaced.containsKey("this")) {
            variables.put("this", replaced.get("this"));
        }
        String modelSql = project.jinja().render(model.rawCode(), state, variables,
                "unit test " + unitTest.name() + " of " + Compiler.where(model)).strip();
        String sql = Compiler.inject(modelSql, ctes.stream().map(cte -> new Compiler.Cte(cte, cte)).toList());

        Map<String, Object> expect = Yaml.map(definition.get("expect"));
        List<Map<String, Object>> expectedRows = rows(expect, unitTest);
        Map<String, String> actualTypes = describe(sql);
        Set<String> columns = new LinkedHashSet<>();
        expectedRows.forEach(row -> columns.addAll(row.keySet()));
        for (String column : columns) {
            if (!actualTypes.containsKey(column.toLowerCase(Locale.ROOT))) {
                throw DbtException.project("Unit test " + unitTest.name() + " (" + unitTest.originalFilePath()
                        + ") expects a column '" + column + "' that model " + model.name() + " does not have.",
                        "Its columns: " + String.join(", ", actualTypes.keySet()) + ".");
            }
        }
        String projected = columns.stream().map(Relation::quote).collect(Collectors.joining(", "));
        String actual = "select " + (columns.isEmpty() ? "*" : projected) + " from (\n" + sql + "\n) as actual";
        String expected = typedRows(expectedRows, new ArrayList<>(columns), actualTypes);
        String difference = "(" + actual + "\nexcept all\n" + expected + ")\nunion all\n(" + expected + "\nexcept all\n"
                + actual + ")";
        long differences = ((Number) adapter.query("select count(*) from (" + difference + ") as differences").first())
                .longValue();
        if (differences == 0) {
            return new Outcome(true, 0, null, sql);
        }
        QueryTable got = adapter.query(actual + "\nexcept all\n" + expected);
        QueryTable wanted = adapter.query(expected + "\nexcept all\n" + actual);
        StringBuilder message = new StringBuilder("actual differs from expected:\n\n@@ ,")
                .append(String.join(",", got.getColumn_names().isEmpty() ? List.copyOf(columns) : got.getColumn_names()));
        got.getRows().forEach(row -> message.append("\n+++,").append(join(row)));
        wanted.getRows().forEach(row -> message.append("\n---,").append(join(row)));
        return new Outcome(false, differences, message.toString(), sql);
    }

    private static String join(List<Object> row) {
        return row.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** The relation a given input stands for, when it exists in the warehouse (its column types are then used). */
    private Relation inputRelation(String input, Node unitTest) {
        Matcher ref = REF.matcher(input);
        if (ref.matches()) {
            String packageName = ref.group(2) == null ? null : ref.group(1);
            String name = ref.group(2) == null ? ref.group(1) : ref.group(2);
            Node node = project.manifest().nodes().values().stream()
                    .filter(candidate -> candidate.name().equals(name)
                            && (packageName == null || candidate.packageName().equals(packageName)))
                    .findFirst().orElseThrow(() -> DbtException.project("Unit test " + unitTest.name() + " ("
                            + unitTest.originalFilePath() + ") gives rows for " + input + ", which is not a node.", null));
            return Compiler.relationOf(node);
        }
        Matcher source = SOURCE.matcher(input);
        if (source.matches()) {
            SourceDefinition definition = project.manifest().sources().values().stream()
                    .filter(candidate -> candidate.sourceName().equals(source.group(1))
                            && candidate.name().equals(source.group(2))).findFirst()
                    .orElseThrow(() -> DbtException.project("Unit test " + unitTest.name() + " ("
                            + unitTest.originalFilePath() + ") gives rows for " + input + ", which is not a source.", null));
            return new Relation(definition.database(), definition.schema(), definition.identifier(), "table");
        }
        if (input.strip().equals("this")) {
            Node model = project.manifest().node(unitTest.attachedNode());
            return Compiler.relationOf(model);
        }
        throw DbtException.project("Unit test " + unitTest.name() + " (" + unitTest.originalFilePath()
                + "): input '" + input + "' should be ref('...'), source('...', '...') or this.", null);
    }

    /** The key an input is looked up by when the model refers to it. */
    private static String key(String input) {
        Matcher ref = REF.matcher(input);
        if (ref.matches()) {
            return "ref:" + (ref.group(2) == null ? ref.group(1) : ref.group(2));
        }
        Matcher source = SOURCE.matcher(input);
        if (source.matches()) {
            return "source:" + source.group(1) + "." + source.group(2);
        }
        return input.strip();
    }

    /** Rows as a list of dicts, or parsed from CSV text ({@code format: csv}). */
    private static List<Map<String, Object>> rows(Map<String, Object> block, Node unitTest) {
        String format = Yaml.string(block.get("format"), "dict");
        Object rows = block.get("rows");
        if (format.equals("csv")) {
            List<Map<String, Object>> parsed = new ArrayList<>();
            List<String> lines = String.valueOf(rows == null ? "" : rows).strip().lines().toList();
            if (lines.isEmpty()) {
                return parsed;
            }
            List<String> header = csv(lines.get(0));
            for (String line : lines.subList(1, lines.size())) {
                List<String> values = csv(line);
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 0; i < header.size(); i++) {
                    String value = i < values.size() ? values.get(i) : null;
                    row.put(header.get(i), value == null || value.equals("null") ? null : value);
                }
                parsed.add(row);
            }
            return parsed;
        }
        if (!format.equals("dict")) {
            throw DbtException.project("Unit test " + unitTest.name() + " (" + unitTest.originalFilePath()
                    + "): format '" + format + "' is not dict or csv.", null);
        }
        List<Map<String, Object>> parsed = new ArrayList<>();
        for (Object row : Yaml.list(rows)) {
            parsed.add(Yaml.map(row));
        }
        return parsed;
    }

    private static List<String> csv(String line) {
        List<String> values = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                values.add(current.toString().strip());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        values.add(current.toString().strip());
        return values;
    }

    /** The column types of a relation, by lower-cased name; empty when it does not exist. */
    private Map<String, String> columnTypes(Relation relation) {
        Map<String, String> types = new LinkedHashMap<>();
        Optional<Relation> existing = adapter.find(relation.getDatabase(), relation.getSchema(), relation.getIdentifier());
        if (existing.isPresent()) {
            for (Column column : adapter.columns(existing.get())) {
                types.put(column.getName().toLowerCase(Locale.ROOT), column.getData_type());
            }
        }
        return types;
    }

    /**
     * An input's rows as SQL, cast to {@code types}; with {@code allColumns} (the input's own relation), its
     * columns the rows leave out are there too, null.
     */
    private static String rowsSql(List<Map<String, Object>> rows, Map<String, String> types, boolean allColumns) {
        Set<String> given = new LinkedHashSet<>();
        rows.forEach(row -> given.addAll(row.keySet()));
        List<String> columns = new ArrayList<>(given);
        if (allColumns) {
            for (String column : types.keySet()) {
                if (given.stream().noneMatch(name -> name.equalsIgnoreCase(column))) {
                    columns.add(column);
                }
            }
        }
        return typedRows(rows, columns, types);
    }

    /** {@code select cast(c as T) ... from (values ...)}; a column no row gives is null. */
    private static String typedRows(List<Map<String, Object>> rows, List<String> columns, Map<String, String> types) {
        if (columns.isEmpty()) {
            return "select 1 as __no_columns where false";
        }
        List<String> selected = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            String type = types.get(columns.get(i).toLowerCase(Locale.ROOT));
            String value = "c" + i;
            selected.add((type == null ? value : "cast(" + value + " as " + type + ")") + " as "
                    + Relation.quote(columns.get(i)));
        }
        if (rows.isEmpty()) {
            List<String> nulls = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
                nulls.add("null as c" + i);
            }
            return "select " + String.join(", ", selected) + " from (select " + String.join(", ", nulls)
                    + ") as given where false";
        }
        List<String> values = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            List<String> literals = new ArrayList<>();
            for (String column : columns) {
                literals.add(literal(row.get(column)));
            }
            values.add("(" + String.join(", ", literals) + ")");
        }
        List<String> aliases = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            aliases.add("c" + i);
        }
        return "select " + String.join(", ", selected) + " from (values " + String.join(", ", values) + ") as given("
                + String.join(", ", aliases) + ")";
    }

    private static String literal(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Number || value instanceof BigDecimal || value instanceof Boolean) {
            return String.valueOf(value);
        }
        return "'" + String.valueOf(value).replace("'", "''") + "'";
    }

    /** The model's output columns and their types, by lower-cased name. */
    private Map<String, String> describe(String sql) {
        Map<String, String> types = new LinkedHashMap<>();
        for (Column column : adapter.describe(sql)) {
            types.put(column.getName().toLowerCase(Locale.ROOT), column.getData_type());
        }
        return types;
    }

    /** The project's resolver, with the given inputs standing in for the refs and sources they name. */
    private static final class Replacing implements Resolver {
        private final Resolver delegate;
        private final Map<String, Relation> replaced;
        private final Map<String, Object> vars;
        private final Node unitTest;

        Replacing(Resolver delegate, Map<String, Relation> replaced, Map<String, Object> vars, Node unitTest) {
            this.delegate = delegate;
            this.replaced = replaced;
            this.vars = vars;
            this.unitTest = unitTest;
        }

        @Override
        public Relation ref(String packageName, String name, RenderState state) {
            Relation given = replaced.get("ref:" + name);
            if (given == null) {
                throw DbtException.project("Unit test " + unitTest.name() + " (" + unitTest.originalFilePath()
                        + ") gives no rows for ref('" + name + "'), which the model reads.",
                        "Add - input: ref('" + name + "') with rows: [] under given:.");
            }
            return given;
        }

        @Override
        public Relation source(String sourceName, String tableName, RenderState state) {
            Relation given = replaced.get("source:" + sourceName + "." + tableName);
            if (given == null) {
                throw DbtException.project("Unit test " + unitTest.name() + " (" + unitTest.originalFilePath()
                        + ") gives no rows for source('" + sourceName + "', '" + tableName + "'), which the model reads.",
                        null);
            }
            return given;
        }

        @Override
        public Object var(String name, Object fallback, boolean hasFallback, RenderState state) {
            return vars.containsKey(name) ? vars.get(name) : delegate.var(name, fallback, hasFallback, state);
        }

        @Override
        public MacroFunction dispatch(String macroName, String macroNamespace, RenderState state) {
            return delegate.dispatch(macroName, macroNamespace, state);
        }
    }
}
