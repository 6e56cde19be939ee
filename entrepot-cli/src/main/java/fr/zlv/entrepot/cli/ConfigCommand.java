package fr.zlv.entrepot.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import fr.zlv.entrepot.core.settings.LoadedSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Show or check the settings (entrepot.yml and the environment).",
        subcommands = {ConfigCommand.Show.class, ConfigCommand.Check.class})
final class ConfigCommand implements Runnable {

    @ParentCommand
    EntrepotCommand root;

    @Override
    public void run() {
        new Show(this).run();
    }

    private static final ObjectMapper SNAKE = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    /** Every key with its value (secrets masked) and, when it came from the environment, the variable. */
    static Map<String, Object> flatten(LoadedSettings loaded) {
        Map<String, Object> keys = new LinkedHashMap<>();
        flatten("", SNAKE.valueToTree(loaded.settings()), keys);
        return keys;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, Object> keys) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                flatten(prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), field.getValue(), keys);
            }
        } else if (prefix.equals("production.tables")) {
            // One line per table: "housing ← fast_housing (without geom)".
            for (int i = 0; i < node.size(); i++) {
                JsonNode table = node.get(i);
                String name = table.get("name").asText();
                String source = table.get("source").asText();
                StringBuilder line = new StringBuilder(name);
                if (!source.equals(name)) {
                    line.append(" ← ").append(source);
                }
                if (table.get("exclude_columns").size() > 0) {
                    List<String> excluded = new ArrayList<>();
                    table.get("exclude_columns").forEach(column -> excluded.add(column.asText()));
                    line.append(" (without ").append(String.join(", ", excluded)).append(")");
                }
                keys.put(prefix + "[" + i + "]", line.toString());
            }
        } else {
            keys.put(prefix, node.isNull() ? null : node.isValueNode() ? node.asText() : node.toString());
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print the settings in effect, passwords masked, with the environment variable behind each value.")
    static final class Show implements Runnable {

        @ParentCommand
        ConfigCommand parent;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        Show() {
        }

        Show(ConfigCommand parent) {
            this.parent = parent;
        }

        @Override
        public void run() {
            LoadedSettings loaded = parent.root.settings();
            Map<String, Object> keys = flatten(loaded);
            if (json) {
                Map<String, Object> document = new LinkedHashMap<>();
                document.put("file", loaded.file().toString());
                document.put("settings", SNAKE.valueToTree(loaded.settings()));
                document.put("from_environment", loaded.origins());
                Output.json(System.out, document);
                return;
            }
            System.out.println("Settings from " + loaded.file());
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("key", "value", "from"));
            keys.forEach((key, value) -> rows.add(List.of(key, value == null ? "(empty)" : String.valueOf(value),
                    loaded.origins().getOrDefault(key.replaceAll("\\[\\d+]", ""), ""))));
            Output.table(System.out, rows, false);
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Check the settings: exit 0 when they load, 2 with the problem otherwise.")
    static final class Check implements Runnable {

        @ParentCommand
        ConfigCommand parent;

        @Override
        public void run() {
            LoadedSettings loaded = parent.root.settings();
            System.out.println("Settings in " + loaded.file() + " are valid.");
        }
    }
}
