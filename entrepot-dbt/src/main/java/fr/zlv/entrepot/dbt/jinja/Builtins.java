package fr.zlv.entrepot.dbt.jinja;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.fn.MacroFunction;
import fr.zlv.entrepot.dbt.DbtException;
import fr.zlv.entrepot.dbt.adapter.QueryTable;
import fr.zlv.entrepot.dbt.adapter.Relation;
import fr.zlv.entrepot.dbt.graph.Node;
import fr.zlv.entrepot.dbt.project.NodeConfig;
import fr.zlv.entrepot.dbt.project.Yaml;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * dbt's Jinja context: the functions ({@code ref}, {@code source}, {@code config}, {@code var}, {@code env_var},
 * {@code run_query}, {@code statement}, {@code log}, {@code return}...) and the objects ({@code adapter},
 * {@code exceptions}, {@code modules}, {@code target}, {@code flags}, {@code run_started_at}...).
 */
public final class Builtins {

    /** What the context needs from the engine. */
    public record Settings(String adapterType, Map<String, Object> target, Map<String, Object> flags,
                           String projectName, String invocationId, Map<String, String> environment,
                           Consumer<String> console, Function<String, String> docs) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper SORTED_JSON = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private final Settings settings;
    private final PyDateTime runStartedAt = PyDateTime.now();

    public Builtins(Settings settings) {
        this.settings = settings;
    }

    /** The global functions, as macros. */
    public List<MacroFunction> functions() {
        List<MacroFunction> functions = new ArrayList<>();
        functions.add(DbtMacro.returnFunction());
        functions.add(new JavaMacro("ref", this::ref));
        functions.add(new JavaMacro("source", this::source));
        functions.add(new ConfigMacro());
        functions.add(new JavaMacro("var", (args, kwargs, state) -> {
            String name = String.valueOf(JavaMacro.argument(args, kwargs, 0, "name", null));
            boolean hasFallback = args.size() > 1 || kwargs.containsKey("default");
            return state.resolver().var(name, JavaMacro.argument(args, kwargs, 1, "default", null), hasFallback, state);
        }));
        functions.add(new JavaMacro("env_var", (args, kwargs, state) -> envVar(args, kwargs, state)));
        functions.add(new JavaMacro("log", (args, kwargs, state) -> {
            boolean info = Boolean.TRUE.equals(JavaMacro.argument(args, kwargs, 1, "info", false));
            if (info) {
                settings.console().accept(String.valueOf(JavaMacro.argument(args, kwargs, 0, "msg", "")));
            }
            return "";
        }));
        functions.add(new JavaMacro("print", (args, kwargs, state) -> {
            settings.console().accept(String.valueOf(JavaMacro.argument(args, kwargs, 0, "msg", "")));
            return "";
        }));
        functions.add(new JavaMacro("run_query", (args, kwargs, state) -> {
            if (!state.executing()) {
                return null;
            }
            String sql = String.valueOf(JavaMacro.argument(args, kwargs, 0, "sql", ""));
            state.executed().add(sql);
            return state.adapter().query(sql);
        }));
        functions.add(new JavaMacro("statement", this::statement));
        functions.add(new JavaMacro("load_result", (args, kwargs, state) -> state.results().get(String.valueOf(args.get(0)))));
        functions.add(new JavaMacro("is_incremental", (args, kwargs, state) -> state.incremental()));
        functions.add(new JavaMacro("fromjson", (args, kwargs, state) -> fromJson(args, kwargs)));
        functions.add(new JavaMacro("tojson", (args, kwargs, state) -> toJson(args, kwargs)));
        functions.add(new JavaMacro("fromyaml", (args, kwargs, state) -> {
            try {
                return Yaml.parse(String.valueOf(args.get(0)));
            } catch (IllegalArgumentException e) {
                return JavaMacro.argument(args, kwargs, 1, "default", null);
            }
        }));
        functions.add(new JavaMacro("toyaml", (args, kwargs, state) -> Yaml.write(args.get(0))));
        functions.add(new JavaMacro("zip", (args, kwargs, state) -> zip(args)));
        functions.add(new JavaMacro("set", (args, kwargs, state) -> toSet(args.isEmpty() ? List.of() : args.get(0))));
        functions.add(new JavaMacro("try_set", (args, kwargs, state) -> {
            try {
                return toSet(args.get(0));
            } catch (RuntimeException e) {
                return JavaMacro.argument(args, kwargs, 1, "default", null);
            }
        }));
        functions.add(new JavaMacro("local_md5", (args, kwargs, state) -> md5(String.valueOf(args.get(0)))));
        functions.add(new JavaMacro("doc", (args, kwargs, state) -> settings.docs().apply(String.valueOf(args.get(args.size() - 1)))));
        functions.add(new JavaMacro("__dispatch", this::dispatchAndCall));
        functions.add(new JavaMacro("__dispatch_macro", (args, kwargs, state) -> dispatched(args, state)));
        return functions;
    }

