package fr.zlv.entrepot.orchestrator.store;

import java.util.List;

/** What differs between the two databases a run store can live in. */
enum StoreDialect {

    /** A file; one writer at a time (the process serializes its own writes, busy_timeout waits for others'). */
    SQLITE("sqlite", "SQLite", true),
    /** A server shared by several processes; concurrent writes are the server's business. */
    POSTGRESQL("postgresql", "PostgreSQL", false);

    private final String folder;
    private final String displayName;
    private final boolean serializesWrites;

    StoreDialect(String folder, String displayName, boolean serializesWrites) {
        this.folder = folder;
        this.displayName = displayName;
        this.serializesWrites = serializesWrites;
    }

    /** The migrations shipped with this version of Entrepôt, oldest first. */
    List<Migration> migrations() {
        return Migration.load("fr/zlv/entrepot/orchestrator/store/migrations/" + folder + "/");
    }

    String displayName() {
        return displayName;
    }

    /** True when this process must let one write transaction run at a time (SQLite has one writer). */
    boolean serializesWrites() {
        return serializesWrites;
    }
}
