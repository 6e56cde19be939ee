package fr.zlv.entrepot.orchestrator.run;

import fr.zlv.entrepot.orchestrator.asset.AssetKey;
import java.util.List;

/**
 * A unit of work: the assets it materializes together (one table, or all the tables of the production sync, or
 * the dbt nodes of a build), how it is retried, and whether it writes to the warehouse file (such steps run one
 * at a time: the file has one writer).
 */
public record StepSpec(String name, List<AssetKey> assets, RetryPolicy retry, boolean writesWarehouse,
                       StepAction action) {

    public StepSpec {
        assets = List.copyOf(assets);
        if (assets.isEmpty()) {
            throw new IllegalArgumentException("step " + name + " materializes no asset");
        }
    }

    /** A step building one asset, named after it. */
    public static StepSpec single(AssetKey key, RetryPolicy retry, boolean writesWarehouse, StepAction action) {
        return new StepSpec(key.path(), List.of(key), retry, writesWarehouse, action);
    }
}
