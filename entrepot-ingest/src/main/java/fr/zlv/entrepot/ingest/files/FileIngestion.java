package fr.zlv.entrepot.ingest.files;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.storage.ObjectInfo;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import fr.zlv.entrepot.ingest.storage.FileCache;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Loads a selection of the catalog: every file is checked first (one HEAD each), then downloaded two at a
 * time ahead of the loads, which run one after the other (DuckDB already reads each file with every core).
 * A source that fails is reported and the others go on; nothing of a failed source is changed.
 */
public final class FileIngestion {

    /** Told of progress; methods may be called from several threads. */
    public interface Listener {
        default void planned(List<FileSource> sources, long bytesToDownload) {
        }

        default void bytes(long bytes) {
        }

        default void rows(long rows) {
        }

        default void done(Outcome outcome) {
        }

        Listener NONE = new Listener() {
        };
    }

    /** A source's result: its report, or the error that stopped it. */
    public record Outcome(FileSource source, LoadReport report, EntrepotException error) {
        public boolean failed() {
            return error != null;
        }
    }

    /** What a dry run finds for a source: the file, its size, and whether the cache already holds it. */
    public record Check(FileSource source, ObjectInfo info, boolean cached, EntrepotException error) {
    }

    private final Warehouse warehouse;
    private final FileCache cache;
    private final Path workDirectory;

    public FileIngestion(Warehouse warehouse, FileCache cache, Path workDirectory) {
        this.warehouse = warehouse;
        this.cache = cache;
        this.workDirectory = workDirectory;
    }

    /** Checks that each source's file is there, without downloading or loading anything. */
    public List<Check> check(List<FileSource> sources) {
        List<Check> checks = new ArrayList<>();
        for (FileSource source : sources) {
            try {
                ObjectInfo info = cache.store().stat(source.location());
                checks.add(new Check(source, info, cache.holds(info), null));
            } catch (EntrepotException e) {
                checks.add(new Check(source, null, false, e));
            }
        }
        return checks;
    }

    public List<Outcome> run(List<FileSource> sources, boolean force, Listener listener) {
        Map<FileSource, Check> checks = new LinkedHashMap<>();
        long toDownload = 0;
        for (Check check : check(sources)) {
            checks.put(check.source(), check);
            if (check.error() == null && !check.cached()) {
                toDownload += check.info().size();
            }
        }
        listener.planned(sources, toDownload);
        FileLoader loader = new FileLoader(warehouse, workDirectory);
        ExecutorService downloads = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "file-download");
            thread.setDaemon(true);
            return thread;
        });
        try {
            // One download per file, however many sources read it (a workbook's sheets, say).
            Map<String, CompletableFuture<FileCache.Fetched>> byLocation = new LinkedHashMap<>();
            Map<FileSource, CompletableFuture<FileCache.Fetched>> fetches = new LinkedHashMap<>();
            for (Check check : checks.values()) {
                if (check.error() == null) {
                    fetches.put(check.source(), byLocation.computeIfAbsent(check.info().location().toString(),
                            location -> CompletableFuture.supplyAsync(() -> cache.fetch(check.info(), listener::bytes),
                                    downloads)));
                }
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Check check : checks.values()) {
                Outcome outcome;
                if (check.error() != null) {
                    outcome = new Outcome(check.source(), null, check.error());
                } else {
                    try {
                        FileCache.Fetched fetched = await(fetches.get(check.source()));
                        outcome = new Outcome(check.source(), loader.load(check.source(), fetched, force, listener::rows),
                                null);
                    } catch (EntrepotException e) {
                        outcome = new Outcome(check.source(), null, e);
                    }
                }
                outcomes.add(outcome);
                listener.done(outcome);
            }
            return outcomes;
        } finally {
            downloads.shutdownNow();
        }
    }

    private static FileCache.Fetched await(CompletableFuture<FileCache.Fetched> fetch) {
        try {
            return fetch.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw EntrepotException.failed("Interrupted while downloading.", null, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof EntrepotException known) {
                throw known;
            }
            throw EntrepotException.failed("Downloading failed: " + e.getCause(), null, e.getCause());
        }
    }
}
