package fr.zlv.entrepot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import fr.zlv.entrepot.core.settings.LoadedSettings;
import fr.zlv.entrepot.core.settings.SettingsLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The README's configuration reference and commands stay in step with the code. */
class ReadmeTest {

    private static final Path README = Path.of("..", "README.md");

    @Test
    void everySettingsKeyIsDocumented() throws IOException {
        String readme = Files.readString(README);
        LoadedSettings shipped = new SettingsLoader(Map.of()).load(Path.of("..", "warehouse", "entrepot.yml"));
        Set<String> keys = new TreeSet<>();
        for (String key : ConfigCommand.flatten(shipped).keySet()) {
            keys.add(key.replaceAll("\\[\\d+].*", ""));
        }
        for (String key : keys) {
            assertThat(readme).as("README documents " + key).contains("`" + key + "`");
        }
        shipped.origins().values().forEach(variable ->
                assertThat(readme).as("README names " + variable).contains(variable.replace(" (unset, default)", "")));
    }

    @Test
    void theTestCommandIsTheOneCiRuns() throws IOException {
        String readme = Files.readString(README);
        String ci = Files.readString(Path.of("..", ".ci", "run"));

        assertThat(readme).contains("./mvnw verify");
        assertThat(ci).contains("./mvnw verify");
        assertThat(readme).contains("./mvnw -q -DskipTests package && bin/entrepot demo");
    }
}
