package io.restorepoint.store;

import io.restorepoint.engine.artifact.ArtifactFormat;
import io.restorepoint.engine.artifact.ArtifactId;
import io.restorepoint.engine.artifact.ArtifactStore;
import io.restorepoint.engine.artifact.ArtifactWriter;
import io.restorepoint.engine.artifact.StoreWriter;
import io.restorepoint.engine.artifact.Manifest;
import io.restorepoint.engine.artifact.crypto.Keyring;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Artifacts as objects in an S3-compatible bucket: {@code <prefix><project>/<version>/<file>}, e.g.
 * {@code restorepoint/p1/000003/data/t.00001.sql.zst}, with the manifest at {@code …/000003/manifest.json}.
 * Staged files live under {@code <prefix>.staging/}.
 * <p>
 * S3 has no atomic rename, so visibility is the manifest's presence: a writer uploads every data object
 * first and puts {@code manifest.json} last, on commit, and {@link #manifest} is empty until then. A reader
 * never sees a partial artifact: either the manifest is there, and every file it names was uploaded before
 * it, or the artifact does not exist. Deleting goes the other way round: the manifest first, then the rest.
 * <p>
 * A crash (of the writer, the process or the network) therefore leaves at worst data objects without a
 * manifest under the artifact's prefix, and temporary files under {@code <scratch>/.s3-upload/}. Neither is
 * ever visible as an artifact; the objects are removed by the next {@link #begin} of the same id or by
 * {@link #delete}, and the temporary files may be deleted whenever no writer runs.
 * <p>
 * Each file is written to a local temporary file, hashed on the way, and uploaded with one PutObject once
 * it is closed, with its SHA-256 so the server verifies what it received (so a file is at most 5 GB, the
 * limit of a single PutObject). Files are encrypted and compressed exactly as in the
 * {@link io.restorepoint.engine.artifact.FileSystemArtifactStore}; the bucket only ever holds what that
 * store would hold on disk. The secret key is never logged nor part of an error or {@link #toString()}.
 */
public final class S3ArtifactStore implements ArtifactStore, AutoCloseable {

    /** DeleteObjects takes at most this many keys. */
    static final int DELETE_BATCH = 1000;
    static final String STAGING = ".staging/";
    static final String UPLOADS = ".s3-upload";

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final Path scratch;
    private final int compressionLevel;
    private final Keyring keyring;

    /**
     * A store over a client the caller built; {@link #close()} closes it.
     *
     * @param bucket           an existing bucket
     * @param prefix           key prefix of everything this store writes ({@code ""}, or e.g. {@code restorepoint/};
     *                         a missing trailing {@code /} is added)
     * @param scratch          local directory for files on their way to the bucket
     * @param compressionLevel zstd level of compressed files
     * @param keyring          the keys new artifacts are encrypted with and old ones decrypted with
     */
    public S3ArtifactStore(S3Client s3, String bucket, String prefix, Path scratch, int compressionLevel, Keyring keyring) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("the S3 bucket of the artifact store is not set (restorepoint.store.s3.bucket)");
        }
        this.bucket = bucket.strip();
        this.prefix = normalizePrefix(prefix);
        this.scratch = Objects.requireNonNull(scratch, "scratch").toAbsolutePath();
        this.compressionLevel = compressionLevel;
        this.keyring = Objects.requireNonNull(keyring, "keyring");
    }

    /**
     * The store of the configuration {@code restorepoint.store.s3.*}, with its own client.
     *
     * @param scratch local directory for files on their way to the bucket ({@code restorepoint.store.path})
     */
    public static S3ArtifactStore create(StoreProperties.S3 s3, Path scratch, int compressionLevel, Keyring keyring) {
        if (s3 == null || s3.bucket() == null || s3.bucket().isBlank()) {
            throw new IllegalArgumentException("restorepoint.store.type is s3 but restorepoint.store.s3.bucket "
                    + "(env RP_S3_BUCKET) is not set");
        }
        AwsCredentialsProvider credentials;
        if (s3.accessKey() != null && !s3.accessKey().isBlank()) {
            if (s3.secretKey() == null || s3.secretKey().isBlank()) {
                throw new IllegalArgumentException("restorepoint.store.s3.access-key is set but restorepoint.store.s3.secret-key "
                        + "(env RP_S3_SECRET_KEY) is not");
            }
            credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey().strip(), s3.secretKey()));
        } else {
            credentials = DefaultCredentialsProvider.builder().build();
        }
        String region = s3.region() == null || s3.region().isBlank() ? "us-east-1" : s3.region().strip();
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofMinutes(2)))
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .forcePathStyle(s3.pathStyle())
                // Checksums only where S3 requires them (and ours, set explicitly on each upload), so servers
                // that do not speak aws-chunked trailers (many S3-compatible ones) work.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (s3.endpoint() != null && !s3.endpoint().toString().isBlank()) {
            builder.endpointOverride(s3.endpoint());
        }
        return new S3ArtifactStore(builder.build(), s3.bucket(), s3.prefix(), scratch, compressionLevel, keyring);
    }

    static String normalizePrefix(String prefix) {
        if (prefix == null) {
            return "";
        }
        String p = prefix.strip();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        if (p.isEmpty()) {
            return "";
        }
        if (p.contains("\\") || List.of(p.split("/")).contains("..")) {
            throw new IllegalArgumentException("invalid S3 key prefix: " + prefix);
        }
        return p.endsWith("/") ? p : p + "/";
    }

    @Override
    public Keyring keyring() {
        return keyring;
    }

    public String bucket() {
        return bucket;
    }

    /** The key prefix, {@code ""} or ending in {@code /}. */
    public String prefix() {
        return prefix;
    }

    /** The client (for tests that look at the bucket directly). */
    S3Client s3Client() {
        return s3;
    }

    /** The key prefix of an artifact's objects, ending in {@code /}. */
    String artifactPrefix(ArtifactId id) {
        return prefix + id.project() + "/" + String.format("%06d", id.version()) + "/";
    }

    /** The key of a file of an artifact. */
    String key(ArtifactId id, String file) {
        return artifactPrefix(id) + relative(file, "file outside the artifact: ");
    }

    /** The key of a staged file (or folder, without a trailing {@code /}). */
    String stagedKey(String path) {
        return prefix + STAGING + relative(path, "staged path outside the staging area: ");
    }

    /**
     * A relative path, normalized ({@code .} and empty segments dropped, so {@code a//b/} is {@code a/b}).
     * Absolute paths, {@code ..} segments and backslashes are refused, as is a path that names nothing.
     */
    static String relative(String path, String problem) {
        if (path == null || path.startsWith("/") || path.contains("\\") || path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(problem + path);
        }
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (segment.equals("..")) {
                throw new IllegalArgumentException(problem + path);
            }
            if (!segment.isEmpty() && !segment.equals(".")) {
                segments.add(segment);
            }
        }
        if (segments.isEmpty()) {
            throw new IllegalArgumentException(problem + path);
        }
        return String.join("/", segments);
    }

    @Override
    public ArtifactWriter begin(ArtifactId id, String jobToken) throws IOException {
        String manifestKey = key(id, ArtifactFormat.MANIFEST);
        if (exists(manifestKey)) {
            throw new FileAlreadyExistsException(uri(manifestKey), null, "artifact " + id + " is already committed");
        }
        deleteUnder(artifactPrefix(id)); // leftovers of an attempt that crashed before its commit
        return new Writer(id);
    }

    @Override
    public Optional<Manifest> manifest(ArtifactId id) throws IOException {
        try (InputStream in = get(key(id, ArtifactFormat.MANIFEST))) {
            return Optional.of(ArtifactFormat.JSON.readValue(in, Manifest.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public InputStream openStored(ArtifactId id, String file) throws IOException {
        return get(key(id, file));
    }

    @Override
    public boolean delete(ArtifactId id) throws IOException {
        String manifestKey = key(id, ArtifactFormat.MANIFEST);
        boolean existed = exists(manifestKey);
        if (existed) {
            // the manifest goes first: an interrupted delete leaves an invisible remainder, never a partial artifact
            deleteKeys(List.of(manifestKey));
        }
        deleteUnder(artifactPrefix(id));
        return existed;
    }

    @Override
    public OutputStream createStaged(String path) throws IOException {
        return keyring.encrypting(new Upload(stagedKey(path)), path);
    }

    @Override
    public InputStream openStaged(String path) throws IOException {
        return keyring.decrypting(get(stagedKey(path)), path);
    }

    @Override
    public boolean existsStaged(String path) throws IOException {
        String key = stagedKey(path);
        return exists(key) || anyUnder(key + "/");
    }

    @Override
    public void deleteStaged(String path) throws IOException {
        String key = stagedKey(path);
        deleteKeys(List.of(key));
        deleteUnder(key + "/");
    }

    /** Closes the S3 client. */
    @Override
    public void close() {
        s3.close();
    }

    @Override
    public String toString() {
        return "S3ArtifactStore[" + uri(prefix) + ", keyring=" + keyring + "]";
    }

    // ---- S3 operations, SDK failures as IOExceptions ----

    private String uri(String key) {
        return "s3://" + bucket + "/" + key;
    }

    private static IOException failure(String operation, String what, SdkException e) {
        return new IOException("S3 " + operation + " of " + what + " failed: " + e.getMessage(), e);
    }

    private static boolean notFound(SdkException e) {
        return e instanceof NoSuchKeyException || (e instanceof S3Exception s && s.statusCode() == 404);
    }

    /** The object's bytes; {@link NoSuchFileException} when there is no such object. */
    private InputStream get(String key) throws IOException {
        ResponseInputStream<GetObjectResponse> in;
        try {
            in = s3.getObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            if (notFound(e)) {
                throw new NoSuchFileException(uri(key));
            }
            throw failure("GetObject", uri(key), e);
        }
        return new Download(in);
    }

    private boolean exists(String key) throws IOException {
        try {
            s3.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (SdkException e) {
            if (notFound(e)) {
                return false;
            }
            throw failure("HeadObject", uri(key), e);
        }
    }

    private boolean anyUnder(String keyPrefix) throws IOException {
        try {
            ListObjectsV2Response page = s3.listObjectsV2(b -> b.bucket(bucket).prefix(keyPrefix).maxKeys(1));
            return page.hasContents() && !page.contents().isEmpty();
        } catch (SdkException e) {
            throw failure("ListObjectsV2", uri(keyPrefix), e);
        }
    }

    /** Every key under the prefix, listed page by page. */
    List<String> list(String keyPrefix) throws IOException {
        List<String> keys = new ArrayList<>();
        try {
            ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(bucket).prefix(keyPrefix).build();
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(request)) {
                for (S3Object object : page.contents()) {
                    keys.add(object.key());
                }
            }
        } catch (SdkException e) {
            throw failure("ListObjectsV2", uri(keyPrefix), e);
        }
        return keys;
    }

    private void deleteUnder(String keyPrefix) throws IOException {
        deleteKeys(list(keyPrefix));
    }

    /** Deletes these keys (missing ones are no error), in batches DeleteObjects accepts. */
    private void deleteKeys(List<String> keys) throws IOException {
        for (int from = 0; from < keys.size(); from += DELETE_BATCH) {
            List<ObjectIdentifier> batch = keys.subList(from, Math.min(keys.size(), from + DELETE_BATCH)).stream()
                    .map(k -> ObjectIdentifier.builder().key(k).build())
                    .toList();
            DeleteObjectsResponse response;
            try {
                response = s3.deleteObjects(b -> b.bucket(bucket).delete(Delete.builder().objects(batch).quiet(true).build()));
            } catch (SdkException e) {
                throw failure("DeleteObjects", batch.size() + " objects under " + uri(prefix), e);
            }
            if (response.hasErrors() && !response.errors().isEmpty()) {
                var first = response.errors().get(0);
                throw new IOException("S3 DeleteObjects failed for " + response.errors().size() + " of " + batch.size()
                        + " objects, e.g. " + uri(first.key()) + ": " + first.code() + " " + first.message());
            }
        }
    }

    private void put(String key, Path file, long length, String sha256Base64) throws IOException {
        try {
            s3.putObject(b -> b.bucket(bucket).key(key).contentLength(length).checksumSHA256(sha256Base64),
                    RequestBody.fromFile(file));
        } catch (SdkException e) {
            throw failure("PutObject", uri(key), e);
        }
    }

    private void put(String key, byte[] bytes) throws IOException {
        try {
            s3.putObject(b -> b.bucket(bucket).key(key).contentLength((long) bytes.length)
                    .checksumSHA256(Base64.getEncoder().encodeToString(sha256().digest(bytes))), RequestBody.fromBytes(bytes));
        } catch (SdkException e) {
            throw failure("PutObject", uri(key), e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A file on its way to the bucket: written to a temporary file under {@code <scratch>/.s3-upload/} and
     * hashed, then uploaded in one PutObject with its SHA-256 when closed. If writing it failed, closing it
     * uploads nothing.
     */
    private final class Upload extends OutputStream implements StoreWriter.Abortable {
        private final String key;
        private final Path temp;
        private final MessageDigest digest = sha256();
        private final OutputStream out;
        private long length;
        private boolean failed;
        private boolean closed;

        Upload(String key) throws IOException {
            this.key = key;
            Path dir = scratch.resolve(UPLOADS);
            Files.createDirectories(dir);
            this.temp = Files.createTempFile(dir, "upload-", ".part");
            try {
                this.out = new BufferedOutputStream(new DigestOutputStream(Files.newOutputStream(temp), digest), 1 << 16);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(temp);
                throw e;
            }
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (closed) {
                throw new IOException("stream to " + uri(key) + " is closed");
            }
            try {
                out.write(b, off, len);
                length += len;
            } catch (IOException | RuntimeException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public void flush() throws IOException {
            if (!closed) {
                out.flush();
            }
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                out.close();
                if (failed) {
                    throw new IOException("not uploading " + uri(key) + ": writing it failed");
                }
                put(key, temp, length, Base64.getEncoder().encodeToString(digest.digest()));
            } finally {
                Files.deleteIfExists(temp);
            }
        }

        /** Drops the temporary file; nothing is uploaded. */
        @Override
        public void abort() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try {
                out.close();
            } finally {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** An object being read; closing it before its end aborts the connection instead of draining it. */
    private static final class Download extends FilterInputStream {
        private final ResponseInputStream<?> response;
        private boolean eof;

        Download(ResponseInputStream<?> response) {
            super(response);
            this.response = response;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            eof |= b < 0;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            eof |= n < 0;
            return n;
        }

        @Override
        public void close() throws IOException {
            if (!eof) {
                response.abort();
            }
            super.close();
        }
    }

    private final class Writer extends StoreWriter {
        private final ArtifactId id;

        Writer(ArtifactId id) {
            super(id, compressionLevel, keyring);
            this.id = id;
        }

        @Override
        protected OutputStream openFile(String path) throws IOException {
            return new Upload(key(id, path));
        }

        @Override
        protected void publish(Manifest described) throws IOException {
            // last: its presence is what makes the artifact visible
            put(key(id, ArtifactFormat.MANIFEST), ArtifactFormat.JSON.writeValueAsBytes(described));
        }

        @Override
        protected void discardFiles() throws IOException {
            deleteUnder(artifactPrefix(id));
        }
    }
}
