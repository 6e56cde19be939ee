package fr.zlv.entrepot.publish;

import fr.zlv.entrepot.core.warehouse.Warehouse;
import java.nio.file.Path;

/** Opens a warehouse and holds it until killed: the other process of the restore tests. Argument: the file. */
public final class HeldWarehouseChild {

    private HeldWarehouseChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        try (Warehouse warehouse = BiFiles.warehouse(Path.of(args[0]))) {
            System.out.println("holding " + warehouse.location());
            System.out.flush();
            Thread.sleep(120_000);
        }
    }
}
