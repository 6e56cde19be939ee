package fr.zlv.entrepot.orchestrator.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import fr.zlv.entrepot.core.settings.PublishSettings;
import fr.zlv.entrepot.core.settings.WarehouseSettings;
import fr.zlv.entrepot.orchestrator.asset.AssetKey;
import fr.zlv.entrepot.orchestrator.asset.AssetSpec;
import fr.zlv.entrepot.orchestrator.run.StepSpec;
import fr.zlv.entrepot.publish.PublishPlan;
import fr.zlv.entrepot.publish.PublishPlan.PublishedTable;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which publication assets exist, for a DuckDB warehouse and for a PostgreSQL one. */
class PublishAssetsTest {

    private static List<String> assetKeys(String warehousePath) {
        PublishSettings settings = new PublishSettings(null, null, null, null, null, null, null, null, null, null,
                null, null);
        PublishPlan plan = new PublishPlan(Path.of("publish.yml"), "marts",
                List.of(new PublishedTable("marts_housing", "housing", true)));
        PublishAssets publish = new PublishAssets(new PublishAssets.Publication(settings, plan, null,
                Map.of("MD_TOKEN", "token")), new WarehouseSettings(warehousePath, null, null, null), null, Map.of(),
                Clock.systemUTC());
        List<AssetSpec> assets = new ArrayList<>();
        publish.addTo(assets, new ArrayList<StepSpec>(), Set.of(AssetKey.of("marts", "marts_housing")));
        return assets.stream().map(asset -> asset.key().toString()).toList();
    }

    @Test
    void aDuckdbWarehouseHasBackupExportAndMotherduckAssets() {
        assertThat(assetKeys("data/warehouse.duckdb")).containsExactly("publish/bi/housing", "publish/backup",
                "publish/export", "publish/motherduck");
    }

    @Test
    void aPostgresWarehouseHasOnlyTheTargetsThatCopyItsMarts() {
        assertThat(assetKeys("jdbc:postgresql://127.0.0.1:5432/warehouse?user=entrepot"))
                .containsExactly("publish/bi/housing");
    }
}
