package fr.zlv.entrepot.ingest.storage;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.storage.Location;
import fr.zlv.entrepot.core.storage.ObjectInfo;
import fr.zlv.entrepot.core.storage.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Public files on the web (data.gouv.fr, INSEE) through the JDK's HTTP client: redirects followed, size,
 * ETag and Last-Modified from a HEAD request, and a download that resumes with a Range request after a
 * dropped connection when the server allows it.
 */
final class HttpObjectStore implements ObjectStore {

    private final HttpClient client = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(20))
            .build();
    private final Retry retry;

    HttpObjectStore(int maxAttempts) {
        this.retry = new Retry(maxAttempts, 250, e -> e instanceof IOException && !(e instanceof HttpStatusException status
                && status.status < 500 && status.status != 429));
    }

    /** An HTTP status that is not a success. */
    private static final class HttpStatusException extends IOException {
        final int status;

        HttpStatusException(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    @Override
    public ObjectInfo stat(Location location) {
        try {
            HttpResponse<Void> head = retry.run("HEAD " + location, () -> {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(location.uri())
                        .method("HEAD", HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(60)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() >= 400 && response.statusCode() != 405) {
                    throw new HttpStatusException(response.statusCode(), "HTTP " + response.statusCode());
                }
                return response;
            });
            long size = head.headers().firstValueAsLong("Content-Length").orElse(-1);
            String etag = head.headers().firstValue("ETag").map(tag -> tag.replace("W/", "").replace("\"", "")).orElse(null);
            Instant modified = head.headers().firstValue("Last-Modified").map(HttpObjectStore::parseDate).orElse(null);
            return new ObjectInfo(location, size, etag, modified);
        } catch (Exception e) {
            throw explain(location, e);
        }
    }

    @Override
    public void download(ObjectInfo object, Path target, LongConsumer bytes) {
        Location location = object.location();
        long[] received = {0};
        try {
            Files.deleteIfExists(target);
            retry.run("download of " + location, () -> {
                HttpRequest.Builder request = HttpRequest.newBuilder(location.uri()).timeout(Duration.ofMinutes(30));
                if (received[0] > 0) {
                    request.header("Range", "bytes=" + received[0] + "-");
                }
                HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
                int status = response.statusCode();
                if (status >= 400) {
                    response.body().close();
                    throw new HttpStatusException(status, "HTTP " + status);
                }
                if (received[0] > 0 && status != 206) {
                    // The server ignored the range: start over.
                    bytes.accept(-received[0]);
                    received[0] = 0;
                    Files.deleteIfExists(target);
                }
                try (InputStream in = response.body();
                     OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                    byte[] buffer = new byte[1 << 16];
                    int read;
                    while ((read = in.read(buffer)) >= 0) {
                        out.write(buffer, 0, read);
                        received[0] += read;
                        bytes.accept(read);
                    }
                }
                if (object.size() >= 0 && received[0] != object.size()) {
                    throw new CorruptDownloadException(received[0] + " bytes received, " + object.size() + " expected");
                }
                return null;
            });
        } catch (Exception e) {
            throw explain(location, e);
        }
    }

    @Override
    public List<ObjectInfo> list(Location prefix) {
        throw EntrepotException.badInput("Web addresses cannot be listed: " + prefix + ".", null);
    }

    @Override
    public ObjectInfo upload(Path file, Location target) {
        throw EntrepotException.badInput("Entrepôt does not upload to web addresses: " + target + ".",
                "Publish to s3:// or to a directory.");
    }

    @Override
    public void delete(Location location) {
        throw EntrepotException.badInput("Entrepôt does not delete web addresses: " + location + ".",
                "Publish to s3:// or to a directory.");
    }

    private static Instant parseDate(String value) {
        try {
            return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static EntrepotException explain(Location location, Exception e) {
        if (e instanceof EntrepotException known) {
            return known;
        }
        if (e instanceof HttpStatusException status) {
            return EntrepotException.failed(location + " answered HTTP " + status.status
                    + (status.status == 404 ? " (not found)" : status.status == 403 ? " (forbidden)" : "") + ".",
                    status.status == 404 ? "The file may have moved: check its address in the source catalog." : null, e);
        }
        if (e instanceof CorruptDownloadException) {
            return EntrepotException.failed("The download of " + location + " stayed incomplete: " + e.getMessage(),
                    "Try again later.", e);
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        if (root instanceof UnknownHostException || root instanceof ConnectException || e instanceof HttpTimeoutException) {
            return EntrepotException.failed("Cannot reach " + location.uri().getHost() + " to get " + location + ": "
                    + (root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage()) + ".",
                    "Check the network (a proxy?) or use a copy in the object storage.", e);
        }
        return EntrepotException.failed("Downloading " + location + " failed: " + e.getMessage(), null, e);
    }
}
