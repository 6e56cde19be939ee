package fr.zlv.entrepot.dbt.jinja;

import com.hubspot.jinjava.lib.fn.MacroFunction;
import fr.zlv.entrepot.dbt.adapter.Relation;
import java.util.List;

/** What Jinja asks of the project while rendering: relations of refs and sources, variables, macros. */
public interface Resolver {

    /** The relation {@code ref(package, name)} stands for; records the dependency in {@code state}. */
    Relation ref(String packageName, String name, RenderState state);

    /** The relation {@code source(source, table)} stands for. */
    Relation source(String sourceName, String tableName, RenderState state);

    /** {@code var(name)}: the command line's --vars, then the project's vars; {@code fallback} when absent. */
    Object var(String name, Object fallback, boolean hasFallback, RenderState state);

    /** The macro {@code adapter.dispatch(name, namespace)} resolves to, in the project's search order. */
    MacroFunction dispatch(String macroName, String macroNamespace, RenderState state);
}
