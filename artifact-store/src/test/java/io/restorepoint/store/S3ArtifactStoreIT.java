package io.restorepoint.store;

import io.restorepoint.engine.artifact.ArtifactId;
import io.restorepoint.engine.artifact.ArtifactStoreContract;
import io.restorepoint.engine.artifact.ArtifactWriter;
import io.restorepoint.engine.artifact.Manifest;
import io.restorepoint.engine.artifact.crypto.Keyring;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What only the S3 store has, against an in-process S3-compatible server (local-s3, in memory): its key layout,
 * upload checksums, batched deletes and its configuration. The store contract runs in {@link S3ArtifactStoreContractIT}.
 */
class S3ArtifactStoreIT {

    static final String BUCKET = "rp-artifacts";
    static final String SECRET = "s3cr3t-never-shown";

    static LocalS3Server server;
    static URI endpoint;
    /** A client of its own, for looking at (and damaging) what the store put in the bucket. */
    static S3Client raw;
    /** x-amz-checksum-sha256 of every PutObject the raw client sent, by key. */
    static final Map<String, String> sentChecksums = new ConcurrentHashMap<>();

    @TempDir
    Path scratch;
    final List<S3ArtifactStore> stores = new ArrayList<>();

    @BeforeAll
    static void startServer() {
        server = LocalS3Server.start();
        endpoint = server.endpoint();
        raw = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(Region.US_EAST_1)
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", SECRET)))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(c -> c.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                        var request = context.httpRequest();
                        if (request.method().name().equals("PUT")) {
                            request.firstMatchingHeader("x-amz-checksum-sha256")
                                    .ifPresent(sum -> sentChecksums.put(request.encodedPath(), sum));
                        }
                    }
                }))
                .build();
        raw.createBucket(b -> b.bucket(BUCKET));
    }

    @AfterAll
    static void stopServer() {
        if (raw != null) {
            raw.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void emptyBucket() {
        for (S3Object object : raw.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents()) {
            raw.deleteObject(b -> b.bucket(BUCKET).key(object.key()));
        }
    }

    @AfterEach
    void closeStores() {
        stores.forEach(S3ArtifactStore::close);
    }

    /** A store as the auto-configuration builds it, over its own client. */
    S3ArtifactStore store(String prefix, Keyring keyring) {
        var s3 = new StoreProperties.S3(BUCKET, prefix, "us-east-1", endpoint, true, "test", SECRET);
        S3ArtifactStore store = S3ArtifactStore.create(s3, scratch, 3, keyring);
        stores.add(store);
        return store;
    }

    static List<String> keys(String prefix) {
        return raw.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream().map(S3Object::key).sorted().toList();
    }

    static byte[] object(String key) {
        return raw.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
    }

    /** Writes the contract's one-table artifact and commits it; returns what was committed. */
    static Manifest write(S3ArtifactStore store, ArtifactId id) throws IOException {
        try (ArtifactWriter writer = store.begin(id, "job-" + id.version())) {
            Manifest manifest = ArtifactStoreContract.writeOneTable(writer, id);
            assertThat(keys(store.artifactPrefix(id))).as("data objects are uploaded as each file is closed")
                    .containsExactly(store.artifactPrefix(id) + "data/t.00001.sql.zst", store.artifactPrefix(id) + "schema/t.sql");
            writer.commit(manifest);
            return manifest;
        }
    }

    /** The medium's layout; what a store promises beyond it is {@link io.restorepoint.engine.artifact.ArtifactStoreContract}'s. */
    @Test
    void objectsAreLaidOutUnderTheKeyPrefix() throws Exception {
        S3ArtifactStore store = store("restorepoint", Keyring.none());
        ArtifactId id = new ArtifactId("p1", 3);

        Manifest written = write(store, id);

        assertThat(keys("")).containsExactly(
                "restorepoint/p1/000003/data/t.00001.sql.zst",
                "restorepoint/p1/000003/manifest.json",
                "restorepoint/p1/000003/schema/t.sql");
        assertThat(store.manifest(id)).contains(written);
        assertThatThrownBy(() -> store.openStored(id, "data/t.00002.sql.zst")).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("restorepoint/p1/000003/data/t.00002.sql.zst");
        try (OutputStream out = store.createStaged("imports/job1/data.sql.zst")) {
            out.write(1);
        }
        assertThat(keys("restorepoint/.staging/")).containsExactly("restorepoint/.staging/imports/job1/data.sql.zst");
        assertThat(store.toString()).doesNotContain(SECRET);
    }

    @Test
    void uploadsCarryTheSha256OfTheirBytes() throws Exception {
        // a store over a caller-built client: the raw one, which records the checksum header of every upload
        S3ArtifactStore store = new S3ArtifactStore(raw, BUCKET, "checked/", scratch, 1, Keyring.none());
        ArtifactId id = new ArtifactId("sums", 1);
        write(store, id);
        List<String> keys = keys("checked/sums/000001/");
        assertThat(keys).hasSize(3);
        for (String key : keys) {
            String expected = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(object(key)));
            assertThat(sentChecksums).as(key).containsEntry("/" + BUCKET + "/" + key, expected);
        }
        try (Stream<Path> left = Files.walk(scratch)) {
            assertThat(left.filter(Files::isRegularFile).toList()).as("temporary upload files are removed").isEmpty();
        }
    }

    @Test
    void deleteHandlesMoreObjectsThanOneBatch() throws Exception {
        S3ArtifactStore store = store("many", Keyring.none());
        ArtifactId id = new ArtifactId("big", 1);
        int files = S3Bucket.DELETE_BATCH + 5;
        for (int i = 0; i < files; i++) {
            String key = store.artifactPrefix(id) + "data/x." + i;
            raw.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(new byte[] {1}));
        }
        raw.putObject(b -> b.bucket(BUCKET).key(store.artifactPrefix(id) + "manifest.json"), RequestBody.fromString("{}"));
        assertThat(keys("many/big/000001/")).hasSize(files + 1);
        assertThat(store.delete(id)).isTrue();
        assertThat(keys("many/")).isEmpty();
    }

    @Test
    void theConfigurationIsCheckedAndTheSecretNeverShown() {
        for (String bucket : new String[] {null, "", "  "}) {
            var s3 = new StoreProperties.S3(bucket, "", "us-east-1", endpoint, true, "test", SECRET);
            assertThatThrownBy(() -> S3ArtifactStore.create(s3, scratch, 1, Keyring.none()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bucket").hasMessageNotContaining(SECRET);
        }
        var noSecret = new StoreProperties.S3(BUCKET, "", "us-east-1", endpoint, true, "test", " ");
        assertThatThrownBy(() -> S3ArtifactStore.create(noSecret, scratch, 1, Keyring.none()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("secret-key");
        assertThatThrownBy(() -> store("../up", Keyring.none())).isInstanceOf(IllegalArgumentException.class);
        assertThat(new StoreProperties.S3(BUCKET, "", "us-east-1", endpoint, true, "test", SECRET).toString()).doesNotContain(SECRET);
        assertThat(store("/lead/", Keyring.none()).prefix()).isEqualTo("lead/");
        assertThat(store("", Keyring.none()).prefix()).isEmpty();
    }
}
