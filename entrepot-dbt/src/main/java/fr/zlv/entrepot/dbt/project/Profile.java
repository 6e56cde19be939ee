package fr.zlv.entrepot.dbt.project;

import fr.zlv.entrepot.dbt.DbtException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The connection a project runs with: one target of {@code profiles.yml}, found in {@code --profiles-dir},
 * else {@code DBT_PROFILES_DIR}, else the project's directory, else {@code ~/.dbt}. {@code env_var()} in the
 * file is rendered before it is read.
 *
 * @param type     the adapter: duckdb or postgres
 * @param settings every key of the target (path, schema, threads, extensions, settings, attach, host...)
 */
public record Profile(Path file, String profileName, String targetName, String type, String schema, String database,
                     int threads, Map<String, Object> settings) {

    public static final String FILE = "profiles.yml";

    /**
     * @param render renders {@code env_var()} and other Jinja in the file's text
     */
    public static Profile load(DbtProject project, Path profilesDir, String target, Map<String, String> environment,
                               Function<String, String> render) {
        Path file = locate(project, profilesDir, environment);
        String text;
        try {
            text = render.apply(Files.readString(file));
        } catch (java.io.IOException e) {
            throw DbtException.project("Cannot read " + file + ": " + e.getMessage(), null, e);
        }
        Map<String, Object> profiles = Yaml.parseMap(text, file.toString());
        Map<String, Object> profile = Yaml.map(profiles.get(project.profile()));
        if (profile.isEmpty()) {
            throw DbtException.project("Profile '" + project.profile() + "' (named by " + project.root().resolve(DbtProject.FILE)
                    + ") is not in " + file + ".", "Profiles there: " + String.join(", ", profiles.keySet().stream()
                    .filter(key -> !key.equals("config")).toList()) + ".");
        }
        String targetName = target != null ? target : Yaml.string(profile.get("target"), "dev");
        Map<String, Object> outputs = Yaml.map(profile.get("outputs"));
        Map<String, Object> settings = Yaml.map(outputs.get(targetName));
        if (settings.isEmpty()) {
            throw DbtException.project("Target '" + targetName + "' is not an output of profile '" + project.profile()
                    + "' in " + file + ".", "Targets: " + String.join(", ", outputs.keySet()) + ".");
        }
        String type = Yaml.string(settings.get("type"), "");
        if (!List.of("duckdb", "postgres").contains(type)) {
            throw DbtException.project("Target '" + targetName + "' of " + file + " has type '" + type
                    + "': Entrepôt runs duckdb and postgres targets.", null);
        }
        if (type.equals("postgres")) {
            checkPostgres(settings, targetName, file);
        }
        int threads = Integer.parseInt(Yaml.string(settings.get("threads"), "1"));
        String defaultSchema = type.equals("duckdb") ? "main" : "public";
        return new Profile(file, project.profile(), targetName, type, Yaml.string(settings.get("schema"), defaultSchema),
                Yaml.string(settings.get("database"), settings.containsKey("dbname") ? String.valueOf(settings.get("dbname"))
                        : null), threads, settings);
    }

    /** dbt-postgres's required keys, and numbers where numbers are expected. */
    private static void checkPostgres(Map<String, Object> settings, String targetName, Path file) {
        List<String> missing = new java.util.ArrayList<>();
        for (String key : List.of("host", "user")) {
            if (Yaml.string(settings.get(key), "").isBlank()) {
                missing.add(key);
            }
        }
        if (Yaml.string(settings.get("dbname"), Yaml.string(settings.get("database"), "")).isBlank()) {
            missing.add("dbname");
        }
        if (!missing.isEmpty()) {
            throw DbtException.project("Target '" + targetName + "' of " + file + " (type: postgres) lacks "
                    + String.join(", ", missing) + ".", "A postgres target needs host, user, dbname (or database);"
                    + " port (5432), password, schema (public), threads, sslmode, search_path, role, connect_timeout and"
                    + " keepalives_idle are optional.");
        }
        for (String key : List.of("port", "threads", "connect_timeout", "keepalives_idle")) {
            String value = Yaml.string(settings.get(key), "0");
            if (!value.strip().matches("\\d+")) {
                throw DbtException.project("Target '" + targetName + "' of " + file + ": " + key + " is '" + value
                        + "', not a whole number.", null);
            }
        }
    }

    private static Path locate(DbtProject project, Path profilesDir, Map<String, String> environment) {
        if (profilesDir != null) {
            return existing(profilesDir.resolve(FILE), "--profiles-dir");
        }
        String fromEnvironment = environment.get("DBT_PROFILES_DIR");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return existing(Path.of(fromEnvironment).resolve(FILE), "DBT_PROFILES_DIR");
        }
        Path inProject = project.root().resolve(FILE);
        if (Files.isRegularFile(inProject)) {
            return inProject;
        }
        return existing(Path.of(System.getProperty("user.home"), ".dbt", FILE), "~/.dbt");
    }

    private static Path existing(Path file, String how) {
        if (!Files.isRegularFile(file)) {
            throw DbtException.project("No " + FILE + " at " + file + " (from " + how + ").",
                    "Put one in the project's directory, ~/.dbt, DBT_PROFILES_DIR or --profiles-dir.");
        }
        return file;
    }

    /** The value for {@code target} in Jinja: the target's settings plus name, type, schema, threads. */
    public Map<String, Object> targetContext() {
        Map<String, Object> context = new java.util.LinkedHashMap<>(settings);
        context.remove("password");
        context.put("name", targetName);
        context.put("target_name", targetName);
        context.put("profile_name", profileName);
        context.put("type", type);
        context.put("schema", schema);
        context.put("threads", threads);
        if (database != null) {
            context.put("database", database);
        }
        return context;
    }
}
