package fr.zlv.entrepot.dbt.jinja;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.MacroFunction;
import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.dbt.DbtException;
import fr.zlv.entrepot.dbt.graph.MacroDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jinjava.javax.el.CompositeELResolver;

/**
 * The Jinja engine of dbt projects: Jinjava set up for Python's semantics (iterating a dict gives its keys,
 * {@code {{- -}}} trims, values print as Python prints them, natural operator precedence) with Python's
 * string and dict methods, and three nested contexts: dbt's built-ins, then the root project's macros and
 * the packages' namespaces, then one context per rendering.
 */
public final class JinjaEngine {

    /** A macro file: where it is (for messages) and its text. */
    public record MacroFile(String originalFilePath, String text) {
    }

    private static final Pattern MACRO_START = Pattern.compile("\\{%-?\\s*macro\\s+(\\w+)\\s*\\(");
    private static final Pattern MACRO_END = Pattern.compile("\\{%-?\\s*endmacro\\s*-?%}");

    private final Jinjava jinjava;
    private final JinjavaConfig config;
    private final Context internal;
    private final Context project;
    private final Map<String, com.hubspot.jinjava.tree.Node> trees = new java.util.concurrent.ConcurrentHashMap<>();

    public JinjaEngine(Builtins builtins) {
        LegacyOverrides overrides = LegacyOverrides.newBuilder()
                .withIterateOverMapKeys(true)
                .withUseTrimmingForNotesAndExpressions(true)
                .withUsePyishObjectMapper(true)
                .withUseNaturalOperatorPrecedence(true)
                .withEvaluateMapKeys(true)
                .withKeepNullableLoopValues(true)
                .build();
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new PythonMethods());
        resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
        this.config = JinjavaConfig.newBuilder()
                .withLegacyOverrides(overrides)
                // dbt leaves Jinja's whitespace defaults: no trim_blocks, no lstrip_blocks.
                .withTrimBlocks(false)
                .withLstripBlocks(false)
                .withKeepTrailingNewline(false)
                .withElResolver(resolver)
                .withEnableRecursiveMacroCalls(true)
                .withMaxMacroRecursionDepth(50)
                .withMaxOutputSize(0)
                .build();
        this.jinjava = new Jinjava(config);
        this.internal = new Context(jinjava.getGlobalContext());
        builtins.functions().forEach(internal::addGlobalMacro);
        builtins.objects().forEach(internal::put);
        this.project = new Context(internal);
    }

    /**
     * Reads a package's macro files: each macro becomes a {@link DbtMacro}. Returns the macros by name, and adds
     * their definitions (for the manifest) to {@code definitions}.
     *
     * @param root true for the root project (its macros are called without a namespace), false for a package
     */
    public Map<String, MacroFunction> parseMacros(String packageName, List<MacroFile> files,
                                                  List<MacroDefinition> definitions, boolean root) {
        Map<String, MacroFunction> parsed = new LinkedHashMap<>();
        for (MacroFile file : files) {
            String text = Preprocessor.prepare(Preprocessor.withoutDocs(file.text()));
            Context scratch = new Context(internal);
            JinjavaInterpreter interpreter = new JinjavaInterpreter(jinjava, scratch, config);
            interpreter.render(text);
            List<TemplateError> errors = fatal(interpreter);
            if (!errors.isEmpty()) {
                TemplateError error = errors.get(0);
                throw DbtException.project("Compilation error in macro file " + file.originalFilePath() + ", line "
                        + error.getLineno() + ": " + describe(error), null);
            }
            scratch.getGlobalMacros().forEach(parsed::put);
            definitions.addAll(definitionsIn(packageName, file, text));
        }
        Map<String, MacroFunction> wrapped = new LinkedHashMap<>();
        Map<String, MacroFunction> siblings = root ? null : wrapped;
        parsed.forEach((name, macro) -> wrapped.put(name, new DbtMacro(macro, packageName, siblings)));
        return wrapped;
    }

    private static List<MacroDefinition> definitionsIn(String packageName, MacroFile file, String text) {
        List<MacroDefinition> definitions = new ArrayList<>();
        Matcher start = MACRO_START.matcher(text);
        while (start.find()) {
            Matcher end = MACRO_END.matcher(text);
            int stop = end.find(start.end()) ? end.end() : text.length();
            definitions.add(new MacroDefinition(packageName, start.group(1), file.originalFilePath(),
                    text.substring(start.start(), stop), ""));
        }
        return definitions;
    }

    /** Makes the root project's macros callable by name, and each package's as {@code package.macro()}. */
    public void install(Map<String, MacroFunction> rootMacros, Map<String, Map<String, MacroFunction>> packages) {
        packages.forEach((name, macros) -> project.put(name, new LinkedHashMap<>(macros)));
        rootMacros.values().forEach(project::addGlobalMacro);
    }

    /** Adds Entrepôt's own macros (dbt's defaults) under the project's, so a project can override them. */
    public void installInternal(Map<String, MacroFunction> macros) {
        macros.values().forEach(internal::addGlobalMacro);
        // dbt's macros are also reachable through their namespace: dbt.dateadd(...).
        internal.put("dbt", new LinkedHashMap<>(macros));
    }

    /**
     * Renders a template.
     *
     * @param variables what this rendering adds to the context: {@code this}, {@code model}, {@code sql}...
     * @param where     the file (and node) for error messages: "model shop.orders (models/orders.sql)"
     */
    public String render(String template, RenderState state, Map<String, Object> variables, String where) {
        Context context = new Context(project);
        context.put(RenderState.KEY, state);
        context.put("execute", state.executing());
        variables.forEach(context::put);
        JinjavaInterpreter interpreter = new JinjavaInterpreter(jinjava, context, config);
        String rendered;
        try {
            JinjavaInterpreter.pushCurrent(interpreter);
            try {
                rendered = interpreter.render(tree(template, interpreter));
            } finally {
                JinjavaInterpreter.popCurrent();
            }
        } catch (RuntimeException e) {
            throw failure(where, state, 0, rootMessage(e), e);
        }
        List<TemplateError> errors = fatal(interpreter);
        if (!errors.isEmpty() || state.compilerError() != null) {
            TemplateError error = errors.isEmpty() ? null : errors.get(0);
            String message = state.compilerError() != null ? state.compilerError() : describe(error);
            throw failure(where, state, error == null ? 0 : error.getLineno(), message,
                    error == null ? null : error.getException());
        }
        return rendered;
    }

    /**
     * The parsed template, parsed once: a model is rendered when parsing and again when compiling, and its tree
     * does not change. A template with syntax errors is not kept, so each rendering reports them.
     */
    private com.hubspot.jinjava.tree.Node tree(String template, JinjavaInterpreter interpreter) {
        com.hubspot.jinjava.tree.Node cached = trees.get(template);
        if (cached != null) {
            return cached;
        }
        com.hubspot.jinjava.tree.Node parsed = interpreter.parse(Preprocessor.prepare(template));
        if (fatal(interpreter).isEmpty()) {
            trees.put(template, parsed);
        }
        return parsed;
    }

    /**
     * Evaluates one Jinja expression ({@code ref('customers')}) to its value, not its text: a test's arguments
     * reach its macro as objects, as in dbt.
     */
    public Object evaluate(String expression, RenderState state, Map<String, Object> variables, String where) {
        Context context = new Context(project);
        context.put(RenderState.KEY, state);
        context.put("execute", state.executing());
        variables.forEach(context::put);
        JinjavaInterpreter interpreter = new JinjavaInterpreter(jinjava, context, config);
        Object value;
        JinjavaInterpreter.pushCurrent(interpreter);
        try {
            value = interpreter.resolveELExpression(expression, 1);
        } catch (RuntimeException e) {
            throw failure(where, state, 0, rootMessage(e), e);
        } finally {
            JinjavaInterpreter.popCurrent();
        }
        List<TemplateError> errors = fatal(interpreter);
        if (!errors.isEmpty() || state.compilerError() != null) {
            throw failure(where, state, 0, state.compilerError() != null ? state.compilerError()
                    : describe(errors.get(0)), null);
        }
        return value;
    }

    /** Calls a macro outside any template (generate_schema_name, a materialization) with the given state. */
    public Object call(MacroFunction macro, List<Object> args, Map<String, Object> kwargs, RenderState state,
                       Map<String, Object> variables, String where) {
        Context context = new Context(project);
        context.put(RenderState.KEY, state);
        context.put("execute", state.executing());
        variables.forEach(context::put);
        JinjavaInterpreter interpreter = new JinjavaInterpreter(jinjava, context, config);
        Object result;
        JinjavaInterpreter.pushCurrent(interpreter);
        try {
            result = invoke(macro, args, kwargs);
        } catch (RuntimeException e) {
            throw failure(where, state, 0, rootMessage(e), e);
        } finally {
            JinjavaInterpreter.popCurrent();
        }
        List<TemplateError> errors = fatal(interpreter);
        if (!errors.isEmpty() || state.compilerError() != null) {
            TemplateError error = errors.isEmpty() ? null : errors.get(0);
            throw failure(where, state, error == null ? 0 : error.getLineno(),
                    state.compilerError() != null ? state.compilerError() : describe(error), null);
        }
        return result;
    }

    /**
     * Calls a macro from Java as Jinja would: positional arguments and keyword arguments bound to the macro's
     * parameters (defaults for the others), the rest left in {@code varargs} and {@code kwargs}.
     */
    public static Object invoke(MacroFunction macro, List<Object> args, Map<String, Object> kwargs) {
        List<String> names = macro.getArguments();
        Map<String, Object> defaults = macro.getDefaults();
        Map<String, Object> argMap = new LinkedHashMap<>();
        Map<String, Object> otherKwargs = new LinkedHashMap<>(kwargs);
        List<Object> varArgs = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            if (i < names.size()) {
                argMap.put(names.get(i), args.get(i));
            } else {
                varArgs.add(args.get(i));
            }
        }
        for (String name : names) {
            if (!argMap.containsKey(name)) {
                argMap.put(name, otherKwargs.containsKey(name) ? otherKwargs.remove(name) : defaults.get(name));
            }
        }
        return macro.doEvaluate(argMap, otherKwargs, varArgs);
    }

    /** A macro callable without namespace in the project (the root's, or a built-in), or null. */
    public MacroFunction macro(String name) {
        return project.getGlobalMacro(name);
    }

    /** A package's macro, or null. */
    @SuppressWarnings("unchecked")
    public MacroFunction macro(String packageName, String name) {
        Object namespace = project.get(packageName);
        return namespace instanceof Map<?, ?> map ? (MacroFunction) ((Map<String, Object>) map).get(name) : null;
    }

    /** True when the root project defines this macro (so it overrides the built-in). */
    public boolean projectDefines(String name) {
        return project.getGlobalMacros().containsKey(name);
    }

    private static List<TemplateError> fatal(JinjavaInterpreter interpreter) {
        return interpreter.getErrorsCopy().stream()
                .filter(error -> error.getSeverity() == TemplateError.ErrorType.FATAL).toList();
    }

    private static String describe(TemplateError error) {
        if (error == null) {
            return "unknown error";
        }
        String cause = error.getException() == null ? null : rootMessage(error.getException());
        if (cause != null && !cause.isBlank() && !cause.equals(error.getMessage())) {
            return cause;
        }
        return error.getMessage();
    }

    private static String rootMessage(Throwable e) {
        Throwable cursor = e;
        while (cursor != null) {
            if (cursor instanceof EntrepotException known) {
                return known.getMessage();
            }
            if (cursor.getCause() == null || cursor.getCause() == cursor) {
                return String.valueOf(cursor.getMessage());
            }
            cursor = cursor.getCause();
        }
        return String.valueOf(e.getMessage());
    }

    /**
     * The error of a rendering, naming where it happened. A statement that failed inside the template
     * ({@code run_query}, {@code statement}) is a database error; anything else is a compilation error.
     */
    private static DbtException failure(String where, RenderState state, int line, String message, Throwable cause) {
        String at = line > 0 ? ", line " + line : "";
        if (databaseFailure(cause)) {
            return DbtException.runtime("Database Error in " + where + at + ": " + message, cause);
        }
        return DbtException.project("Compilation Error in " + where + at + ": " + message, null, cause);
    }

    private static boolean databaseFailure(Throwable e) {
        for (Throwable cursor = e; cursor != null; cursor = cursor.getCause() == cursor ? null : cursor.getCause()) {
            if (cursor instanceof EntrepotException known) {
                return known.exitCode() == EntrepotException.FAILED;
            }
        }
        return false;
    }
}
