package fr.zlv.entrepot.publish;

import fr.zlv.entrepot.core.warehouse.Warehouse;
import fr.zlv.entrepot.publish.PublishPlan.PublishedTable;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The process a test kills: publishes marts_a then the big marts_big to the BI file, says when the big copy
 * starts, and never finishes (after the copy it waits forever). Arguments: the warehouse file, the BI file.
 */
public final class KilledPublicationChild {

    private KilledPublicationChild() {
    }

    public static void main(String[] args) {
        BiFilePublisher.Listener listener = new BiFilePublisher.Listener() {
            @Override
            public void copying(PublishedTable table) {
                System.out.println("copying " + table.mart());
                System.out.flush();
            }

            @Override
            public void copied(PublishedTable table, long rows) {
                if (table.mart().equals("marts_big")) {
                    System.out.println("copied marts_big, waiting to be killed");
                    System.out.flush();
                    try {
                        Thread.sleep(Long.MAX_VALUE);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        try (Warehouse warehouse = BiFiles.warehouse(Path.of(args[0]))) {
            new BiFilePublisher(Clock.systemUTC(), listener).publish(warehouse,
                    BiFiles.plan(Path.of(args[0]).getParent(), "marts_a", "marts_big"), PublicationGate.OPEN,
                    Path.of(args[1]));
        }
    }
}
