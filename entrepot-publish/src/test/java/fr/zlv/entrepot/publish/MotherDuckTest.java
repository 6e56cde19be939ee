package fr.zlv.entrepot.publish;

import static org.assertj.core.api.Assertions.assertThat;

import fr.zlv.entrepot.core.warehouse.Warehouse;
import org.junit.jupiter.api.Test;

/** Offline, as on this machine and in CI: the extension cannot be downloaded, the copy is skipped with a reason. */
class MotherDuckTest {

    @Test
    void withoutATokenTheCopyIsSkipped() {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            PublicationReport report = MotherDuck.copy(warehouse, "entrepot", " ");

            assertThat(report.target()).isEqualTo("motherduck");
            assertThat(report.skipped()).isEqualTo("MD_TOKEN is not set: no copy to MotherDuck");
        }
    }

    @Test
    void whenTheExtensionCannotBeLoadedTheCopyIsSkippedSayingWhyWithoutTheToken() {
        try (Warehouse warehouse = Warehouse.inMemory()) {
            PublicationReport report = MotherDuck.copy(warehouse, "entrepot", "secret-token-123");

            assertThat(report.skipped()).startsWith("the motherduck extension cannot be loaded: ")
                    .endsWith("; the rest of the publication goes on")
                    .doesNotContain("secret-token-123");
            assertThat(report.tables()).isEmpty();
        }
    }
}
