package io.restorepoint.store;

import io.restorepoint.engine.artifact.ArtifactId;
import io.restorepoint.engine.artifact.ArtifactStore;
import io.restorepoint.engine.artifact.ArtifactStoreContract;
import io.restorepoint.engine.artifact.crypto.Keyring;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The S3 store keeps the store contract, against an in-process S3-compatible server (one bucket per test):
 * what is left of an artifact is every object under its prefix plus every temporary upload file in the
 * scratch directory.
 */
class S3ArtifactStoreContractIT extends ArtifactStoreContract {

    static final String PREFIX = "rp/";
    static LocalS3Server server;

    @TempDir
    Path scratch;
    private final List<S3ArtifactStore> stores = new ArrayList<>();
    private String bucket;
    private S3Client raw;

    @BeforeAll
    static void startServer() {
        server = LocalS3Server.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void createBucket() {
        bucket = "contract-" + UUID.randomUUID().toString().substring(0, 8);
        raw = open(Keyring.none()).s3Client();
        raw.createBucket(b -> b.bucket(bucket));
    }

    @AfterEach
    void closeStores() {
        stores.forEach(S3ArtifactStore::close);
    }

    private S3ArtifactStore open(Keyring keyring) {
        var s3 = new StoreProperties.S3(bucket, PREFIX, "us-east-1", server.endpoint(), true, "test", "secret");
        S3ArtifactStore store = S3ArtifactStore.create(s3, scratch, 1, keyring);
        stores.add(store);
        return store;
    }

    @Override
    protected ArtifactStore store(Keyring keyring) {
        return open(keyring);
    }

    private List<String> keys(String prefix) {
        return raw.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .map(o -> o.key().substring(prefix.length())).sorted().toList();
    }

    private String artifact(ArtifactId id) {
        return PREFIX + id.project() + "/" + String.format("%06d", id.version()) + "/";
    }

    @Override
    protected List<String> leftovers(ArtifactId id) throws IOException {
        List<String> left = new ArrayList<>(keys(artifact(id)));
        Path uploads = scratch.resolve(S3Upload.UPLOADS);
        if (Files.exists(uploads)) {
            try (Stream<Path> files = Files.list(uploads)) {
                files.forEach(p -> left.add("scratch: " + p.getFileName()));
            }
        }
        return left;
    }

    @Override
    protected List<String> stored(ArtifactId id) {
        return keys(artifact(id));
    }

    @Override
    protected byte[] storedBytes(ArtifactId id, String file) {
        return raw.getObjectAsBytes(b -> b.bucket(bucket).key(artifact(id) + file)).asByteArray();
    }

    @Override
    protected void replaceStored(ArtifactId id, String file, byte[] bytes) {
        if (bytes == null) {
            raw.deleteObject(b -> b.bucket(bucket).key(artifact(id) + file));
        } else {
            raw.putObject(b -> b.bucket(bucket).key(artifact(id) + file), RequestBody.fromBytes(bytes));
        }
    }

    @Override
    protected List<String> staged() {
        return keys(PREFIX + ".staging/");
    }
}
