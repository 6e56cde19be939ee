package fr.zlv.entrepot.dbt.artifacts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import fr.zlv.entrepot.dbt.DbtException;
import fr.zlv.entrepot.dbt.graph.ColumnInfo;
import fr.zlv.entrepot.dbt.graph.DocBlock;
import fr.zlv.entrepot.dbt.graph.MacroDefinition;
import fr.zlv.entrepot.dbt.graph.Manifest;
import fr.zlv.entrepot.dbt.graph.Node;
import fr.zlv.entrepot.dbt.graph.ResourceType;
import fr.zlv.entrepot.dbt.graph.SourceDefinition;
import fr.zlv.entrepot.dbt.adapter.Relation;
import fr.zlv.entrepot.dbt.project.Yaml;
import fr.zlv.entrepot.dbt.run.NodeResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The artefacts dbt writes to {@code target/}, in the shapes of dbt's published JSON schemas, so that tools
 * reading dbt's artefacts (docs sites, lineage, CI checks) read Entrepôt's:
 * {@code manifest.json} (schema v12) and {@code run_results.json} (schema v6). The schemas forbid keys they do
 * not list, so each object here carries exactly the schema's keys.
 */
public final class Artifacts {

    public static final String MANIFEST_SCHEMA = "https://schemas.getdbt.com/dbt/manifest/v12.json";
    public static final String RUN_RESULTS_SCHEMA = "https://schemas.getdbt.com/dbt/run-results/v6.json";
    /** The dbt version whose Jinja context and artefacts Entrepôt follows. */
    public static final String DBT_VERSION = "1.9.0";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final String invocationId;
    private final String adapterType;
    private final double createdAt = System.currentTimeMillis() / 1000.0;

    public Artifacts(String invocationId, String adapterType) {
        this.invocationId = invocationId;
        this.adapterType = adapterType;
    }

    public String invocationId() {
        return invocationId;
    }

    public static String timestamp(Instant instant) {
        return TIMESTAMP.format(instant);
    }

    // ------------------------------------------------------------------ manifest.json

    public Map<String, Object> manifest(Manifest manifest) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("dbt_schema_version", MANIFEST_SCHEMA);
        metadata.put("dbt_version", DBT_VERSION);
        metadata.put("generated_at", timestamp(Instant.now()));
        metadata.put("invocation_id", invocationId);
        metadata.put("env", Map.of());
        metadata.put("project_name", manifest.projectName());
        metadata.put("project_id", md5(manifest.projectName()));
        metadata.put("user_id", null);
        metadata.put("send_anonymous_usage_stats", false);
        metadata.put("adapter_type", adapterType);

        Map<String, Object> nodes = new LinkedHashMap<>();
        manifest.nodes().values().forEach(node -> nodes.put(node.uniqueId(), node(node)));
        Map<String, Object> sources = new LinkedHashMap<>();
        manifest.sources().values().forEach(source -> sources.put(source.uniqueId(), source(source)));
        Map<String, Object> macros = new LinkedHashMap<>();
        manifest.macros().values().forEach(macro -> macros.put(macro.uniqueId(), macro(macro)));
        Map<String, Object> docs = new LinkedHashMap<>();
        manifest.docs().values().forEach(doc -> docs.put(doc.uniqueId(), doc(doc)));
        Map<String, Object> disabled = new LinkedHashMap<>();
        manifest.disabled().values().forEach(node -> disabled.put(node.uniqueId(), List.of(node(node))));
        Map<String, Object> selectors = new LinkedHashMap<>();
        manifest.selectors().forEach((name, selector) -> {
            Map<String, Object> entry = new LinkedHashMap<>(Yaml.map(selector));
            entry.remove("default");
            selectors.put(name, entry);
        });

