package fr.zlv.entrepot.dbt.docs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.zlv.entrepot.dbt.DbtException;
import fr.zlv.entrepot.dbt.adapter.Adapter;
import fr.zlv.entrepot.dbt.artifacts.Artifacts;
import fr.zlv.entrepot.dbt.graph.ColumnInfo;
import fr.zlv.entrepot.dbt.graph.Manifest;
import fr.zlv.entrepot.dbt.graph.Node;
import fr.zlv.entrepot.dbt.graph.ResourceType;
import fr.zlv.entrepot.dbt.graph.SourceDefinition;
import fr.zlv.entrepot.dbt.parse.ParsedProject;
import fr.zlv.entrepot.dbt.run.Compiler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code dbt docs generate}: compiles the project's nodes, then writes into {@code target/} the manifest, the catalog
 * (what the warehouse holds) and a static documentation site: {@code index.html}, its stylesheet and script, and
 * {@code docs-data.js}, the manifest and catalog the page reads. The site needs no server and no network: it
 * opens from the file system as well as through {@link DocsServer}.
 *
 * <pre>{@code
 * DocsResult result = DocsGenerator.generate(dbt.project(), dbt.adapter(), dbt.targetDirectory(), invocationId);
 * }</pre>
 */
public final class DocsGenerator {

    /** The site's files, shipped as resources next to this class and copied as they are. */
    static final List<String> SITE_FILES = List.of("index.html", "docs.css", "docs.js", "favicon.svg");
    /** The file holding the site's data, written at each generation. */
    static final String DATA_FILE = "docs-data.js";

    private static final ObjectMapper COMPACT_JSON = new ObjectMapper();

    private DocsGenerator() {
    }

    /** Compiles the nodes, then writes the manifest, the catalog and the site. */
    public static DocsResult generate(ParsedProject project, Adapter adapter, Path targetDirectory, String invocationId) {
        return generate(project, adapter, targetDirectory, invocationId, true);
    }

    /**
     * @param compile false for dbt's {@code --no-compile}: the site shows the compiled SQL of nodes already compiled
     *                in this process only
     */
    public static DocsResult generate(ParsedProject project, Adapter adapter, Path targetDirectory, String invocationId,
                                      boolean compile) {
        List<String> compileErrors = compile ? compileAll(project, adapter, targetDirectory) : List.of();

        Map<String, Object> manifest = new Artifacts(invocationId, adapter.type()).manifest(project.manifest());
        Path manifestFile = targetDirectory.resolve("manifest.json");
        Artifacts.write(manifestFile, manifest);

        Catalog.Result catalog = new Catalog(project.manifest(), adapter).build(invocationId);
        Path catalogFile = targetDirectory.resolve("catalog.json");
        Artifacts.write(catalogFile, catalog.document());

        List<Path> files = new ArrayList<>(List.of(manifestFile, catalogFile));
        files.add(writeData(targetDirectory, siteData(project.manifest(), manifest, catalog.document())));
        for (String name : SITE_FILES) {
            files.add(copyResource(name, targetDirectory));
        }
        return new DocsResult(targetDirectory, manifestFile, catalogFile, targetDirectory.resolve("index.html"), files,
                catalog.expected(), catalog.found(), compileErrors, catalog.errors());
    }

    /**
     * Compiles every model, snapshot, analysis and test, as dbt's docs generate does, so the site shows their
     * compiled SQL. A node that does not compile is reported and documented without it: one broken model should
     * not keep the others from being documented.
     */
    private static List<String> compileAll(ParsedProject project, Adapter adapter, Path targetDirectory) {
        Compiler compiler = new Compiler(project, adapter, targetDirectory);
        List<String> errors = new ArrayList<>();
        for (Node node : project.manifest().topologicalOrder()) {
            if (node.type() == ResourceType.SEED || node.type() == ResourceType.OPERATION) {
                continue;
            }
            try {
                compiler.compile(node, false);
            } catch (RuntimeException e) {
                errors.add(node.uniqueId() + ": " + e.getMessage());
            }
        }
        return errors;
    }

