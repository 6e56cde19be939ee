package fr.zlv.entrepot.orchestrator.asset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.zlv.entrepot.core.EntrepotException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The selector language on a small warehouse: production → staging → marts → publish. */
class AssetSelectionTest {

    private final AssetGraph graph = new AssetGraph(List.of(
            AssetSpec.of("production/housing").withGroup("production"),
            AssetSpec.of("production/owners").withGroup("production"),
            AssetSpec.of("lovac/lovac_2025").withGroup("lovac").withTags(Set.of("yearly")),
            AssetSpec.of("stg/stg_housing", "production/housing").withGroup("dbt"),
            AssetSpec.of("stg/stg_owners", "production/owners").withGroup("dbt"),
            AssetSpec.of("marts/marts_housing", "stg/stg_housing", "stg/stg_owners", "lovac/lovac_2025")
                    .withGroup("dbt").withTags(Set.of("daily")),
            AssetSpec.of("publish/bi/housing", "marts/marts_housing").withGroup("publish")));

    private List<String> select(String expression) {
        return AssetSelection.select(graph, expression).stream().map(AssetKey::path).toList();
    }

    @Test
    void keysNamesPrefixesAndGlobs() {
        assertThat(select("marts/marts_housing")).containsExactly("marts/marts_housing");
        assertThat(select("stg_owners")).containsExactly("stg/stg_owners");
        assertThat(select("production")).containsExactly("production/housing", "production/owners");
        assertThat(select("production/")).containsExactly("production/housing", "production/owners");
        assertThat(select("stg/*_housing")).containsExactly("stg/stg_housing");
        assertThat(select("*")).hasSize(7);
    }

    @Test
    void graphOperatorsFollowDependencies() {
        assertThat(select("+marts_housing")).containsExactlyInAnyOrder("production/housing", "production/owners",
                "lovac/lovac_2025", "stg/stg_housing", "stg/stg_owners", "marts/marts_housing");
        assertThat(select("1+marts_housing")).containsExactlyInAnyOrder("stg/stg_housing", "stg/stg_owners",
                "lovac/lovac_2025", "marts/marts_housing");
        assertThat(select("production/housing+")).containsExactly("production/housing", "stg/stg_housing",
                "marts/marts_housing", "publish/bi/housing");
        assertThat(select("marts/+")).containsExactly("marts/marts_housing", "publish/bi/housing");
        assertThat(select("@stg_owners")).contains("production/housing", "lovac/lovac_2025", "publish/bi/housing");
    }

    @Test
    void methodsUnionsIntersectionsAndExclusions() {
        assertThat(select("group:production tag:yearly")).containsExactlyInAnyOrder("production/housing",
                "production/owners", "lovac/lovac_2025");
        assertThat(select("+marts_housing,group:dbt")).containsExactlyInAnyOrder("stg/stg_housing",
                "stg/stg_owners", "marts/marts_housing");
        assertThat(select("* - group:publish tag:yearly")).doesNotContain("publish/bi/housing", "lovac/lovac_2025")
                .hasSize(5);
        assertThat(select("key:production/owners")).containsExactly("production/owners");
        // Taking away what is not there takes nothing away.
        assertThat(select("production - tag:not_configured_here")).hasSize(2);
    }

    @Test
    void theOrderIsTheGraphs() {
        List<String> all = select("*");
        assertThat(all.indexOf("production/housing")).isLessThan(all.indexOf("stg/stg_housing"));
        assertThat(all.indexOf("stg/stg_housing")).isLessThan(all.indexOf("marts/marts_housing"));
        assertThat(all.indexOf("marts/marts_housing")).isLessThan(all.indexOf("publish/bi/housing"));
    }

    @Test
    void aTermMatchingNothingIsNamedWithTheClosestKey() {
        assertThatThrownBy(() -> select("marts/marts_housng")).isInstanceOf(EntrepotException.class)
                .hasMessage("No asset matches 'marts/marts_housng'.")
                .satisfies(e -> assertThat(((EntrepotException) e).hint()).startsWith("Did you mean marts/marts_housing?"));
        assertThatThrownBy(() -> select("grop:dbt")).hasMessageContaining("Unknown selection method 'grop:'");
    }

    @Test
    void aCycleIsNamed() {
        assertThatThrownBy(() -> new AssetGraph(List.of(AssetSpec.of("a/x", "a/z"), AssetSpec.of("a/y", "a/x"),
                AssetSpec.of("a/z", "a/y")))).isInstanceOf(EntrepotException.class)
                .hasMessageContaining("cycle").hasMessageContaining("a/x").hasMessageContaining("a/y");
    }
}