        Map<String, Object> document = new LinkedHashMap<>();
        document.put("metadata", metadata);
        document.put("nodes", nodes);
        document.put("sources", sources);
        document.put("macros", macros);
        document.put("docs", docs);
        document.put("exposures", Map.of());
        document.put("metrics", Map.of());
        document.put("groups", Map.of());
        document.put("selectors", selectors);
        document.put("disabled", disabled);
        document.put("parent_map", manifest.parentMap());
        document.put("child_map", manifest.childMap());
        document.put("group_map", Map.of());
        document.put("saved_queries", Map.of());
        document.put("semantic_models", Map.of());
        Map<String, Object> unitTests = new LinkedHashMap<>();
        manifest.unitTests().values().forEach(test -> unitTests.put(test.uniqueId(), unitTest(test)));
        document.put("unit_tests", unitTests);
        return document;
    }

    private Map<String, Object> node(Node node) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("database", node.database());
        json.put("schema", node.schema());
        json.put("name", node.name());
        json.put("resource_type", node.type().dbtName());
        json.put("package_name", node.packageName());
        json.put("path", node.path());
        json.put("original_file_path", node.originalFilePath());
        json.put("unique_id", node.uniqueId());
        json.put("fqn", node.fqn());
        json.put("alias", node.alias());
        json.put("checksum", Map.of("name", "sha256", "checksum", node.checksum() == null ? "" : node.checksum()));
        json.put("config", config(node));
        json.put("tags", node.tags());
        json.put("description", node.description());
        json.put("columns", columns(node.columns()));
        json.put("meta", node.config().meta());
        json.put("group", null);
        json.put("docs", Map.of("show", true));
        json.put("patch_path", node.patchPath());
        json.put("build_path", null);
        json.put("unrendered_config", Map.of());
        json.put("created_at", createdAt);
        json.put("config_call_dict", Map.of());
        json.put("relation_name", relationName(node));
        json.put("raw_code", node.rawCode());
        if (node.type() == ResourceType.SEED) {
            json.put("root_path", node.file().getParent().toString());
            json.put("depends_on", Map.of("macros", List.copyOf(node.dependsOnMacros())));
            return json;
        }
        json.put("language", "sql");
        List<Map<String, Object>> refs = new ArrayList<>();
        for (Node.Ref ref : node.refs()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", ref.name());
            entry.put("package", ref.packageName());
            entry.put("version", null);
            refs.add(entry);
        }
        json.put("refs", refs);
        json.put("sources", node.sources());
        json.put("metrics", List.of());
        json.put("depends_on", Map.of("macros", List.copyOf(node.dependsOnMacros()),
                "nodes", List.copyOf(node.dependsOnNodes())));
        boolean compiled = node.compiledCode() != null;
        json.put("compiled_path", compiled ? "target/compiled/" + node.packageName() + "/" + node.originalFilePath() : null);
        json.put("compiled", compiled);
        json.put("compiled_code", node.compiledCode());
        json.put("extra_ctes_injected", compiled);
        json.put("extra_ctes", List.of());
        Map<String, Object> contract = new LinkedHashMap<>();
        contract.put("enforced", false);
        contract.put("alias_types", true);
        contract.put("checksum", null);
        json.put("contract", contract);
        switch (node.type()) {
            case MODEL -> {
                json.put("access", "protected");
                json.put("constraints", List.of());
                json.put("version", null);
                json.put("latest_version", null);
                json.put("deprecation_date", null);
            }
            case TEST -> {
                if (node.testMetadata() != null) {
                    json.put("column_name", node.columnName());
                    json.put("file_key_name", node.attachedNode() == null ? null
                            : "models." + node.attachedNode().substring(node.attachedNode().lastIndexOf('.') + 1));
                    json.put("attached_node", node.attachedNode());
                    json.put("test_metadata", node.testMetadata());
                }
            }
            default -> {
                // Analyses and singular tests carry only the common keys.
            }
        }
        return json;
    }

    /** The node's config as dbt writes it: hooks as {sql, transaction, index}; the usual keys always there. */
    private static Map<String, Object> config(Node node) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("enabled", true);
        config.put("alias", null);
        config.put("schema", null);
        config.put("database", null);
        config.put("tags", node.tags());
        config.put("meta", node.config().meta());
        config.put("materialized", node.materialized());
        config.put("persist_docs", Map.of());
        config.put("quoting", Map.of());
        config.put("column_types", Map.of());
        config.put("full_refresh", null);
        config.put("on_schema_change", "ignore");
        config.put("on_configuration_change", "apply");
        config.put("grants", Map.of());
        config.put("packages", List.of());
        config.put("docs", Map.of("show", true));
        for (Map.Entry<String, Object> entry : node.config().asMap().entrySet()) {
            String key = entry.getKey();
            if (key.equals("pre-hook") || key.equals("post-hook") || key.equals("tags") || key.equals("meta")) {
                continue;
            }
            config.put(key, entry.getValue());
        }
        config.put("pre-hook", hooks(node.config().preHooks()));
        config.put("post-hook", hooks(node.config().postHooks()));
        return config;
    }

    private static List<Map<String, Object>> hooks(List<String> sql) {
        List<Map<String, Object>> hooks = new ArrayList<>();
        for (String statement : sql) {
            Map<String, Object> hook = new LinkedHashMap<>();
            hook.put("sql", statement);
            hook.put("transaction", true);
            hook.put("index", null);
            hooks.add(hook);
        }
        return hooks;
    }

    private static Map<String, Object> columns(Map<String, ColumnInfo> columns) {
        Map<String, Object> json = new LinkedHashMap<>();
        for (ColumnInfo column : columns.values()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", column.name());
            entry.put("description", column.description());
            entry.put("meta", column.meta());
            entry.put("data_type", column.dataType());
            entry.put("constraints", List.of());
            entry.put("quote", null);
            entry.put("tags", column.tags());
            json.put(column.name(), entry);
        }
        return json;
    }

    private static String relationName(Node node) {
        if (node.alias() == null || node.isEphemeral() || node.type() == ResourceType.ANALYSIS
                || node.type() == ResourceType.TEST) {
            return null;
        }
        return new Relation(node.database(), node.schema(), node.alias(), "table").toString();
    }

    private Map<String, Object> source(SourceDefinition source) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("database", source.database());
        json.put("schema", source.schema());
        json.put("name", source.name());
        json.put("resource_type", "source");
        json.put("package_name", source.packageName());
        json.put("path", source.originalFilePath());
        json.put("original_file_path", source.originalFilePath());
        json.put("unique_id", source.uniqueId());
        json.put("fqn", source.fqn());
        json.put("source_name", source.sourceName());
        json.put("source_description", source.sourceDescription());
        json.put("loader", "");
        json.put("identifier", source.identifier());
        json.put("quoting", Map.of());
        json.put("loaded_at_field", source.loadedAtField());
        json.put("freshness", source.freshness().isEmpty() ? null : source.freshness());
        json.put("external", null);
        json.put("description", source.description());
        json.put("columns", columns(source.columns()));
        json.put("meta", source.meta());
        json.put("source_meta", Map.of());
        json.put("tags", source.tags());
        Map<String, Object> config = new LinkedHashMap<>(source.config());
        config.putIfAbsent("enabled", true);
        json.put("config", config);
        json.put("patch_path", null);
        json.put("unrendered_config", Map.of());
        json.put("relation_name", new Relation(source.database(), source.schema(), source.identifier(), "table").toString());
        json.put("created_at", createdAt);
        return json;
    }

    /** A unit test as dbt's manifest (v12) describes it. */
    private Map<String, Object> unitTest(Node test) {
        Map<String, Object> definition = test.unitTest();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", definition.get("model"));
        json.put("given", Yaml.list(definition.get("given")));
        json.put("expect", Yaml.map(definition.get("expect")));
        json.put("name", test.name());
        json.put("resource_type", "unit_test");
        json.put("package_name", test.packageName());
        json.put("path", test.path());
        json.put("original_file_path", test.originalFilePath());
        json.put("unique_id", test.uniqueId());
        json.put("fqn", test.fqn());
        json.put("description", test.description());
        json.put("overrides", definition.get("overrides"));
        json.put("depends_on", Map.of("macros", List.of(), "nodes", List.copyOf(test.dependsOnNodes())));
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("tags", test.tags());
        config.put("meta", test.config().meta());
        config.put("enabled", true);
        json.put("config", config);
        json.put("checksum", test.checksum());
        json.put("schema", null);
        json.put("created_at", createdAt);
        return json;
    }

    private static Map<String, Object> macro(MacroDefinition macro) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", macro.name());
        json.put("resource_type", "macro");
        json.put("package_name", macro.packageName());
        json.put("path", macro.originalFilePath());
        json.put("original_file_path", macro.originalFilePath());
        json.put("unique_id", macro.uniqueId());
        json.put("macro_sql", macro.sql());
        json.put("depends_on", Map.of("macros", List.of()));
        json.put("description", macro.description() == null ? "" : macro.description());
        json.put("meta", Map.of());
        json.put("docs", Map.of("show", true));
        json.put("patch_path", null);
        json.put("arguments", List.of());
        json.put("supported_languages", null);
        return json;
    }

    private static Map<String, Object> doc(DocBlock doc) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", doc.name());
        json.put("resource_type", "doc");
        json.put("package_name", doc.packageName());
        json.put("path", doc.originalFilePath());
        json.put("original_file_path", doc.originalFilePath());
        json.put("unique_id", doc.uniqueId());
        json.put("block_contents", doc.contents());
        return json;
    }

    // ------------------------------------------------------------------ run_results.json

    /**
     * @param args the command's arguments as dbt records them ({which, select, threads...})
     */
    public Map<String, Object> runResults(List<NodeResult> results, double elapsedSeconds, Map<String, Object> args) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("dbt_schema_version", RUN_RESULTS_SCHEMA);
        metadata.put("dbt_version", DBT_VERSION);
        metadata.put("generated_at", timestamp(Instant.now()));
        metadata.put("invocation_id", invocationId);
        metadata.put("env", Map.of());
        List<Map<String, Object>> entries = new ArrayList<>();
        for (NodeResult result : results) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("status", result.status().dbtName());
            List<Map<String, Object>> timing = new ArrayList<>();
            if (result.compileStarted() != null) {
                timing.add(timing("compile", result.compileStarted(), result.compileEnded()));
            }
            if (result.executeStarted() != null) {
                timing.add(timing("execute", result.executeStarted(), result.executeEnded()));
            }
            entry.put("timing", timing);
            entry.put("thread_id", result.threadName());
            entry.put("execution_time", result.executionSeconds());
            entry.put("adapter_response", result.adapterResponse());
            entry.put("message", result.message());
            entry.put("failures", result.failures());
            entry.put("unique_id", result.node().uniqueId());
            entry.put("compiled", result.node().compiledCode() != null);
            entry.put("compiled_code", result.node().compiledCode());
            entry.put("relation_name", relationName(result.node()));
            entries.add(entry);
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("metadata", metadata);
        document.put("results", entries);
        document.put("elapsed_time", elapsedSeconds);
        document.put("args", args);
        return document;
    }

    private static Map<String, Object> timing(String name, Instant started, Instant completed) {
        Map<String, Object> timing = new LinkedHashMap<>();
        timing.put("name", name);
        timing.put("started_at", timestamp(started));
        timing.put("completed_at", timestamp(completed == null ? started : completed));
        return timing;
    }

    // ------------------------------------------------------------------ files

    /** Writes a document to {@code file} through a temporary file, so a reader never sees half of it. */
    public static void write(Path file, Map<String, Object> document) {
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writeValue(temporary.toFile(), document);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw DbtException.runtime("Cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String md5(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
