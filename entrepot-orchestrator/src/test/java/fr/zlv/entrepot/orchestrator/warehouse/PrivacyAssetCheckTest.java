package fr.zlv.entrepot.orchestrator.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import fr.zlv.entrepot.core.settings.ProductionSettings;
import fr.zlv.entrepot.core.settings.WarehouseSettings;
import fr.zlv.entrepot.dbt.DbtEngine;
import fr.zlv.entrepot.orchestrator.asset.AssetKey;
import fr.zlv.entrepot.orchestrator.asset.AssetSpec;
import fr.zlv.entrepot.orchestrator.asset.CheckSpec;
import fr.zlv.entrepot.orchestrator.privacy.LittleProject;
import fr.zlv.entrepot.orchestrator.run.CheckOutcome;
import fr.zlv.entrepot.orchestrator.run.Definitions;
import fr.zlv.entrepot.orchestrator.store.RunStore;
import fr.zlv.entrepot.orchestrator.store.RunStores;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every mart of the warehouse's dbt project gets a blocking privacy check, run on that one table. */
class PrivacyAssetCheckTest {

    @TempDir
    Path project;

    private Definitions definitions;

    @BeforeEach
    void definitionsOfABuiltProject() throws IOException {
        LittleProject.build(project);
        definitions = WarehouseDefinitions.build(new WarehouseDefinitions.Inputs(
                new WarehouseSettings(project.resolve("little.duckdb").toString(), null, 1, null),
                ProductionSettings.defaults(), List.of(), null,
                DbtEngine.Options.of(project).withConsole(line -> { }),
                new JobsFile(project.resolve("jobs.yml"), List.of(), List.of(), List.of(), List.of(), 1, 1),
                Clock.systemUTC()));
    }

    private CheckOutcome privacyOf(String key) {
        AssetSpec asset = definitions.graph().spec(new AssetKey(key));
        CheckSpec privacy = asset.checks().stream().filter(check -> check.kind() == CheckSpec.Kind.PRIVACY)
                .findFirst().orElseThrow();
        try (RunStore store = RunStores.open(project.resolve("runs.sqlite").toString())) {
            return definitions.checks().evaluate(asset, privacy, store, "test");
        }
    }

    @Test
    void martsHaveABlockingPrivacyCheckAndStagingNone() {
        assertThat(definitions.graph().spec(new AssetKey("marts/marts_contacts")).checks())
                .filteredOn(check -> check.kind() == CheckSpec.Kind.PRIVACY)
                .singleElement().satisfies(check -> {
                    assertThat(check.name()).isEqualTo("privacy");
                    assertThat(check.blocking()).isTrue();
                });
        assertThat(definitions.graph().spec(new AssetKey("stg/stg_owners")).checks())
                .noneMatch(check -> check.kind() == CheckSpec.Kind.PRIVACY);
    }

    @Test
    void aMartWithEmailsFailsTheCheckNamingTheColumn() {
        CheckOutcome outcome = privacyOf("marts/marts_contacts");

        assertThat(outcome.passed()).isFalse();
        assertThat(outcome.blocking()).isTrue();
        assertThat(outcome.message()).isEqualTo("1 problem(s) in marts.marts_contacts: contact (personal-values): 2 of 2"
                + " sampled values (100%) look like personal data: 2 e-mail addresses (flagged from 20%)");
    }

    @Test
    void aPublicMartWithAnIndirectColumnFailsAndACleanOnePasses() {
        assertThat(privacyOf("marts/marts_public_cities").message()).isEqualTo("1 problem(s) in"
                + " marts.marts_public_cities: first_owner_id (indirect-in-public): the column is classified pii:"
                + " indirect and the mart is public (meta: {public: true})");
        assertThat(privacyOf("marts/marts_unclassified").message()).isEqualTo("2 problem(s) in"
                + " marts.marts_unclassified: unclassified (no meta pii): owners, mystery");

        CheckOutcome clean = privacyOf("marts/marts_clean");
        assertThat(clean.passed()).as(clean.message()).isTrue();
        assertThat(clean.message()).isEqualTo("no personal data found");
    }
}
