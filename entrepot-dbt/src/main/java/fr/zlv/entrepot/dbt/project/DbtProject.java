package fr.zlv.entrepot.dbt.project;

import fr.zlv.entrepot.dbt.DbtException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dbt project as {@code dbt_project.yml} describes it: its name and profile, where its resources are, its
 * variables, the config trees, hooks and dispatch rules. The root project and every package under
 * {@code dbt_packages/} are read the same way.
 */
public record DbtProject(Path root, String name, String profile, List<String> modelPaths, List<String> seedPaths,
                         List<String> macroPaths, List<String> testPaths, List<String> snapshotPaths,
                         List<String> analysisPaths, List<String> docsPaths, String targetPath, String packagesPath,
                         List<String> cleanTargets, Map<String, Object> vars, ConfigTree models, ConfigTree seeds,
                         ConfigTree snapshots, ConfigTree tests, List<String> onRunStart, List<String> onRunEnd,
                         Map<String, Object> flags, List<Dispatch> dispatch, Map<String, Object> raw) {

    /** A {@code dispatch:} entry: where to look for a namespace's macros, in order. */
    public record Dispatch(String macroNamespace, List<String> searchOrder) {
    }

    public static final String FILE = "dbt_project.yml";

    public static DbtProject load(Path directory) {
        Path root = directory.toAbsolutePath().normalize();
        Path file = root.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw DbtException.project("No " + FILE + " in " + root + ".",
                    "Run from the project's directory or pass --project-dir.");
        }
        Map<String, Object> yaml = Yaml.readMap(file);
        Object name = yaml.get("name");
        if (name == null || !String.valueOf(name).matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw DbtException.project(file + ": 'name' must be a valid identifier (letters, digits, underscores), not '"
                    + name + "'.", null);
        }
        List<Dispatch> dispatch = new ArrayList<>();
        for (Object entry : Yaml.list(yaml.get("dispatch"))) {
            Map<String, Object> map = Yaml.map(entry);
            dispatch.add(new Dispatch(Yaml.string(map.get("macro_namespace"), ""), Yaml.strings(map.get("search_order"))));
        }
        return new DbtProject(root, String.valueOf(name), Yaml.string(yaml.get("profile"), String.valueOf(name)),
                paths(yaml, "model-paths", "models"), paths(yaml, "seed-paths", "seeds"),
                paths(yaml, "macro-paths", "macros"), paths(yaml, "test-paths", "tests"),
                paths(yaml, "snapshot-paths", "snapshots"), paths(yaml, "analysis-paths", "analyses"),
                paths(yaml, "docs-paths", null),
                Yaml.string(yaml.get("target-path"), "target"), Yaml.string(yaml.get("packages-install-path"), "dbt_packages"),
                // As dbt: without clean-targets, clean removes the target path only.
                yaml.containsKey("clean-targets") ? Yaml.strings(yaml.get("clean-targets"))
                        : List.of(Yaml.string(yaml.get("target-path"), "target")),
                new LinkedHashMap<>(Yaml.map(yaml.get("vars"))),
                new ConfigTree(Yaml.map(yaml.get("models"))), new ConfigTree(Yaml.map(yaml.get("seeds"))),
                new ConfigTree(Yaml.map(yaml.get("snapshots"))), new ConfigTree(firstMap(yaml, "data_tests", "tests")),
                Yaml.strings(yaml.get("on-run-start")), Yaml.strings(yaml.get("on-run-end")),
                Yaml.map(yaml.get("flags")), dispatch, yaml);
    }

    private static Map<String, Object> firstMap(Map<String, Object> yaml, String key, String fallbackKey) {
        return Yaml.map(yaml.containsKey(key) ? yaml.get(key) : yaml.get(fallbackKey));
    }

    private static List<String> paths(Map<String, Object> yaml, String key, String fallback) {
        if (yaml.containsKey(key)) {
            return Yaml.strings(yaml.get(key));
        }
        String legacy = key.replace("-paths", "-paths").replace("model-paths", "source-paths");
        if (key.equals("model-paths") && yaml.containsKey(legacy)) {
            return Yaml.strings(yaml.get(legacy));
        }
        return fallback == null ? List.of() : List.of(fallback);
    }

    /** The packages installed under {@code dbt_packages/}, each read as a project. */
    public List<DbtProject> packages() {
        Path directory = root.resolve(packagesPath);
        List<DbtProject> packages = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return packages;
        }
        try (var children = Files.list(directory)) {
            for (Path child : children.sorted().toList()) {
                if (Files.isRegularFile(child.resolve(FILE))) {
                    packages.add(load(child));
                }
            }
        } catch (java.io.IOException e) {
            throw DbtException.project("Cannot list " + directory + ": " + e.getMessage(), null, e);
        }
        return packages;
    }
}
