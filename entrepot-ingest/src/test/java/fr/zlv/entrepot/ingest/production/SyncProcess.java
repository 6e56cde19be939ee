package fr.zlv.entrepot.ingest.production;

import fr.zlv.entrepot.core.settings.ProductionSettings;
import fr.zlv.entrepot.core.settings.ProductionTable;
import fr.zlv.entrepot.core.settings.Secret;
import fr.zlv.entrepot.core.settings.WarehouseSettings;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import java.util.List;

/**
 * A production sync in a process of its own, printing its progress: the process {@link InterruptionIT}
 * kills. Arguments: host, port, database, warehouse file.
 */
public final class SyncProcess {

    private SyncProcess() {
    }

    public static void main(String[] args) {
        ProductionSettings settings = ProductionSettings.defaults()
                .withConnection(args[0], Integer.parseInt(args[1]), args[2], "zlv_readonly", Secret.of("zlv_readonly"))
                .withParallelism(1, 2)
                .withTables(List.of(ProductionTable.of("owners"), new ProductionTable("housing", "fast_housing", null)));
        try (Warehouse warehouse = Warehouse.open(new WarehouseSettings(args[3], 1.0, 1, null))) {
            new ProductionSync(settings, warehouse).run(List.of(), new ProductionSync.Listener() {
                @Override
                public void rows(String table, long rows) {
                    System.out.println("rows " + table + " " + rows);
                    System.out.flush();
                }
            });
            System.out.println("done");
        }
    }
}
