package fr.zlv.entrepot.dbt.jinja;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.fn.MacroFunction;
import java.util.List;
import java.util.Map;

/**
 * A macro of the project or of a package, as dbt runs it.
 *
 * <p>Two things Jinjava does not do are added here. {@code return(value)} makes the call return that value
 * (a list, a dict, a relation) instead of the rendered text: the call opens a scope holding a return slot
 * that {@code return} fills (the first value wins). And a package's macros can call each other without
 * their namespace, as in dbt: the call puts the package's macros in scope first.
 */
public final class DbtMacro extends MacroFunction {

    static final String RETURN_SLOT = "__entrepot_return__";

    /** Where {@code return()} puts its value. */
    static final class ReturnSlot {
        private Object value;
        private boolean set;

        void set(Object newValue) {
            if (!set) {
                value = newValue;
                set = true;
            }
        }
    }

    private final String packageName;
    private final Map<String, MacroFunction> siblings;

    /**
     * @param siblings the package's macros, put in scope during the call; null for the root project's
     */
    public DbtMacro(MacroFunction parsed, String packageName, Map<String, MacroFunction> siblings) {
        super(parsed, parsed.getName());
        this.packageName = packageName;
        this.siblings = siblings;
    }

    public String packageName() {
        return packageName;
    }

    @Override
    public Object doEvaluate(Map<String, Object> argMap, Map<String, Object> kwargMap, List<Object> varArgs) {
        JinjavaInterpreter interpreter = JinjavaInterpreter.getCurrent();
        ReturnSlot slot = new ReturnSlot();
        try (JinjavaInterpreter.InterpreterScopeClosable scope = interpreter.enterScope()) {
            if (siblings != null) {
                interpreter.getContext().getGlobalMacros().putAll(siblings);
            }
            interpreter.getContext().put(RETURN_SLOT, slot);
            Object rendered = super.doEvaluate(withNoneKept(argMap), kwargMap, varArgs);
            return slot.set ? slot.value : rendered;
        }
    }

    /**
     * The arguments, each {@code none} replaced by an empty Optional, which Jinjava reads back as none. A null in
     * a Jinjava scope counts as absent, so the macro would see the caller's variable of the same name instead.
     */
    private static Map<String, Object> withNoneKept(Map<String, Object> argMap) {
        if (!argMap.containsValue(null)) {
            return argMap;
        }
        Map<String, Object> kept = new java.util.LinkedHashMap<>(argMap);
        kept.replaceAll((name, value) -> value == null ? java.util.Optional.empty() : value);
        return kept;
    }

    /** The {@code return} function: fills the nearest return slot. */
    static JavaMacro returnFunction() {
        return new JavaMacro("return", (args, kwargs, state) -> {
            Object slot = JinjavaInterpreter.getCurrent().getContext().get(RETURN_SLOT);
            if (slot instanceof ReturnSlot returnSlot) {
                returnSlot.set(args.isEmpty() ? null : args.get(0));
            }
            return "";
        });
    }
}
