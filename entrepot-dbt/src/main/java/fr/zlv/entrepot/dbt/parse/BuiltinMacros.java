package fr.zlv.entrepot.dbt.parse;

import fr.zlv.entrepot.dbt.jinja.JinjaEngine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The macros Entrepôt brings, written for it: dbt's own (naming, relation helpers, the generic tests, the
 * cross-database macros, callable as {@code dbt.dateadd(...)} or {@code dateadd(...)}), and the packages projects
 * lean on ({@code dbt_utils}, {@code dbt_expectations}, {@code dbt_date}), used only when the project has not
 * installed them under {@code dbt_packages/} (an installed package always wins).
 *
 * <p>Each directory under {@code fr/zlv/entrepot/dbt/} lists its files in {@code index.txt} (a jar cannot be
 * listed): {@code macros/} for dbt's, {@code packages/<name>/} for each package.
 */
public final class BuiltinMacros {

    private static final String ROOT = "/fr/zlv/entrepot/dbt/";
    /** The packages Entrepôt brings, by name. */
    public static final List<String> PACKAGES = List.of("dbt_utils", "dbt_expectations", "dbt_date");

    private BuiltinMacros() {
    }

    /** dbt's own macros. */
    static List<JinjaEngine.MacroFile> dbt() {
        return files("macros/");
    }

    /** The built-in packages, by name. */
    static Map<String, List<JinjaEngine.MacroFile>> packages() {
        Map<String, List<JinjaEngine.MacroFile>> packages = new LinkedHashMap<>();
        for (String name : PACKAGES) {
            packages.put(name, files("packages/" + name + "/"));
        }
        return packages;
    }

    private static List<JinjaEngine.MacroFile> files(String directory) {
        List<JinjaEngine.MacroFile> files = new ArrayList<>();
        for (String line : read(directory + "index.txt").split("\n")) {
            String name = line.strip();
            if (!name.isEmpty() && !name.startsWith("#")) {
                files.add(new JinjaEngine.MacroFile("entrepot/" + directory + name, read(directory + name)));
            }
        }
        return files;
    }

    private static String read(String path) {
        try (InputStream in = BuiltinMacros.class.getResourceAsStream(ROOT + path)) {
            if (in == null) {
                throw new IllegalStateException("missing built-in macro resource " + ROOT + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read built-in macro resource " + ROOT + path, e);
        }
    }
}
