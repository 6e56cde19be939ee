package fr.zlv.entrepot.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.settings.LoadedSettings;
import fr.zlv.entrepot.semantic.Semantic;
import fr.zlv.entrepot.semantic.SemanticOptions;
import fr.zlv.entrepot.semantic.api.GraphQlRequest;
import fr.zlv.entrepot.semantic.api.GraphQlResponse;
import fr.zlv.entrepot.semantic.api.Principal;
import fr.zlv.entrepot.semantic.api.SemanticApi;
import fr.zlv.entrepot.semantic.model.Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code entrepot semantic validate|query}: check warehouse/semantic.yml and access.yml, or ask the semantic layer a
 * GraphQL question as a role would, without the server.
 */
@Command(name = "semantic", mixinStandardHelpOptions = true,
        description = "The semantic layer: cubes, measures and dimensions over the BI file (semantic.yml, access.yml).",
        subcommands = {SemanticCommand.Validate.class, SemanticCommand.Query.class})
final class SemanticCommand implements Runnable {

    @ParentCommand
    EntrepotCommand root;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The files of the semantic layer: options, else beside the settings file and from the settings. */
    static final class SemanticFiles {
        @Option(names = "--semantic", paramLabel = "FILE",
                description = "The semantic model (default: semantic.yml beside the settings file).")
        Path semantic;

        @Option(names = "--access", paramLabel = "FILE",
                description = "The access policy (default: access.yml beside the settings file).")
        Path access;

        @Option(names = "--bi", paramLabel = "FILE", description = "The BI file (default: publish.bi_path).")
        Path bi;

        @Option(names = "--project-dir", paramLabel = "DIR",
                description = "The dbt project that classifies the columns (default: transform.project_dir).")
        Path projectDir;

        record Resolved(Path semantic, Path access, Path dbt, Path publish, Path bi) {
        }

        Resolved resolve(EntrepotCommand root) {
            LoadedSettings settings = Files.isRegularFile(root.config) ? root.settings() : null;
            Path base = settings == null ? Path.of(".") : settings.baseDirectory();
            Path dbt = projectDir != null ? projectDir
                    : settings == null ? null : Path.of(settings.settings().transform().projectDir());
            Path publish = settings == null ? null : Path.of(settings.settings().publish().tables());
            Path file = bi != null ? bi : settings == null ? null : Path.of(settings.settings().publish().biPath());
            return new Resolved(semantic != null ? semantic : base.resolve("semantic.yml"),
                    access != null ? access : base.resolve("access.yml"),
                    dbt != null && Files.isRegularFile(dbt.resolve("dbt_project.yml")) ? dbt : null,
                    publish != null && Files.isRegularFile(publish) ? publish : null, file);
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = {"Check semantic.yml and access.yml: against the BI file's tables and types when it exists,",
                    "else against the dbt project's mart columns; dimensions over personal data are refused.",
                    "Exit 2 naming file, line and key of every problem."})
    static final class Validate implements Runnable {

        @ParentCommand
        SemanticCommand parent;

        @picocli.CommandLine.Mixin
        SemanticFiles files;

        @Option(names = "--json", description = "Print the cubes as JSON.")
        boolean json;

        @Override
        public void run() {
            SemanticFiles.Resolved resolved = files.resolve(parent.root);
            Semantic.Validation validation = Semantic.validate(resolved.semantic(), resolved.access(), resolved.dbt(),
                    resolved.publish(), resolved.bi());
            Model model = validation.model();
            List<Map<String, Object>> cubes = new ArrayList<>();
            for (Model.Cube cube : model.cubes().values()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("cube", cube.name());
                row.put("table", cube.table());
                row.put("measures", cube.measures().size());
                row.put("dimensions", cube.dimensions().size());
                row.put("segments", cube.segments().size());
                row.put("geography", cube.national() ? "national"
                        : String.join(", ", cube.geography().keySet().stream().map(Model.GeoLevel::label).toList()));
                cubes.add(row);
            }
            if (json) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("semantic", resolved.semantic().toAbsolutePath().toString());
                out.put("access", resolved.access().toAbsolutePath().toString());
                out.put("checked_against", validation.checkedAgainst());
                out.put("cubes", cubes);
                out.put("roles", List.copyOf(validation.policy().roles().keySet()));
                Output.json(System.out, out);
                return;
            }
            System.out.println("Semantic model " + resolved.semantic() + " and access policy " + resolved.access()
                    + " are valid: " + model.cubes().size() + " cubes, " + validation.measures() + " measures, "
                    + validation.dimensions() + " dimensions, " + validation.policy().roles().size() + " roles ("
                    + String.join(", ", validation.policy().roles().keySet()) + ").");
            System.out.println("Checked against " + validation.checkedAgainst()
                    + (resolved.dbt() == null ? "; no dbt project: personal-data classification not checked." : "."));
            List<List<String>> table = new ArrayList<>();
            table.add(List.of("cube", "table", "measures", "dimensions", "segments", "geography"));
            for (Map<String, Object> cube : cubes) {
                table.add(cube.values().stream().map(String::valueOf).toList());
            }
            Output.table(System.out, table);
        }
    }

