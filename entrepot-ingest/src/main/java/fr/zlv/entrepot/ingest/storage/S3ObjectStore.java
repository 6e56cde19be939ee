package fr.zlv.entrepot.ingest.storage;

import fr.zlv.entrepot.core.EntrepotException;
import fr.zlv.entrepot.core.settings.StorageSettings;
import fr.zlv.entrepot.core.storage.Location;
import fr.zlv.entrepot.core.storage.ObjectInfo;
import fr.zlv.entrepot.core.storage.ObjectStore;
import fr.zlv.entrepot.core.EditDistance;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Objects in S3-compatible storage through the AWS SDK: endpoint override and path-style URLs for
 * Cellar, static credentials. Large objects are read in parallel byte ranges written in place; every range
 * is retried on its own after a transient failure, and a download whose size or MD5 (when the ETag is
 * one) is wrong is read again. Large files are uploaded in parallel parts, each checked by its MD5.
 */
final class S3ObjectStore implements ObjectStore {

    private static final Logger LOG = LoggerFactory.getLogger(S3ObjectStore.class);

    private final StorageSettings settings;
    private final S3Client client;
    private final Retry retry;
    private final long partSize;
    private final String where;

    S3ObjectStore(StorageSettings settings) {
        this.settings = settings;
        this.partSize = settings.partSizeMb() * 1024L * 1024L;
        this.where = settings.endpoint() == null ? "AWS S3 (" + settings.region() + ")" : settings.endpointUri().toString();
        this.retry = new Retry(settings.maxAttempts(), 250, S3ObjectStore::isTransient);
        AwsCredentialsProvider credentials = settings.accessKeyId().isEmpty()
                ? AnonymousCredentialsProvider.create()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKeyId(),
                settings.secretAccessKey().reveal()));
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(settings.pathStyle())
                // S3-compatible stores do not all know the SDK's newer default checksums; we check MD5 ourselves.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(c -> c.retryStrategy(b -> b.maxAttempts(settings.maxAttempts())));
        if (settings.endpointUri() != null) {
            builder.endpointOverride(settings.endpointUri());
        }
        this.client = builder.build();
    }

    @Override
    public ObjectInfo stat(Location location) {
        try {
            HeadObjectResponse head = client.headObject(b -> b.bucket(location.bucket()).key(location.key()));
            return new ObjectInfo(location, head.contentLength(), unquote(head.eTag()), head.lastModified());
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw missing(location);
            }
            throw explain(location, e);
        } catch (SdkClientException e) {
            throw explain(location, e);
        }
    }

    @Override
    public void download(ObjectInfo object, Path target, LongConsumer bytes) {
        Location location = object.location();
        try {
            retry.run("download of " + location, () -> {
                if (object.size() <= partSize) {
                    downloadWhole(object, target, bytes);
                } else {
                    downloadInParts(object, target, bytes);
                }
                return null;
            });
        } catch (EntrepotException e) {
            throw e;
        } catch (S3Exception | SdkClientException e) {
            throw explain(location, e);
        } catch (CorruptDownloadException e) {
            throw EntrepotException.failed("The download of " + location + " stayed corrupt after "
                    + settings.maxAttempts() + " attempts: " + e.getMessage(), "Check the object in the store.", e);
        } catch (Exception e) {
            throw EntrepotException.failed("Downloading " + location + " from " + where + " failed: " + e.getMessage(),
                    "Transient failures were retried " + settings.maxAttempts() + " times (storage.max_attempts).", e);
        }
    }

    /** One GET, the MD5 computed on the way. */
    private void downloadWhole(ObjectInfo object, Path target, LongConsumer bytes) throws IOException {
        Location location = object.location();
        MessageDigest md5 = md5();
        long written = 0;
        try (ResponseInputStream<GetObjectResponse> in = client.getObject(b -> b.bucket(location.bucket())
                .key(location.key()).ifMatch(quote(object.etag())));
             OutputStream out = Files.newOutputStream(target)) {
            byte[] buffer = new byte[1 << 16];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                md5.update(buffer, 0, read);
                written += read;
                bytes.accept(read);
            }
        } catch (IOException e) {
            bytes.accept(-written);
            throw e;
        }
        verify(object, written, md5.digest(), bytes);
    }

    /** Parallel ranged GETs written at their offsets; each range retried alone. */
    private void downloadInParts(ObjectInfo object, Path target, LongConsumer bytes) throws Exception {
        Location location = object.location();
        ExecutorService pool = Executors.newFixedThreadPool(settings.parallelParts(), runnable -> {
            Thread thread = new Thread(runnable, "s3-range");
            thread.setDaemon(true);
            return thread;
        });
        try (FileChannel channel = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            List<Future<Long>> parts = new ArrayList<>();
            for (long start = 0; start < object.size(); start += partSize) {
                long first = start;
                long last = Math.min(object.size(), start + partSize) - 1;
                parts.add(pool.submit(() -> retry.run("range " + first + "-" + last + " of " + location,
                        () -> downloadRange(object, channel, first, last, bytes))));
            }
            long written = 0;
            for (Future<Long> part : parts) {
                try {
                    written += part.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
            channel.force(false);
            verify(object, written, object.etag() != null && isMd5(object.etag()) ? md5Of(target) : null, bytes);
        } finally {
            pool.shutdownNow();
        }
    }

    private long downloadRange(ObjectInfo object, FileChannel channel, long first, long last, LongConsumer bytes)
            throws IOException {
        Location location = object.location();
        long position = first;
        try (ResponseInputStream<GetObjectResponse> in = client.getObject(b -> b.bucket(location.bucket())
                .key(location.key()).range("bytes=" + first + "-" + last).ifMatch(quote(object.etag())))) {
            byte[] buffer = new byte[1 << 16];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, read);
                while (chunk.hasRemaining()) {
                    position += channel.write(chunk, position);
                }
                bytes.accept(read);
            }
        } catch (IOException | RuntimeException e) {
            bytes.accept(first - position);
            throw e;
        }
        if (position != last + 1) {
            bytes.accept(first - position);
            throw new CorruptDownloadException("range " + first + "-" + last + " ended at byte " + position);
        }
        return position - first;
    }

    private static void verify(ObjectInfo object, long written, byte[] md5, LongConsumer bytes)
            throws CorruptDownloadException {
        if (written != object.size()) {
            bytes.accept(-written);
            throw new CorruptDownloadException(written + " bytes received, " + object.size() + " expected");
        }
        if (md5 != null && object.etag() != null && isMd5(object.etag())
                && !HexFormat.of().formatHex(md5).equalsIgnoreCase(object.etag())) {
            bytes.accept(-written);
            throw new CorruptDownloadException("MD5 " + HexFormat.of().formatHex(md5) + " is not the ETag " + object.etag());
        }
    }

    @Override
    public List<ObjectInfo> list(Location prefix) {
        List<ObjectInfo> objects = new ArrayList<>();
        try {
            ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(prefix.bucket()).prefix(prefix.key()).build();
            for (S3Object object : client.listObjectsV2Paginator(request).contents()) {
                objects.add(new ObjectInfo(prefix.withKey(object.key()), object.size(), unquote(object.eTag()),
                        object.lastModified()));
            }
            return objects;
        } catch (S3Exception | SdkClientException e) {
            throw explain(prefix, e);
        }
    }

    /**
     * Puts a file: one PUT up to the part size, a multipart upload of parallel parts above it. Every request
     * carries the MD5 of its bytes (Content-MD5: the store refuses a body damaged on the way), and the ETags the
     * store answers are compared with the MD5s computed here, so a stored object is the file sent.
     */
    @Override
    public ObjectInfo upload(Path file, Location target) {
        try {
            long size = Files.size(file);
            String etag = size <= partSize ? uploadWhole(file, target) : uploadInParts(file, target, size);
            return new ObjectInfo(target, size, etag, null);
        } catch (S3Exception | SdkClientException e) {
            throw explain(target, e);
        } catch (CorruptUploadException e) {
            throw EntrepotException.failed("The upload of " + file + " to " + target + " stayed corrupt after "
                    + settings.maxAttempts() + " attempts: " + e.getMessage(), "Check the network and the store.", e);
        } catch (EntrepotException e) {
            throw e;
        } catch (Exception e) {
            throw EntrepotException.failed("Uploading " + file + " to " + target + " failed: " + e.getMessage(), null, e);
        }
    }

    private String uploadWhole(Path file, Location target) throws Exception {
        byte[] content = Files.readAllBytes(file);
        byte[] md5 = md5().digest(content);
        return retry.run("upload of " + target, () -> {
            PutObjectResponse response = client.putObject(b -> b.bucket(target.bucket()).key(target.key())
                    .contentMD5(Base64.getEncoder().encodeToString(md5)), RequestBody.fromBytes(content));
            String etag = unquote(response.eTag());
            checkEtag(target, etag, HexFormat.of().formatHex(md5));
            return etag;
        });
    }

    /** Parts of the part size (more if the file needs over 10,000, S3's limit), a few at a time. */
    private String uploadInParts(Path file, Location target, long size) throws Exception {
        long chunk = Math.max(partSize, (size + 9_999) / 10_000);
        int count = (int) ((size + chunk - 1) / chunk);
        String uploadId = client.createMultipartUpload(b -> b.bucket(target.bucket()).key(target.key())).uploadId();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(settings.parallelParts(), count), runnable -> {
            Thread thread = new Thread(runnable, "s3-part");
            thread.setDaemon(true);
            return thread;
        });
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            List<Future<CompletedPart>> futures = new ArrayList<>();
            for (int index = 0; index < count; index++) {
                int number = index + 1;
                long first = index * chunk;
                int length = (int) Math.min(chunk, size - first);
                // Each task reads its own part, so memory holds at most parallel_parts parts.
                futures.add(pool.submit(() -> uploadPart(channel, target, uploadId, number, first, length)));
            }
            List<CompletedPart> parts = new ArrayList<>();
            MessageDigest ofParts = md5();
            for (Future<CompletedPart> future : futures) {
                try {
                    CompletedPart part = future.get();
                    parts.add(part);
                    ofParts.update(HexFormat.of().parseHex(unquote(part.eTag())));
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
            String etag = unquote(client.completeMultipartUpload(b -> b.bucket(target.bucket()).key(target.key())
                    .uploadId(uploadId).multipartUpload(m -> m.parts(parts))).eTag());
            // A multipart ETag is usually the MD5 of the parts' MD5s, "-", the number of parts; other forms say
            // nothing we can check (each part was checked already).
            if (etag != null && etag.contains("-")) {
                checkEtag(target, etag, HexFormat.of().formatHex(ofParts.digest()) + "-" + count);
            }
            return etag;
        } catch (Exception e) {
            pool.shutdownNow();
            abort(target, uploadId);
            throw e;
        } finally {
            pool.shutdownNow();
        }
    }

    private CompletedPart uploadPart(FileChannel channel, Location target, String uploadId, int number, long first,
                                     int length) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, first + buffer.position()) < 0) {
                throw new IOException("the file ended before byte " + (first + length) + " (it changed while uploading)");
            }
        }
        byte[] content = buffer.array();
        byte[] md5 = md5().digest(content);
        String expected = HexFormat.of().formatHex(md5);
        return retry.run("part " + number + " of " + target, () -> {
            String etag = unquote(client.uploadPart(b -> b.bucket(target.bucket()).key(target.key()).uploadId(uploadId)
                    .partNumber(number).contentMD5(Base64.getEncoder().encodeToString(md5)),
                    RequestBody.fromBytes(content)).eTag());
            checkEtag(target, etag, expected);
            // The completion lists the parts by the MD5 computed here: it is what the store must hold.
            return CompletedPart.builder().partNumber(number).eTag(quote(expected)).build();
        });
    }

    /** Compares an ETag with the expected MD5 form; ETags of another form (encrypted stores) are not checksums. */
    private static void checkEtag(Location target, String etag, String expected) throws CorruptUploadException {
        boolean checksum = etag != null && etag.matches("[0-9a-fA-F]{32}(-\\d+)?");
        if (checksum && !etag.equalsIgnoreCase(expected)) {
            throw new CorruptUploadException("the store holds ETag " + etag + " for " + target + ", the bytes sent have "
                    + expected);
        }
    }

    /** Drops the parts of a failed multipart upload: a store keeps (and bills) them otherwise. */
    private void abort(Location target, String uploadId) {
        try {
            client.abortMultipartUpload(b -> b.bucket(target.bucket()).key(target.key()).uploadId(uploadId));
        } catch (RuntimeException e) {
            LOG.warn("Could not abort the multipart upload of {}: {}", target, e.getMessage());
        }
    }

    @Override
    public void delete(Location location) {
        try {
            retry.run("delete of " + location, () -> client.deleteObject(b -> b.bucket(location.bucket())
                    .key(location.key())));
        } catch (S3Exception | SdkClientException e) {
            throw explain(location, e);
        } catch (Exception e) {
            throw EntrepotException.failed("Deleting " + location + " at " + where + " failed: " + e.getMessage(), null, e);
        }
    }

    /** Creates the bucket when it does not exist (the demo's store starts empty). */
    void ensureBucket(String bucket) {
        try {
            client.headBucket(b -> b.bucket(bucket));
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw explain(Location.s3(bucket, ""), e);
            }
            client.createBucket(b -> b.bucket(bucket));
        }
    }

    /** No object at this key: say so, with the keys that look like it (a moved file is the usual cause). */
    private EntrepotException missing(Location location) {
        List<String> near = nearKeys(location);
        return EntrepotException.failed("There is no object " + location + " at " + where + ".", near.isEmpty()
                ? "Check the location in the source catalog and the bucket (CELLAR_DATA_LAKE_BUCKET_NAME)."
                : "Objects with a similar key: " + String.join(", ", near) + ".", null);
    }

    private List<String> nearKeys(Location location) {
        String key = location.key();
        int firstSlash = key.indexOf('/');
        String top = firstSlash > 0 ? key.substring(0, firstSlash + 1) : "";
        String name = location.fileName();
        try {
            List<String> keys = new ArrayList<>();
            ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(location.bucket()).prefix(top)
                    .maxKeys(1000).build();
            for (S3Object object : client.listObjectsV2(request).contents()) {
                if (object.key().endsWith("/" + name) || object.key().equals(name)) {
                    keys.add(object.key());
                }
            }
            // Same numbers first (a year is rarely what moved), then the fewest edits.
            List<String> numbers = numbersIn(key);
            keys.sort(Comparator.comparing((String candidate) -> !numbersIn(candidate).equals(numbers))
                    .thenComparingInt(candidate -> EditDistance.between(candidate, key)));
            return keys.stream().filter(candidate -> EditDistance.between(candidate, key) <= key.length() / 2).limit(3)
                    .map(candidate -> "s3://" + location.bucket() + "/" + candidate).toList();
        } catch (S3Exception | SdkClientException e) {
            return List.of();
        }
    }

    private static List<String> numbersIn(String key) {
        List<String> numbers = new ArrayList<>();
        java.util.regex.Matcher digits = java.util.regex.Pattern.compile("\\d+").matcher(key);
        while (digits.find()) {
            numbers.add(digits.group());
        }
        return numbers;
    }

    private EntrepotException explain(Location location, Exception e) {
        if (e instanceof S3Exception s3) {
            String code = s3.awsErrorDetails() == null ? "" : String.valueOf(s3.awsErrorDetails().errorCode());
            if (s3.statusCode() == 403) {
                return EntrepotException.failed("The object storage at " + where + " refused access to " + location
                                + " (" + code + ").",
                        "Check CELLAR_ACCESS_KEY_ID and CELLAR_SECRET_ACCESS_KEY (storage.access_key_id,"
                                + " storage.secret_access_key) and the bucket's rights.", e);
            }
            if (code.equals("NoSuchBucket")) {
                return EntrepotException.failed("There is no bucket '" + location.bucket() + "' at " + where + ".",
                        "Check the bucket in the location (CELLAR_DATA_LAKE_BUCKET_NAME).", e);
            }
            if (s3.statusCode() == 412) {
                return EntrepotException.failed(location + " changed while it was being downloaded.",
                        "Run again: the new version will be fetched.", e);
            }
            return EntrepotException.failed("The object storage at " + where + " answered " + s3.statusCode() + " "
                    + code + " for " + location + ".", null, e);
        }
        Throwable cause = rootCause(e);
        if (cause instanceof UnknownHostException) {
            return EntrepotException.failed("Unknown host for the object storage: " + where + ".",
                    "Check CELLAR_HOST_URL (storage.endpoint).", e);
        }
        if (cause instanceof ConnectException) {
            return EntrepotException.failed("Cannot reach the object storage at " + where + ": " + cause.getMessage()
                    + ".", "Check CELLAR_HOST_URL (storage.endpoint) and the network.", e);
        }
        return EntrepotException.failed("Reading " + location + " from " + where + " failed: " + e.getMessage(), null, e);
    }

    private static boolean isTransient(Throwable e) {
        if (e instanceof EntrepotException) {
            return false;
        }
        if (e instanceof S3Exception s3) {
            // BadDigest: the body arrived damaged (its Content-MD5 did not match); sending it again may work.
            String code = s3.awsErrorDetails() == null ? "" : String.valueOf(s3.awsErrorDetails().errorCode());
            return s3.statusCode() >= 500 || s3.statusCode() == 429 || code.equals("BadDigest");
        }
        return e instanceof IOException || e instanceof SdkClientException || e instanceof java.io.UncheckedIOException;
    }

    private static Throwable rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static String unquote(String etag) {
        return etag == null ? null : etag.replace("\"", "");
    }

    private static String quote(String etag) {
        return etag == null ? null : "\"" + etag + "\"";
    }

    private static boolean isMd5(String etag) {
        return etag.matches("[0-9a-fA-F]{32}");
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] md5Of(Path file) throws IOException {
        MessageDigest md5 = md5();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                md5.update(buffer, 0, read);
            }
        }
        return md5.digest();
    }

    @Override
    public void close() {
        client.close();
    }
}
