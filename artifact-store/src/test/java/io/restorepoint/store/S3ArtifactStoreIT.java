package io.restorepoint.store;

import io.restorepoint.engine.artifact.ArtifactFormat;
import io.restorepoint.engine.artifact.ArtifactId;
import io.restorepoint.engine.artifact.ArtifactWriter;
import io.restorepoint.engine.artifact.FileSink;
import io.restorepoint.engine.artifact.Manifest;
import io.restorepoint.engine.artifact.crypto.ArtifactKeyException;
import io.restorepoint.engine.artifact.crypto.Keyring;
import io.restorepoint.engine.load.ArtifactCorruptException;
import io.restorepoint.engine.load.ArtifactVerifier;
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
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The S3 store against an in-process S3-compatible server (local-s3, in memory). */
class S3ArtifactStoreIT {

    static final String BUCKET = "rp-artifacts";
    static final String SECRET = "s3cr3t-never-shown";
    static final String SCHEMA = "CREATE TABLE `t` (`id` INT PRIMARY KEY, `name` VARCHAR(40))";

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

    static String key(int seed) {
        byte[] bytes = new byte[32];
        new Random(seed).nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** Enough rows for several 64 KiB segments once compressed and encrypted (random names do not compress). */
    static String inserts(int rows) {
        Random random = new Random(rows);
        StringBuilder sql = new StringBuilder();
        for (int i = 1; i <= rows; i++) {
            sql.append("INSERT INTO `t` VALUES (").append(i).append(", '").append(Long.toHexString(random.nextLong()))
                    .append(Long.toHexString(random.nextLong())).append("');\n");
        }
        return sql.toString();
    }

    static final int ROWS = 8_000;

    /** Writes a one-table artifact (a schema file and a compressed chunk) and commits it; returns what was committed. */
    static Manifest write(S3ArtifactStore store, ArtifactId id) throws IOException {
        try (ArtifactWriter writer = store.begin(id, "job-" + id.version())) {
            FileSink schema = writer.create(ArtifactFormat.schemaFile("t"));
            try (schema) {
                schema.write(SCHEMA.getBytes(StandardCharsets.UTF_8));
            }
            String chunkFile = ArtifactFormat.chunkFile("t", 1);
            FileSink chunk = writer.createCompressed(chunkFile);
            try (chunk) {
                chunk.write(inserts(ROWS).getBytes(StandardCharsets.UTF_8));
            }
            assertThat(store.manifest(id)).as("nothing is visible before the commit").isEmpty();
            assertThat(keys(store.artifactPrefix(id))).as("data objects are uploaded as each file is closed")
                    .containsExactly(store.artifactPrefix(id) + "data/t.00001.sql.zst", store.artifactPrefix(id) + "schema/t.sql");
            Manifest manifest = new Manifest(ArtifactFormat.VERSION, "restorepoint-test", id.project(), id.version(),
                    "job-" + id.version(), "shop", Instant.parse("2026-03-01T10:00:00Z"), Instant.parse("2026-03-01T10:00:05Z"),
                    new Manifest.Server("11.4.5-MariaDB", "mariadb"),
                    new Manifest.Consistency("single-transaction", null, "bin.000001", 4L, null, null, 1),
                    List.of(new Manifest.Table("t", ArtifactFormat.schemaFile("t"), schema.sha256(),
                            ROWS, List.of(new Manifest.Column("id", "int(11)", false, false),
                                    new Manifest.Column("name", "varchar(40)", true, false)),
                            List.of("id"), List.of(new Manifest.Chunk(chunkFile, ROWS, chunk.bytes(), chunk.sha256(), null)))),
                    ROWS, schema.bytes() + chunk.bytes(), null, List.of());
            writer.commit(manifest);
            return manifest;
        }
    }

    static String read(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static ArtifactKeyException keyFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ArtifactKeyException key) {
                return key;
            }
        }
        return null;
    }

    @Test
    void writesCommitsAndReadsBackAnArtifact() throws Exception {
        S3ArtifactStore store = store("restorepoint", Keyring.none());
        ArtifactId id = new ArtifactId("p1", 3);

        Manifest written = write(store, id);

        assertThat(keys("")).containsExactly(
                "restorepoint/p1/000003/data/t.00001.sql.zst",
                "restorepoint/p1/000003/manifest.json",
                "restorepoint/p1/000003/schema/t.sql");
        assertThat(store.manifest(id)).contains(written);
        assertThat(store.manifest(id).orElseThrow().encryption()).isNull();
        assertThat(store.manifest(new ArtifactId("p1", 4))).isEmpty();
        assertThat(read(store.open(id, "schema/t.sql"))).isEqualTo(SCHEMA);
        try (var plain = new com.github.luben.zstd.ZstdInputStream(store.open(id, "data/t.00001.sql.zst"))) {
            assertThat(new String(plain.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(inserts(ROWS));
        }
        ArtifactVerifier.verify(store, id, written);

        assertThatThrownBy(() -> store.openStored(id, "data/t.00002.sql.zst")).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("restorepoint/p1/000003/data/t.00002.sql.zst");
        for (String bad : new String[] {"../000002/manifest.json", "/etc/passwd", "data\\t.sql", "data/../../p2/x", ""}) {
            assertThatThrownBy(() -> store.openStored(id, bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        try (ArtifactWriter writer = store.begin(new ArtifactId("p1", 9), "job")) {
            assertThatThrownBy(() -> writer.create("../escape.sql")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> writer.commit(written)).as("a manifest of another version")
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(keys("restorepoint/p1/000009/")).isEmpty();
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
    void uncommittedWritesNeverBecomeVisible() throws Exception {
        S3ArtifactStore store = store("restorepoint/", Keyring.none());
        ArtifactId id = new ArtifactId("p2", 1);
        String prefix = "restorepoint/p2/000001/";

        // closed without a commit: everything it wrote is removed
        try (ArtifactWriter writer = store.begin(id, "job")) {
            try (OutputStream out = writer.create("schema/t.sql")) {
                out.write(SCHEMA.getBytes(StandardCharsets.UTF_8));
            }
            assertThat(keys(prefix)).hasSize(1);
        }
        assertThat(keys(prefix)).isEmpty();
        assertThat(store.manifest(id)).isEmpty();

        // a writer that crashed (never closed) leaves objects behind; the next attempt clears them
        ArtifactWriter crashed = store.begin(id, "job-a");
        try (OutputStream out = crashed.create("data/leftover.00001.sql.zst")) {
            out.write(new byte[1000]);
        }
        assertThat(keys(prefix)).containsExactly(prefix + "data/leftover.00001.sql.zst");
        assertThat(store.manifest(id)).isEmpty();
        ArtifactWriter retry = store.begin(id, "job-b");
        assertThat(keys(prefix)).as("leftovers of the crashed attempt").isEmpty();
        retry.close();

        Manifest manifest = write(store, id);
        assertThat(keys(prefix)).doesNotContain(prefix + "data/leftover.00001.sql.zst").contains(prefix + "manifest.json");
        assertThatThrownBy(() -> store.begin(id, "job-c")).isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining("already committed");
        assertThat(store.manifest(id)).contains(manifest);
        ArtifactVerifier.verify(store, id, manifest);
    }

    @Test
    void encryptedArtifactsAreCiphertextInTheBucket() throws Exception {
        Keyring k1 = Keyring.of("k1", Map.of("k1", key(1)));
        S3ArtifactStore store = store("enc", k1);
        ArtifactId id = new ArtifactId("secret", 1);
        Manifest written = write(store, id);

        Manifest committed = store.manifest(id).orElseThrow();
        assertThat(committed.encryption()).isEqualTo(new Manifest.Encryption(Keyring.ALGORITHM, "k1"));
        assertThat(committed).isEqualTo(written.withEncryption(ArtifactFormat.ENCRYPTED_VERSION, committed.encryption()));
        List<String> keys = keys("enc/secret/000001/");
        assertThat(keys).hasSize(3);
        for (String key : keys) {
            String stored = new String(object(key), StandardCharsets.ISO_8859_1);
            if (key.endsWith("/manifest.json")) {
                assertThat(stored).contains("\"k1\"").doesNotContain(key(1));
            } else {
                assertThat(stored).as(key).startsWith("RPE1").doesNotContain("CREATE TABLE").doesNotContain("INSERT");
            }
        }

        // the same key id with other material, and no keys at all: refused
        for (Keyring wrong : new Keyring[] {Keyring.of("k1", Map.of("k1", key(2))), Keyring.none()}) {
            S3ArtifactStore reader = store("enc", wrong);
            assertThatThrownBy(() -> ArtifactVerifier.verify(reader, id, committed))
                    .satisfies(e -> assertThat(keyFailure(e)).as("an ArtifactKeyException in " + e).isNotNull()
                            .hasMessageContaining("'k1'"));
        }

        // the right key, after a rotation
        S3ArtifactStore reader = store("enc", Keyring.of("k2", Map.of("k1", key(1), "k2", key(3))));
        ArtifactVerifier.verify(reader, id, committed);
        assertThat(read(reader.open(id, "schema/t.sql"))).isEqualTo(SCHEMA);
        try (var plain = new com.github.luben.zstd.ZstdInputStream(reader.open(id, "data/t.00001.sql.zst"))) {
            assertThat(new String(plain.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(inserts(ROWS));
        }
    }

    @Test
    void deleteRemovesEverything() throws Exception {
        S3ArtifactStore store = store("restorepoint", Keyring.none());
        ArtifactId id = new ArtifactId("p3", 7);
        ArtifactId other = new ArtifactId("p3", 8);
        write(store, id);
        write(store, other);

        assertThat(store.delete(id)).isTrue();
        assertThat(keys("restorepoint/p3/000007/")).isEmpty();
        assertThat(store.manifest(id)).isEmpty();
        assertThat(store.delete(id)).isFalse();
        assertThat(keys("restorepoint/p3/000008/")).as("another version is untouched").hasSize(3);

        // uncommitted leftovers are removed too, though nothing was committed there
        ArtifactWriter crashed = store.begin(new ArtifactId("p3", 9), "job");
        try (OutputStream out = crashed.create("schema/t.sql")) {
            out.write(1);
        }
        assertThat(store.delete(new ArtifactId("p3", 9))).isFalse();
        assertThat(keys("restorepoint/p3/000009/")).isEmpty();
    }

    @Test
    void deleteHandlesMoreObjectsThanOneBatch() throws Exception {
        S3ArtifactStore store = store("many", Keyring.none());
        ArtifactId id = new ArtifactId("big", 1);
        int files = S3ArtifactStore.DELETE_BATCH + 5;
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
    void stagedFilesAndFolders() throws Exception {
        S3ArtifactStore store = store("restorepoint", Keyring.none());
        try (OutputStream out = store.createStaged("imports/job1/data.sql.zst")) {
            out.write("INSERT INTO t VALUES (1);".getBytes(StandardCharsets.UTF_8));
        }
        try (OutputStream out = store.createStaged("imports/job1/meta.json")) {
            out.write("{}".getBytes(StandardCharsets.UTF_8));
        }
        try (OutputStream out = store.createStaged("imports/job10.json")) {
            out.write("{}".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(keys("restorepoint/.staging/")).containsExactly(
                "restorepoint/.staging/imports/job1/data.sql.zst",
                "restorepoint/.staging/imports/job1/meta.json",
                "restorepoint/.staging/imports/job10.json");

        assertThat(read(store.openStaged("imports/job1/data.sql.zst"))).isEqualTo("INSERT INTO t VALUES (1);");
        assertThat(store.existsStaged("imports/job1/data.sql.zst")).isTrue();
        assertThat(store.existsStaged("imports/job1")).as("a folder").isTrue();
        assertThat(store.existsStaged("imports/job1/")).isTrue();
        assertThat(store.existsStaged("imports/job")).as("a prefix of a name is no folder").isFalse();
        assertThat(store.existsStaged("imports/job2")).isFalse();
        assertThatThrownBy(() -> store.openStaged("imports/job2/data.sql.zst")).isInstanceOf(NoSuchFileException.class);
        for (String bad : new String[] {"../escape", "/abs", "imports\\x", "imports/../../x", "", "/"}) {
            assertThatThrownBy(() -> store.createStaged(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.deleteStaged(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }

        // a folder and everything in it, at once
        store.deleteStaged("imports/job1/");
        assertThat(store.existsStaged("imports/job1")).isFalse();
        assertThat(store.existsStaged("imports/job1/meta.json")).isFalse();
        assertThat(keys("restorepoint/.staging/")).containsExactly("restorepoint/.staging/imports/job10.json");

        // a single file; deleting what is not there is no error
        store.deleteStaged("imports/job10.json");
        store.deleteStaged("imports/nothing");
        assertThat(keys("restorepoint/.staging/")).isEmpty();
    }

    @Test
    void damagedOrMissingObjectsFailVerification() throws Exception {
        S3ArtifactStore store = store("restorepoint", Keyring.none());
        ArtifactId id = new ArtifactId("p4", 1);
        Manifest manifest = write(store, id);
        ArtifactVerifier.verify(store, id, manifest);

        String chunk = "restorepoint/p4/000001/data/t.00001.sql.zst";
        byte[] bytes = object(chunk);
        bytes[bytes.length / 2] ^= 0x01;
        raw.putObject(b -> b.bucket(BUCKET).key(chunk), RequestBody.fromBytes(bytes));
        assertThatThrownBy(() -> ArtifactVerifier.verify(store, id, manifest)).isInstanceOf(ArtifactCorruptException.class)
                .hasMessageContaining("data/t.00001.sql.zst").hasMessageContaining("SHA-256");

        raw.deleteObject(b -> b.bucket(BUCKET).key(chunk));
        assertThatThrownBy(() -> ArtifactVerifier.verify(store, id, manifest)).isInstanceOf(ArtifactCorruptException.class)
                .hasMessageContaining("missing");
    }

    @Test
    void encryptedDamageIsDetected() throws Exception {
        S3ArtifactStore store = store("enc-damage", Keyring.of("k1", Map.of("k1", key(1))));
        ArtifactId id = new ArtifactId("p5", 1);
        write(store, id);
        Manifest manifest = store.manifest(id).orElseThrow();
        String chunk = "enc-damage/p5/000001/data/t.00001.sql.zst";
        byte[] bytes = object(chunk);
        bytes[bytes.length - 5] ^= 0x10; // in the last segment
        raw.putObject(b -> b.bucket(BUCKET).key(chunk), RequestBody.fromBytes(bytes));
        assertThatThrownBy(() -> ArtifactVerifier.verify(store, id, manifest)).isInstanceOf(IOException.class)
                .hasMessageContaining("damaged")
                .satisfies(e -> assertThat(keyFailure(e)).as("damage is not blamed on the key").isNull());
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
