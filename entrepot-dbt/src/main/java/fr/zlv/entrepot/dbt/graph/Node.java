package fr.zlv.entrepot.dbt.graph;

import fr.zlv.entrepot.dbt.project.NodeConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model, seed, snapshot, test or analysis: what parsing found (file, SQL, config, refs) and what compiling
 * adds (the relation it builds, the compiled SQL). Built by the parser, completed by the compiler.
 */
public final class Node {

    /** A {@code ref()} call: the node's name and, for two-argument refs, its package. */
    public record Ref(String packageName, String name) {
    }

    private final ResourceType type;
    private final String packageName;
    private final String name;
    private final Path file;
    private final String originalFilePath;
    private final String path;
    private final List<String> fqn;
    private final String rawCode;
    private final String uniqueId;
    private NodeConfig config;
    private String description = "";
    private Map<String, ColumnInfo> columns = new LinkedHashMap<>();
    private String patchPath;
    private final List<Ref> refs = new ArrayList<>();
    private final List<List<String>> sources = new ArrayList<>();
    private final Set<String> dependsOnNodes = new LinkedHashSet<>();
    private final Set<String> dependsOnMacros = new LinkedHashSet<>();
    private String database;
    private String schema;
    private String alias;
    private String compiledCode;
    private String checksum;
    private Map<String, Object> testMetadata;
    private String attachedNode;
    private String columnName;
    private Map<String, Object> unitTest;

    public Node(ResourceType type, String packageName, String name, Path file, String originalFilePath, String path,
                List<String> fqn, String rawCode, NodeConfig config) {
        this(type, packageName, name, file, originalFilePath, path, fqn, rawCode, config,
                type.dbtName() + "." + packageName + "." + name);
    }

    /**
     * A node whose unique id is not type.package.name: generic tests, whose names can repeat, carry a hash of
     * their definition ({@code test.shop.not_null_orders_id.5e1a0c3b8f}).
     */
    public Node(ResourceType type, String packageName, String name, Path file, String originalFilePath, String path,
                List<String> fqn, String rawCode, NodeConfig config, String uniqueId) {
        this.type = type;
        this.packageName = packageName;
        this.name = name;
        this.file = file;
        this.originalFilePath = originalFilePath;
        this.path = path;
        this.fqn = List.copyOf(fqn);
        this.rawCode = rawCode;
        this.config = config;
        this.uniqueId = uniqueId;
    }

    public String uniqueId() {
        return uniqueId;
    }

    public ResourceType type() {
        return type;
    }

    public String packageName() {
        return packageName;
    }

    public String name() {
        return name;
    }

    /** The file, absolute. */
    public Path file() {
        return file;
    }

    /** The file relative to its project's root: models/staging/stg_orders.sql. */
    public String originalFilePath() {
        return originalFilePath;
    }

    /** The file relative to its resource directory: staging/stg_orders.sql. */
    public String path() {
        return path;
    }

    public List<String> fqn() {
        return fqn;
    }

    public String rawCode() {
        return rawCode;
    }

    public NodeConfig config() {
        return config;
    }

    public void config(NodeConfig newConfig) {
        this.config = newConfig;
    }

    public String description() {
        return description;
    }

    public void description(String newDescription) {
        this.description = newDescription == null ? "" : newDescription;
    }

    public Map<String, ColumnInfo> columns() {
        return columns;
    }

    public void columns(Map<String, ColumnInfo> newColumns) {
        this.columns = new LinkedHashMap<>(newColumns);
    }

    public String patchPath() {
        return patchPath;
    }

    public void patchPath(String newPatchPath) {
        this.patchPath = newPatchPath;
    }

    public List<Ref> refs() {
        return refs;
    }

    public List<List<String>> sources() {
        return sources;
    }

    public Set<String> dependsOnNodes() {
        return dependsOnNodes;
    }

    public Set<String> dependsOnMacros() {
        return dependsOnMacros;
    }

    public String database() {
        return database;
    }

    public String schema() {
        return schema;
    }

    public String alias() {
        return alias;
    }

    public void relation(String newDatabase, String newSchema, String newAlias) {
        this.database = newDatabase;
        this.schema = newSchema;
        this.alias = newAlias;
    }

    public String compiledCode() {
        return compiledCode;
    }

    public void compiledCode(String code) {
        this.compiledCode = code;
    }

    public String checksum() {
        return checksum;
    }

    public void checksum(String newChecksum) {
        this.checksum = newChecksum;
    }

    public String materialized() {
        return switch (type) {
            case SEED -> "seed";
            case TEST -> "test";
            case UNIT_TEST -> "unit_test";
            case SNAPSHOT -> "snapshot";
            default -> config.materialized();
        };
    }

    public boolean isEphemeral() {
        return type == ResourceType.MODEL && "ephemeral".equals(config.materialized());
    }

    /** For tests: {name, kwargs, namespace}. */
    public Map<String, Object> testMetadata() {
        return testMetadata;
    }

    public void testMetadata(Map<String, Object> metadata) {
        this.testMetadata = metadata;
    }

    /** For a test on a model: the model's unique id. */
    public String attachedNode() {
        return attachedNode;
    }

    public void attachedNode(String uniqueId) {
        this.attachedNode = uniqueId;
    }

    public String columnName() {
        return columnName;
    }

    public void columnName(String column) {
        this.columnName = column;
    }

    /** For a unit test: its definition ({model, given, expect, overrides, description}). */
    public Map<String, Object> unitTest() {
        return unitTest;
    }

    public void unitTest(Map<String, Object> definition) {
        this.unitTest = definition;
    }

    public List<String> tags() {
        return config.tags();
    }

    @Override
    public String toString() {
        return uniqueId();
    }
}
