package fr.zlv.entrepot.core.warehouse;

import fr.zlv.entrepot.core.settings.WarehouseSettings;

/**
 * Opens a warehouse and holds it until killed, or for the milliseconds of its second argument: the other process of
 * {@link WarehouseTest}'s lock tests.
 */
public final class HoldWarehouse {

    private HoldWarehouse() {
    }

    public static void main(String[] args) throws InterruptedException {
        try (Warehouse warehouse = Warehouse.open(new WarehouseSettings(args[0], null, 1, null))) {
            System.out.println("holding " + warehouse.location());
            System.out.flush();
            Thread.sleep(args.length > 1 ? Long.parseLong(args[1]) : 120_000);
        }
    }
}