    /** The global objects. */
    public Map<String, Object> objects() {
        Map<String, Object> objects = new LinkedHashMap<>();
        objects.put("adapter", new AdapterFacade(settings.adapterType()));
        objects.put("exceptions", new Exceptions(settings.console()));
        Map<String, Object> modules = new LinkedHashMap<>();
        modules.put("datetime", new PyDateTime.Module());
        modules.put("re", new PyRe());
        objects.put("modules", modules);
        objects.put("target", settings.target());
        objects.put("flags", settings.flags());
        objects.put("project_name", settings.projectName());
        objects.put("invocation_id", settings.invocationId());
        objects.put("run_started_at", runStartedAt);
        objects.put("dbt_version", "1.9.0");
        objects.put("api", Map.of("Relation", new RelationFactory()));
        return objects;
    }

    // ------------------------------------------------------------------ ref, source, config

    private Object ref(List<Object> args, Map<String, Object> kwargs, RenderState state) {
        if (args.isEmpty()) {
            throw compilerError(state, "ref() needs the name of a model, a seed or a snapshot.");
        }
        String packageName = args.size() > 1 ? String.valueOf(args.get(0)) : null;
        String name = String.valueOf(args.get(args.size() - 1));
        state.refs().add(new Node.Ref(packageName, name));
        return state.resolver().ref(packageName, name, state);
    }

    private Object source(List<Object> args, Map<String, Object> kwargs, RenderState state) {
        if (args.size() < 2) {
            throw compilerError(state, "source() needs a source name and a table name.");
        }
        String sourceName = String.valueOf(args.get(0));
        String tableName = String.valueOf(args.get(1));
        state.sources().add(List.of(sourceName, tableName));
        return state.resolver().source(sourceName, tableName, state);
    }

    /**
     * {@code config(...)} records the node's in-file configuration; {@code config.get(key, default)} and
     * {@code config.require(key)} read the node's configuration as resolved so far.
     */
    public static final class ConfigMacro extends JavaMacro {
        ConfigMacro() {
            super("config", (args, kwargs, state) -> {
                if (!args.isEmpty() && args.get(0) instanceof Map<?, ?> map) {
                    map.forEach((key, value) -> state.configCalls().put(String.valueOf(key), value));
                }
                state.configCalls().putAll(kwargs);
                return "";
            });
        }

        private static NodeConfig resolved() {
            RenderState state = RenderState.current();
            NodeConfig config = state.node() == null ? new NodeConfig() : state.node().config().copy();
            return config.merge(state.configCalls());
        }

        public Object get(String key) {
            return resolved().get(key);
        }

        public Object get(String key, Object fallback) {
            return resolved().get(key, fallback);
        }

        public Object require(String key) {
            Object value = resolved().get(key);
            if (value == null) {
                RenderState state = RenderState.current();
                throw compilerError(state, "Required config '" + key + "' is not set"
                        + (state.node() == null ? "" : " for " + state.node().uniqueId()) + ".");
            }
            return value;
        }
    }

    private Object envVar(List<Object> args, Map<String, Object> kwargs, RenderState state) {
        String name = String.valueOf(JavaMacro.argument(args, kwargs, 0, "var", ""));
        String value = settings.environment().get(name);
        if (value != null) {
            return value;
        }
        if (args.size() > 1 || kwargs.containsKey("default")) {
            return JavaMacro.argument(args, kwargs, 1, "default", null);
        }
        throw compilerError(state, "Env var required but not provided: '" + name + "'.");
    }

    // ------------------------------------------------------------------ statements

    /** {@code {% call statement('main', fetch_result=True) %}SQL{% endcall %}}: runs the block's SQL when executing. */
    private Object statement(List<Object> args, Map<String, Object> kwargs, RenderState state) {
        String name = String.valueOf(JavaMacro.argument(args, kwargs, 0, "name", "statement"));
        boolean fetch = Boolean.TRUE.equals(JavaMacro.argument(args, kwargs, 1, "fetch_result", false));
        MacroFunction caller = JavaMacro.interpreter().getContext().getGlobalMacro("caller");
        if (caller == null) {
            throw compilerError(state, "statement() is called with {% call statement(...) %}...{% endcall %}.");
        }
        String sql = String.valueOf(caller.doEvaluate(Map.of(), Map.of(), List.of())).strip();
        if (!state.executing()) {
            return "";
        }
        state.executed().add(sql);
        Map<String, Object> result = new LinkedHashMap<>();
        if (fetch) {
            QueryTable table = state.adapter().query(sql);
            result.put("response", AdapterFacade.response(table.size()));
            result.put("data", table.getRows());
            result.put("table", table);
        } else {
            long rows = state.adapter().execute(sql);
            result.put("response", AdapterFacade.response(rows));
            result.put("data", List.of());
            result.put("table", null);
        }
        state.results().put(name, result);
        return "";
    }

