package io.restorepoint.store;

import io.restorepoint.engine.artifact.ArtifactId;
import io.restorepoint.engine.artifact.ArtifactStore;
import io.restorepoint.engine.artifact.ArtifactWriterContract;
import io.restorepoint.engine.artifact.crypto.Keyring;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The S3 store keeps the writer contract, against an in-process S3-compatible server: what is left of an
 * artifact is every object under its prefix plus every temporary upload file in the scratch directory.
 */
class S3ArtifactWriterContractIT extends ArtifactWriterContract {

    static LocalS3Server server;

    @TempDir
    Path scratch;
    private final List<S3ArtifactStore> stores = new ArrayList<>();
    private S3ArtifactStore store;

    @BeforeAll
    static void startServer() {
        server = LocalS3Server.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void closeStores() {
        stores.forEach(S3ArtifactStore::close);
    }

    @Override
    protected ArtifactStore store() {
        String bucket = "contract-" + UUID.randomUUID().toString().substring(0, 8);
        var s3 = new StoreProperties.S3(bucket, "rp", "us-east-1", server.endpoint(), true, "test", "secret");
        store = S3ArtifactStore.create(s3, scratch, 1, Keyring.none());
        stores.add(store);
        store.s3Client().createBucket(b -> b.bucket(bucket));
        return store;
    }

    @Override
    protected List<String> leftovers(ArtifactId id) throws IOException {
        List<String> left = new ArrayList<>(store.s3Client().listObjectsV2Paginator(b -> b.bucket(store.bucket())
                .prefix(store.artifactPrefix(id))).contents().stream().map(o -> o.key()).toList());
        Path uploads = scratch.resolve(S3ArtifactStore.UPLOADS);
        if (Files.exists(uploads)) {
            try (Stream<Path> files = Files.list(uploads)) {
                files.forEach(p -> left.add("scratch: " + p.getFileName()));
            }
        }
        return left;
    }
}
