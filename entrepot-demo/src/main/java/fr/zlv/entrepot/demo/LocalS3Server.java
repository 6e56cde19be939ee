package fr.zlv.entrepot.demo;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.settings.Secret;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * A real S3-protocol server on the loopback interface (S3Proxy), for the demo and the tests: buckets in
 * a directory (kept between runs) or in memory, AWS signature v2/v4 with the given credentials.
 */
public final class LocalS3Server implements AutoCloseable {

    private final S3Proxy proxy;
    private final URI endpoint;
    private final String accessKey;
    private final Secret secretKey;

    private LocalS3Server(S3Proxy proxy, URI endpoint, String accessKey, Secret secretKey) {
        this.proxy = proxy;
        this.endpoint = endpoint;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    /**
     * @param directory where buckets are kept, or null for memory only
     */
    public static LocalS3Server start(Path directory, String accessKey, Secret secretKey) {
        try {
            BlobStore store;
            if (directory == null) {
                store = new TransientNio2BlobStore();
            } else {
                Files.createDirectories(directory);
                store = new FilesystemNio2BlobStore(directory.toAbsolutePath().toString());
            }
            URI endpoint = URI.create("http://127.0.0.1:" + freePort());
            S3Proxy proxy = S3Proxy.builder()
                    .blobStore(store)
                    .endpoint(endpoint)
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey.reveal())
                    .ignoreUnknownHeaders(true)
                    .build();
            proxy.start();
            while (!proxy.getState().equals("STARTED")) {
                Thread.sleep(10);
            }
            return new LocalS3Server(proxy, endpoint, accessKey, secretKey);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw EntrepotException.failed("Cannot start the local S3 server (S3Proxy): " + e.getMessage(), null, e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    public String accessKey() {
        return accessKey;
    }

    public Secret secretKey() {
        return secretKey;
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw EntrepotException.failed("Stopping the local S3 server failed: " + e.getMessage(), null, e);
        }
    }
}