    @Command(name = "query", mixinStandardHelpOptions = true,
            description = {"Ask a GraphQL question of the BI file as a role would (no server), and print the answer.",
                    "Exit 0 when answered, 2 when refused as invalid (400) or forbidden (403), 1 on a failure."})
    static final class Query implements java.util.concurrent.Callable<Integer> {

        @ParentCommand
        SemanticCommand parent;

        @picocli.CommandLine.Mixin
        SemanticFiles files;

        @Parameters(paramLabel = "QUERY", description = "The GraphQL document, or @FILE to read it from a file.")
        String query;

        @Option(names = "--role", paramLabel = "ROLE", defaultValue = "analyst",
                description = "The role of access.yml to ask as (default: ${DEFAULT-VALUE}).")
        String role;

        @Option(names = "--territory", paramLabel = "LEVEL=CODE", split = ",",
                description = "A territory of the principal (region, departement, epci, commune), e.g."
                        + " departement=75; for territorial roles.")
        List<String> territories = List.of();

        @Option(names = "--variables", paramLabel = "JSON", description = "The query's variables, as a JSON object.")
        String variables;

        @Option(names = "--operation", paramLabel = "NAME", description = "The operation to run.")
        String operation;

        @Override
        public Integer call() {
            SemanticFiles.Resolved resolved = files.resolve(parent.root);
            if (resolved.bi() == null) {
                throw EntrepotException.badInput("No BI file to query.", "Give --bi FILE, or set publish.bi_path.");
            }
            String document = query;
            if (document.startsWith("@")) {
                try {
                    document = Files.readString(Path.of(document.substring(1)));
                } catch (IOException e) {
                    throw EntrepotException.badInput("Cannot read the query file " + document.substring(1) + ": "
                            + e.getMessage(), null);
                }
            }
            Map<String, Object> values = Map.of();
            if (variables != null) {
                try {
                    values = Output.JSON.readValue(variables, new TypeReference<Map<String, Object>>() { });
                } catch (IOException e) {
                    throw EntrepotException.badInput("--variables is not a JSON object: " + e.getMessage(), null);
                }
            }
            Map<String, List<String>> claims = new LinkedHashMap<>();
            for (String territory : territories) {
                int equals = territory.indexOf('=');
                if (equals <= 0) {
                    throw EntrepotException.badInput("--territory " + territory + " is not LEVEL=CODE.",
                            "e.g. --territory departement=75");
                }
                claims.computeIfAbsent(territory.substring(0, equals).trim(), k -> new ArrayList<>())
                        .add(territory.substring(equals + 1).trim());
            }
            try (SemanticApi api = Semantic.open(resolved.semantic(), resolved.access(), resolved.dbt(),
                    resolved.publish(), resolved.bi(), SemanticOptions.defaults())) {
                GraphQlResponse response = api.execute(new GraphQlRequest(document, operation, values),
                        new Principal("cli", role, claims));
                Output.json(System.out, response.body());
                return switch (response.httpStatus()) {
                    case 200 -> response.outcome().equals("ok") ? 0 : EntrepotException.BAD_INPUT;
                    case 400, 403 -> EntrepotException.BAD_INPUT;
                    default -> EntrepotException.FAILED;
                };
            }
        }
    }
}