    // ------------------------------------------------------------------ dispatch

    /** {@code __dispatch([name, namespace], args...)}: the dispatched macro, called with the rest. */
    private Object dispatchAndCall(List<Object> args, Map<String, Object> kwargs, RenderState state) {
        MacroFunction macro = dispatched(args, state);
        return JinjaEngine.invoke(macro, new ArrayList<>(args.subList(1, args.size())), kwargs);
    }

    private MacroFunction dispatched(List<Object> args, RenderState state) {
        List<Object> target = Yaml.list(args.isEmpty() ? null : args.get(0));
        if (target.isEmpty()) {
            throw compilerError(state, "adapter.dispatch() needs a macro name.");
        }
        String macroName = String.valueOf(target.get(0));
        String namespace = target.size() > 1 && target.get(1) != null ? String.valueOf(target.get(1)) : null;
        return state.resolver().dispatch(macroName, namespace, state);
    }

    // ------------------------------------------------------------------ helpers

    /** Records the message as the rendering's error and returns the exception that stops it. */
    static DbtException compilerError(RenderState state, String message) {
        state.compilerError(message);
        return DbtException.project(message, null);
    }

    private static Object fromJson(List<Object> args, Map<String, Object> kwargs) {
        try {
            return JSON.readValue(String.valueOf(args.get(0)), Object.class);
        } catch (Exception e) {
            return JavaMacro.argument(args, kwargs, 1, "default", null);
        }
    }

    /** Python's json.dumps separators, which dbt's tojson keeps: {"a": 1, "b": [1, 2]}. */
    private static final class PythonJsonSeparators extends com.fasterxml.jackson.core.util.MinimalPrettyPrinter {
        @Override
        public void writeObjectFieldValueSeparator(com.fasterxml.jackson.core.JsonGenerator generator)
                throws java.io.IOException {
            generator.writeRaw(": ");
        }

        @Override
        public void writeObjectEntrySeparator(com.fasterxml.jackson.core.JsonGenerator generator)
                throws java.io.IOException {
            generator.writeRaw(", ");
        }

        @Override
        public void writeArrayValueSeparator(com.fasterxml.jackson.core.JsonGenerator generator)
                throws java.io.IOException {
            generator.writeRaw(", ");
        }
    }

    private static Object toJson(List<Object> args, Map<String, Object> kwargs) {
        try {
            boolean sortKeys = Boolean.TRUE.equals(JavaMacro.argument(args, kwargs, 1, "sort_keys", false));
            return (sortKeys ? SORTED_JSON : JSON).writer(new PythonJsonSeparators()).writeValueAsString(args.get(0));
        } catch (Exception e) {
            return JavaMacro.argument(args, kwargs, 2, "default", null);
        }
    }

    private static List<List<Object>> zip(List<Object> args) {
        List<List<Object>> lists = new ArrayList<>();
        for (Object arg : args) {
            lists.add(arg instanceof Collection<?> collection ? new ArrayList<>(collection) : Yaml.list(arg));
        }
        int length = lists.stream().mapToInt(List::size).min().orElse(0);
        List<List<Object>> zipped = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            List<Object> tuple = new ArrayList<>();
            for (List<Object> list : lists) {
                tuple.add(list.get(i));
            }
            zipped.add(tuple);
        }
        return zipped;
    }

    private static Object toSet(Object value) {
        if (value instanceof Collection<?> collection) {
            return new LinkedHashSet<>(collection);
        }
        return new LinkedHashSet<>(Yaml.list(value));
    }

    static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code exceptions}: raise_compiler_error and warn. */
    public static final class Exceptions {
        private final Consumer<String> console;

        Exceptions(Consumer<String> console) {
            this.console = console;
        }

        public String raise_compiler_error(String message) {
            throw compilerError(RenderState.current(), message);
        }

        public String raise_not_implemented(String message) {
            throw compilerError(RenderState.current(), "Not implemented: " + message);
        }

        public String warn(String message) {
            console.accept("Warning: " + message);
            return "";
        }

        public String raise_fail_fast_error(String message) {
            return raise_compiler_error(message);
        }
    }

    /** {@code api.Relation.create(database, schema, identifier)}. */
    public static final class RelationFactory {
        public Relation create(String database, String schema, String identifier) {
            return new Relation(database, schema, identifier, null);
        }

        public Relation create(String database, String schema, String identifier, String type) {
            return new Relation(database, schema, identifier, type);
        }
    }

    /** The interpreter, for code that must reach the rendering's context. */
    static JinjavaInterpreter interpreter() {
        return JinjavaInterpreter.getCurrent();
    }
}
