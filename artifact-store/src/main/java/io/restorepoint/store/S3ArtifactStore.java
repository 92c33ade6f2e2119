package io.restorepoint.store;

import io.restorepoint.engine.artifact.ArtifactFormat;
import io.restorepoint.engine.artifact.ArtifactId;
import io.restorepoint.engine.artifact.ArtifactStore;
import io.restorepoint.engine.artifact.ArtifactWriter;
import io.restorepoint.engine.artifact.Manifest;
import io.restorepoint.engine.artifact.StoreWriter;
import io.restorepoint.engine.artifact.crypto.Keyring;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
 * <p>
 * The writer's rules are {@link StoreWriter}'s and the layout is {@link io.restorepoint.engine.artifact.ArtifactLayout}'s
 * (as {@link S3Keys}); this class holds only what S3 adds: visibility by the manifest's presence, and the
 * delete order. The client is built by {@link S3Clients}, the calls are {@link S3Bucket}'s.
 */
public final class S3ArtifactStore implements ArtifactStore, AutoCloseable {

    private final S3Bucket bucket;
    private final S3Keys keys;
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
        Objects.requireNonNull(s3, "s3");
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("the S3 bucket of the artifact store is not set (restorepoint.store.s3.bucket)");
        }
        this.bucket = new S3Bucket(s3, bucket.strip());
        this.keys = new S3Keys(prefix);
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
        S3Client client = S3Clients.create(s3);
        try {
            return new S3ArtifactStore(client, s3.bucket(), s3.prefix(), scratch, compressionLevel, keyring);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    @Override
    public Keyring keyring() {
        return keyring;
    }

    public String bucket() {
        return bucket.name();
    }

    /** The key prefix, {@code ""} or ending in {@code /}. */
    public String prefix() {
        return keys.prefix();
    }

    /** The client (for tests that look at the bucket directly). */
    S3Client s3Client() {
        return bucket.client();
    }

    /** The key prefix of an artifact's objects, ending in {@code /}. */
    String artifactPrefix(ArtifactId id) {
        return keys.artifact(id);
    }

    /** Every key under the prefix. */
    List<String> list(String keyPrefix) throws IOException {
        return bucket.list(keyPrefix);
    }

    @Override
    public ArtifactWriter begin(ArtifactId id, String jobToken) throws IOException {
        String manifestKey = keys.file(id, ArtifactFormat.MANIFEST);
        if (bucket.exists(manifestKey)) {
            throw new FileAlreadyExistsException(bucket.uri(manifestKey), null, "artifact " + id + " is already committed");
        }
        bucket.deleteUnder(keys.artifact(id)); // leftovers of an attempt that crashed before its commit
        return new Writer(id);
    }

    @Override
    public Optional<Manifest> manifest(ArtifactId id) throws IOException {
        try (InputStream in = bucket.get(keys.file(id, ArtifactFormat.MANIFEST))) {
            return Optional.of(ArtifactFormat.JSON.readValue(in, Manifest.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public InputStream openStored(ArtifactId id, String file) throws IOException {
        return bucket.get(keys.file(id, file));
    }

    @Override
    public boolean delete(ArtifactId id) throws IOException {
        String manifestKey = keys.file(id, ArtifactFormat.MANIFEST);
        boolean existed = bucket.exists(manifestKey);
        if (existed) {
            // the manifest goes first: an interrupted delete leaves an invisible remainder, never a partial artifact
            bucket.delete(List.of(manifestKey));
        }
        bucket.deleteUnder(keys.artifact(id));
        return existed;
    }

    @Override
    public OutputStream createStaged(String path) throws IOException {
        return keyring.encrypting(new S3Upload(bucket, scratch, keys.staged(path)), path);
    }

    @Override
    public InputStream openStaged(String path) throws IOException {
        return keyring.decrypting(bucket.get(keys.staged(path)), path);
    }

    @Override
    public boolean existsStaged(String path) throws IOException {
        String key = keys.staged(path);
        return bucket.exists(key) || bucket.anyUnder(key + "/");
    }

    @Override
    public void deleteStaged(String path) throws IOException {
        String key = keys.staged(path);
        bucket.delete(List.of(key));
        bucket.deleteUnder(key + "/");
    }

    /** Closes the S3 client. */
    @Override
    public void close() {
        bucket.client().close();
    }

    @Override
    public String toString() {
        return "S3ArtifactStore[" + bucket.uri(keys.prefix()) + ", keyring=" + keyring + "]";
    }

    private final class Writer extends StoreWriter {
        private final ArtifactId id;

        Writer(ArtifactId id) {
            super(id, compressionLevel, keyring);
            this.id = id;
        }

        @Override
        protected OutputStream openFile(String path) throws IOException {
            return new S3Upload(bucket, scratch, keys.file(id, path));
        }

        @Override
        protected void publish(Manifest described) throws IOException {
            // last: its presence is what makes the artifact visible
            bucket.put(keys.file(id, ArtifactFormat.MANIFEST), ArtifactFormat.JSON.writeValueAsBytes(described));
        }

        @Override
        protected void discardFiles() throws IOException {
            bucket.deleteUnder(keys.artifact(id));
        }
    }
}
