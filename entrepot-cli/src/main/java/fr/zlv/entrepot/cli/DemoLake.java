package fr.zlv.entrepot.cli;

import fr.zlv.entrepot.core.settings.LoadedSettings;
import fr.zlv.entrepot.core.settings.Secret;
import fr.zlv.entrepot.core.settings.Settings;
import fr.zlv.entrepot.core.storage.Location;
import fr.zlv.entrepot.core.warehouse.Warehouse;
import fr.zlv.entrepot.demo.LocalS3Server;
import fr.zlv.entrepot.demo.files.LakeFiles;
import fr.zlv.entrepot.ingest.files.FileIngestion;
import fr.zlv.entrepot.ingest.files.FileSource;
import fr.zlv.entrepot.ingest.files.SourceCatalog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The demo's data lake: a real S3-protocol server on loopback holding the demo's yearly files at the keys
 * the shipped catalog names (files the catalog fetches from the web are mirrored under {@code mirror/}),
 * loaded with the shipped catalog's own read options, types and expectations.
 */
final class DemoLake {

    /** What the demo's file step did: where the files were (an S3 endpoint or a directory), how many, the loads. */
    record Result(String place, int files, List<FileIngestion.Outcome> outcomes) {
    }

    private DemoLake() {
    }

    /**
     * @param directory where to write the files and load them from, instead of the local S3 server; null for S3
     */
    static Result run(LoadedSettings loaded, Path workspace, Path directory, long seed, long housings,
                      Warehouse warehouse, boolean showProgress) {
        Settings settings = loaded.settings();
        List<LakeFiles.LakeFile> written = LakeFiles.write(seed, housings,
                directory != null ? directory : workspace.resolve("files"));
        SourceCatalog catalog = SourceCatalog.load(Path.of(settings.files().catalog()), System.getenv());
        Map<String, FileSource> shipped = catalog.sources().stream()
                .collect(Collectors.toMap(FileSource::name, Function.identity()));
        if (directory != null) {
            List<FileSource> sources = written.stream().map(file -> shipped.get(file.source())
                    .withLocation(Location.parse(file.file().toAbsolutePath().toString()))).toList();
            try (Lake lake = new Lake(loaded.withSettings(settings.withStorage(settings.storage()
                    .withCacheDirectory(workspace.resolve("cache").toString()))))) {
                long distinctFiles = written.stream().map(LakeFiles.LakeFile::file).distinct().count();
                return new Result(directory.toAbsolutePath().toString(), (int) distinctFiles,
                        IngestCommand.loadFiles(warehouse, lake, sources, false, showProgress));
            }
        }
        Secret secret = Secret.of("demo-secret-key");
        try (LocalS3Server s3 = LocalS3Server.start(workspace.resolve("s3"), "demo-access-key", secret)) {
            LoadedSettings demo = loaded.withSettings(settings.withStorage(settings.storage()
                    .withEndpoint(s3.endpoint().toString(), s3.accessKey(), secret)
                    .withCacheDirectory(workspace.resolve("cache").toString())));
            try (Lake lake = new Lake(demo)) {
                List<FileSource> sources = new ArrayList<>();
                Set<String> uploaded = new LinkedHashSet<>();
                String lakeBucket = lakeBucket(shipped);
                for (LakeFiles.LakeFile file : written) {
                    FileSource source = shipped.get(file.source());
                    if (source == null) {
                        throw new IllegalStateException("The demo wrote " + file.source() + ", which the catalog lacks");
                    }
                    Location location = inLocalStore(source.location(), lakeBucket);
                    if (uploaded.add(location.toString())) {
                        lake.store.ensureBucket(location.bucket());
                        lake.store.upload(file.file(), location);
                    }
                    sources.add(source.withLocation(location));
                }
                List<FileIngestion.Outcome> outcomes = IngestCommand.loadFiles(warehouse, lake, sources, false,
                        showProgress);
                return new Result(s3.endpoint().toString(), uploaded.size(), outcomes);
            }
        }
    }

    /** Where a catalog location lives in the demo's store: the same bucket and key, web files under mirror/. */
    static Location inLocalStore(Location location, String lakeBucket) {
        return switch (location.kind()) {
            case S3 -> location;
            case HTTP -> Location.s3(lakeBucket, "mirror/" + location.uri().getHost() + location.uri().getPath());
            case FILE -> location;
        };
    }

    private static String lakeBucket(Map<String, FileSource> shipped) {
        FileSource lovac = shipped.get("lovac_2024");
        return lovac != null && lovac.location().kind() == Location.Kind.S3 ? lovac.location().bucket() : "zlv-data-lake";
    }
}
