package fr.zlv.entrepot.cli;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.settings.LoadedSettings;
import fr.zlv.entrepot.dbt.DbtEngine;
import fr.zlv.entrepot.dbt.project.Profile;
import fr.zlv.entrepot.orchestrator.privacy.Finding;
import fr.zlv.entrepot.orchestrator.privacy.PrivacyCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code entrepot privacy check}: the marts (or a copy of them, such as the BI file) against the dbt project's
 * personal-data classification and against what their values look like.
 */
@Command(name = "privacy", mixinStandardHelpOptions = true,
        description = "Personal data (GDPR): check that the marts carry none.",
        subcommands = {PrivacyCommand.Check.class})
final class PrivacyCommand implements Runnable {

    @ParentCommand
    EntrepotCommand root;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Check every column of the marts: fails (exit 1), naming schema.table.column and why, when a",
                    "column is classified pii: direct (in its mart or, under the same name, upstream), is unclassified,",
                    "is pii: indirect in a public mart (meta: {public: true}), or when its values look like e-mail",
                    "addresses, French phone numbers or people's names (20% of a sample of up to 10,000 values);",
                    "pseudonyms (64 hexadecimal digits) pass."})
    static final class Check implements Runnable {

        @ParentCommand
        PrivacyCommand parent;

        @Option(names = "--schema", paramLabel = "NAME", defaultValue = PrivacyCheck.DEFAULT_SCHEMA,
                description = "The schema to check (default: ${DEFAULT-VALUE}).")
        String schema;

        @Option(names = "--path", paramLabel = "FILE",
                description = "Another DuckDB file to check (e.g. the BI file): its tables are matched to the"
                        + " project's models by name. Default: the warehouse of the settings (the dbt profile's path"
                        + " with --project-dir).")
        Path path;

        @Option(names = "--project-dir", paramLabel = "DIR",
                description = "The dbt project with the classification (default: DBT_PROJECT_DIR, else"
                        + " transform.project_dir of the settings).")
        Path projectDir;

        @Option(names = "--profiles-dir", paramLabel = "DIR",
                description = "Where profiles.yml is (default: DBT_PROFILES_DIR, the project, ~/.dbt).")
        Path profilesDir;

        @Option(names = {"-t", "--target"}, paramLabel = "NAME", description = "The profile's target.")
        String target;

        @Option(names = "--json", description = "Print the findings as JSON.")
        boolean json;

        @Override
        public void run() {
            Map<String, String> environment = new HashMap<>(System.getenv());
            LoadedSettings settings = Files.isRegularFile(parent.root.config) ? parent.root.settings() : null;
            Path project = projectDir;
            if (project == null && environment.get("DBT_PROJECT_DIR") != null) {
                project = Path.of(environment.get("DBT_PROJECT_DIR"));
            }
            String profileTarget = target;
            if (settings != null) {
                // As `entrepot dbt`: the warehouse project's profile reads the settings' warehouse file.
                environment.putAll(settings.settings().warehouse().profileEnvironment());
                if (project == null) {
                    project = Path.of(settings.settings().transform().projectDir());
                    profileTarget = profileTarget == null
                            ? settings.settings().warehouse().dbtTarget(settings.settings().transform().target())
                            : profileTarget;
                }
            }
            if (project == null) {
                project = Path.of(".");
            }
            if (!Files.isRegularFile(project.resolve("dbt_project.yml"))) {
                throw EntrepotException.badInput("There is no dbt project (dbt_project.yml) in " + project.toAbsolutePath()
                        + ": the privacy check reads the columns' classification there.",
                        "Name the project with --project-dir, or set transform.project_dir in the settings.");
            }
            PrivacyCheck check;
            String projectName;
            Path file = path;
            try (DbtEngine dbt = DbtEngine.load(new DbtEngine.Options(project, profilesDir, profileTarget, Map.of(),
                    null, false, false, environment, text -> { }, null, false))) {
                check = PrivacyCheck.of(dbt.project().manifest());
                projectName = dbt.project().manifest().projectName();
                if (file == null) {
                    file = profilePath(dbt.project().profile(), dbt.project().root().root());
                }
            }
            file = file.toAbsolutePath().normalize();
            if (!Files.isRegularFile(file)) {
                throw EntrepotException.badInput("There is no warehouse at " + file + " to check.",
                        "Build the marts first (`entrepot dbt build`, or `entrepot demo`), or name the file with --path.");
            }
            PrivacyCheck.Report report;
            try (Connection connection = openReadOnly(file)) {
                report = check.check(connection, schema);
            } catch (SQLException e) {
                throw EntrepotException.failed("Could not read " + file + ": " + e.getMessage(),
                        "Another process may be writing the file; try again when it is done.", e);
            }
            print(report, file, projectName);
            if (!report.passed()) {
                Set<String> columns = new LinkedHashSet<>();
                report.findings().forEach(finding -> columns.add(finding.qualifiedColumn()));
                List<String> named = new ArrayList<>(columns).subList(0, Math.min(columns.size(), 5));
                throw EntrepotException.failed("The privacy check failed: " + report.findings().size() + " problem(s)"
                        + " in " + columns.size() + " column(s) of schema " + report.schema() + ": "
                        + String.join(", ", named) + (columns.size() > named.size() ? ", ..." : "") + ".",
                        "Classify every mart column (meta: {pii: direct|indirect|none}), drop or pseudonymise direct"
                                + " personal data upstream, keep indirect data out of public marts; README, \"Personal data\".",
                        null);
            }
        }

        private void print(PrivacyCheck.Report report, Path file, String projectName) {
            if (json) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("warehouse", file.toString());
                out.put("schema", report.schema());
                out.put("project", projectName);
                out.put("tables", report.tables());
                out.put("columns", report.columns());
                out.put("passed", report.passed());
                List<Map<String, Object>> findings = new ArrayList<>();
                for (Finding finding : report.findings()) {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("table", finding.table());
                    entry.put("column", finding.column());
                    entry.put("rule", finding.rule().code());
                    entry.put("detail", finding.detail());
                    entry.put("hint", finding.rule().hint());
                    findings.add(entry);
                }
                out.put("findings", findings);
                Output.json(System.out, out);
                return;
            }
            System.out.println("Privacy check of schema " + report.schema() + " in " + file + " (dbt project "
                    + projectName + "): " + report.tables() + " table(s), " + report.columns() + " column(s).");
            if (report.passed()) {
                System.out.println("  passed: every column is classified, none is direct personal data, no public"
                        + " mart has an indirect one, no values look like e-mails, phones or names.");
                return;
            }
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("column", "rule", "why"));
            Set<Finding.Rule> rules = new LinkedHashSet<>();
            for (Finding finding : report.findings()) {
                rows.add(List.of(finding.qualifiedColumn(), finding.rule().code(), finding.detail()));
                rules.add(finding.rule());
            }
            Output.table(System.out, rows, false);
            for (Finding.Rule rule : rules) {
                System.out.println("  " + rule.code() + ": " + rule.hint());
            }
        }

        /** The DuckDB file of the project's profile (relative paths from the project). */
        private static Path profilePath(Profile profile, Path projectRoot) {
            Object location = profile.targetContext().get("path");
            if (!"duckdb".equals(profile.type()) || location == null || location.toString().isBlank()
                    || location.toString().equals(":memory:")) {
                throw EntrepotException.badInput("The target '" + profile.targetName() + "' of " + profile.file()
                        + " is no DuckDB file to check.", "Name the DuckDB file to check with --path.");
            }
            return projectRoot.resolve(location.toString());
        }

        private static Connection openReadOnly(Path file) throws SQLException {
            Properties properties = new Properties();
            properties.setProperty("duckdb.read_only", "true");
            return DriverManager.getConnection("jdbc:duckdb:" + file, properties);
        }
    }
}
