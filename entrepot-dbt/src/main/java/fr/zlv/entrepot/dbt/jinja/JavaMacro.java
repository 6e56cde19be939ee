package fr.zlv.entrepot.dbt.jinja;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.fn.MacroFunction;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A function of dbt's Jinja context written in Java ({@code ref}, {@code config}, {@code run_query}...).
 * It is a macro to Jinjava, so it can be called with positional and keyword arguments, and return any
 * object (a relation, a table, a list), not only text.
 */
public class JavaMacro extends MacroFunction {

    /** The body: positional arguments, keyword arguments, the render's state. */
    @FunctionalInterface
    public interface Body {
        Object call(List<Object> args, Map<String, Object> kwargs, RenderState state);
    }

    private final Body body;

    public JavaMacro(String name, Body body) {
        super(List.of(), name, new LinkedHashMap<>(), false, null, 0, 0);
        this.body = body;
    }

    @Override
    public Object doEvaluate(Map<String, Object> argMap, Map<String, Object> kwargMap, List<Object> varArgs) {
        return body.call(varArgs, kwargMap, RenderState.current());
    }

    /** The n-th positional argument, else the keyword argument, else {@code fallback}. */
    public static Object argument(List<Object> args, Map<String, Object> kwargs, int index, String name, Object fallback) {
        if (args.size() > index) {
            return args.get(index);
        }
        return kwargs.containsKey(name) ? kwargs.get(name) : fallback;
    }

    /** The interpreter rendering now: for macros that need the caller ({@code {% call %}}) or the context. */
    static JinjavaInterpreter interpreter() {
        return JinjavaInterpreter.getCurrent();
    }
}