    /**
     * What the page reads: the manifest without its macros (the site does not show them, and in a project with
     * packages they are most of its size), the catalog, and the tests the properties files declare on each column.
     *
     * @param parsed   the parsed project (for the declared tests, which the manifest's JSON does not carry)
     * @param manifest manifest.json's document
     * @param catalog  catalog.json's document
     */
    static Map<String, Object> siteData(Manifest parsed, Map<String, Object> manifest, Map<String, Object> catalog) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("metadata", manifest.get("metadata"));
        data.put("nodes", manifest.get("nodes"));
        data.put("sources", manifest.get("sources"));
        data.put("parent_map", manifest.get("parent_map"));
        data.put("child_map", manifest.get("child_map"));
        Map<String, Object> catalogData = new LinkedHashMap<>();
        catalogData.put("nodes", catalog.get("nodes"));
        catalogData.put("sources", catalog.get("sources"));
        catalogData.put("errors", catalog.get("errors"));
        data.put("catalog", catalogData);
        data.put("declared_tests", declaredTests(parsed));
        return data;
    }

    /**
     * The test names the properties files put on each column ({@code tests:} / {@code data_tests:}), by node and
     * column. The page shows them where the manifest has no test node for the column.
     */
    static Map<String, Map<String, List<String>>> declaredTests(Manifest manifest) {
        Map<String, Map<String, List<String>>> tests = new LinkedHashMap<>();
        for (Node node : manifest.nodes().values()) {
            addDeclared(tests, node.uniqueId(), node.columns());
        }
        for (SourceDefinition source : manifest.sources().values()) {
            addDeclared(tests, source.uniqueId(), source.columns());
        }
        return tests;
    }

    private static void addDeclared(Map<String, Map<String, List<String>>> tests, String uniqueId,
                                    Map<String, ColumnInfo> columns) {
        for (ColumnInfo column : columns.values()) {
            List<String> names = new ArrayList<>();
            for (Object definition : column.tests()) {
                String name = testName(definition);
                if (name != null) {
                    names.add(name);
                }
            }
            if (!names.isEmpty()) {
                tests.computeIfAbsent(uniqueId, id -> new LinkedHashMap<>()).put(column.name(), names);
            }
        }
    }

    /** {@code unique}, {@code {relationships: {...}}} or {@code {name: x, test_name: unique}}: the test's name. */
    static String testName(Object definition) {
        if (definition instanceof String name) {
            return name;
        }
        if (definition instanceof Map<?, ?> map && !map.isEmpty()) {
            Object testName = map.get("test_name");
            return String.valueOf(testName != null ? testName : map.keySet().iterator().next());
        }
        return null;
    }

    private static Path writeData(Path targetDirectory, Map<String, Object> data) {
        String json;
        try {
            json = COMPACT_JSON.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        // A script rather than a JSON file: browsers refuse fetch() on file:// pages, not <script src>.
        String script = "/* Written by docs generate: the manifest and catalog that index.html shows. */\n"
                + "window.ENTREPOT_DOCS = " + json + ";\n";
        return write(targetDirectory.resolve(DATA_FILE), script.getBytes(StandardCharsets.UTF_8));
    }

    private static Path copyResource(String name, Path targetDirectory) {
        try (InputStream in = DocsGenerator.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("The docs site resource " + name + " is missing from the jar.");
            }
            return write(targetDirectory.resolve(name), in.readAllBytes());
        } catch (IOException e) {
            throw DbtException.runtime("Cannot read the docs site resource " + name + ": " + e.getMessage(), e);
        }
    }

    /** Writes through a temporary file, so a browser reloading meanwhile never reads half a file. */
    private static Path write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(temporary, bytes);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw DbtException.runtime("Cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
