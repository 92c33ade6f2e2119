package io.restorepoint.engine.artifact;

import io.restorepoint.engine.artifact.crypto.ArtifactKeyException;
import io.restorepoint.engine.artifact.crypto.Keyring;
import io.restorepoint.engine.load.ArtifactCorruptException;
import io.restorepoint.engine.load.ArtifactVerifier;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link ArtifactStore} promises, whatever its medium: nothing is visible before the commit, a
 * commit is only of a complete artifact under its own id, a discard stops every writer before it removes (so
 * a stopped job leaves nothing behind), the leftovers of a crashed attempt are cleared by the next one, files
 * are encrypted as stored and damage is found, names never escape the artifact or the staging area, and
 * staged files and folders behave alike. A store's test extends this class (the filesystem store in this
 * module, the S3 store in artifact-store, through this module's test jar), giving only the medium's view.
 */
public abstract class ArtifactStoreContract {

    /**
     * A store over this test's medium (empty when the test starts; every call in one test sees the same
     * artifacts), encrypting new artifacts with the keyring's current key.
     */
    protected abstract ArtifactStore store(Keyring keyring) throws IOException;

    /** Every stored file or object of the artifact {@code id}, committed or not (temporary upload files too). */
    protected abstract List<String> leftovers(ArtifactId id) throws IOException;

    /** The files of the artifact {@code id} as the medium holds them, committed or being written, relative to the artifact, sorted. */
    protected abstract List<String> stored(ArtifactId id) throws IOException;

    /** The bytes the medium holds for a file of an artifact. */
    protected abstract byte[] storedBytes(ArtifactId id, String file) throws IOException;

    /** Replaces a stored file of an artifact behind the store's back (damage); {@code null} removes it. */
    protected abstract void replaceStored(ArtifactId id, String file, byte[] bytes) throws IOException;

    /** The files of the staging area as the medium holds them, relative to it, sorted. */
    protected abstract List<String> staged() throws IOException;

    /** The store under test, without keys. */
    protected ArtifactStore store() throws IOException {
        return store(Keyring.none());
    }

    private static final byte[] BLOCK = new byte[8192];

    static {
        new Random(7).nextBytes(BLOCK); // incompressible: every write reaches the medium soon
    }

    @Test
    void nothingIsVisibleBeforeTheCommitAndAllOfItAfter() throws Exception {
        ArtifactStore store = store();
        ArtifactId id = new ArtifactId("contract", 1);
        try (ArtifactWriter writer = store.begin(id, "job-1")) {
            FileSink schema = writer.create("schema/t.sql");
            try (schema) {
                schema.write("CREATE TABLE t (id INT)".getBytes(StandardCharsets.UTF_8));
            }
            assertThat(store.manifest(id)).isEmpty();
            writer.commit(manifest(id, schema));
        }
        assertThat(store.manifest(id)).isPresent();
        try (var in = store.open(id, "schema/t.sql")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("CREATE TABLE t (id INT)");
        }
        assertThatThrownBy(() -> store.begin(id, "job-2")).as("a committed version is never written again")
                .isInstanceOf(IOException.class);
    }

    @Test
    void aCommitIsRefusedUnderAnotherIdOrWhileAFileIsStillOpen() throws Exception {
        ArtifactStore store = store();
        ArtifactId id = new ArtifactId("contract", 2);
        try (ArtifactWriter writer = store.begin(id, "job-2")) {
            FileSink open = writer.createCompressed("data/t.00000.sql.zst");
            open.write(BLOCK);
            FileSink schema = writer.create("schema/t.sql");
            schema.close();
            assertThatThrownBy(() -> writer.commit(manifest(new ArtifactId("contract", 3), schema)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("committed as contract@v2");
            assertThatThrownBy(() -> writer.commit(manifest(id, schema)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("data/t.00000.sql.zst");
        }
        assertThat(store.manifest(id)).isEmpty();
        assertThat(leftovers(id)).as("a writer closed without a commit leaves nothing").isEmpty();
    }

    /**
     * Writers on several threads keep opening, filling and closing files while another thread discards
     * the artifact, at a different moment in each repetition: once the discard returns, nothing of the
     * artifact is stored, and nothing appears afterwards, however the writers carry on.
     */
    @RepeatedTest(50)
    void aDiscardStopsEveryWriterFirstSoNothingIsLeftBehind(RepetitionInfo repetition) throws Exception {
        ArtifactStore store = store();
        ArtifactId id = new ArtifactId("contract", 100 + repetition.getCurrentRepetition());
        ArtifactWriter writer = store.begin(id, "job");
        int threads = 3;
        CountDownLatch started = new CountDownLatch(threads);
        AtomicInteger closedFiles = new AtomicInteger();
        AtomicReference<Throwable> unexpected = new AtomicReference<>();
        AtomicBoolean giveUp = new AtomicBoolean();
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread w = new Thread(() -> {
                started.countDown();
                try {
                    // bounded, so a store that never refuses cannot fill the disk: the test fails instead
                    for (int file = 0; file < 200 && !giveUp.get(); file++) {
                        FileSink sink = writer.createCompressed("data/t" + thread + "." + String.format("%05d", file) + ".sql.zst");
                        for (int block = 0; block < 4; block++) {
                            sink.write(BLOCK);
                        }
                        sink.close();
                        closedFiles.incrementAndGet();
                    }
                } catch (IOException refused) {
                    // the discard refuses every write, open and close from its first moment on
                } catch (Throwable e) {
                    unexpected.set(e);
                }
            }, "contract-writer-" + t);
            writers.add(w);
            w.start();
        }
        started.await();
        // repetitions discard at spread-out moments: before any file is closed, and after several
        TimeUnit.MICROSECONDS.sleep((repetition.getCurrentRepetition() * 397L) % 20_000);
        writer.close();
        List<String> rightAfter = leftovers(id);
        boolean stoppedByTheDiscard = true;
        for (Thread w : writers) {
            w.join(TimeUnit.SECONDS.toMillis(5));
            stoppedByTheDiscard &= !w.isAlive();
        }
        giveUp.set(true);
        for (Thread w : writers) {
            w.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertThat(rightAfter).as("stored right after the discard returned (%d files closed)", closedFiles.get()).isEmpty();
        assertThat(stoppedByTheDiscard).as("every writer was refused once the artifact was discarded").isTrue();
        assertThat(unexpected.get()).isNull();
        assertThat(leftovers(id)).as("stored after the writers gave up").isEmpty();
        assertThat(store.manifest(id)).isEmpty();
        assertThatThrownBy(() -> writer.create("late.sql")).isInstanceOf(IOException.class).hasMessageContaining("discarded");
    }

    // ---- the whole store: from S3ArtifactStoreIT, which held them for S3 alone ----

    public static final String SCHEMA = "CREATE TABLE `t` (`id` INT PRIMARY KEY, `name` VARCHAR(40))";
    public static final int ROWS = 8_000;

    /** A 32-byte key, base64, the same for the same seed. */
    public static String key(int seed) {
        byte[] bytes = new byte[32];
        new Random(seed).nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** Enough rows for several 64 KiB segments once compressed and encrypted (random names do not compress). */
    public static String inserts(int rows) {
        Random random = new Random(rows);
        StringBuilder sql = new StringBuilder();
        for (int i = 1; i <= rows; i++) {
            sql.append("INSERT INTO `t` VALUES (").append(i).append(", '").append(Long.toHexString(random.nextLong()))
                    .append(Long.toHexString(random.nextLong())).append("');\n");
        }
        return sql.toString();
    }

    /** Writes a one-table artifact (a schema file and a compressed chunk) and commits it; returns what was committed. */
    protected Manifest write(ArtifactStore store, ArtifactId id) throws IOException {
        try (ArtifactWriter writer = store.begin(id, "job-" + id.version())) {
            Manifest manifest = writeOneTable(writer, id);
            assertThat(store.manifest(id)).as("nothing is visible before the commit").isEmpty();
            assertThat(stored(id)).as("files are stored as each is closed")
                    .containsExactly("data/t.00001.sql.zst", "schema/t.sql");
            writer.commit(manifest);
            return manifest;
        }
    }

    /**
     * Writes the files of a one-table artifact ({@link #SCHEMA} and {@link #ROWS} rows in one compressed chunk)
     * and returns its manifest, not yet committed.
     */
    public static Manifest writeOneTable(ArtifactWriter writer, ArtifactId id) throws IOException {
        FileSink schema = writer.create(ArtifactFormat.schemaFile("t"));
        try (schema) {
            schema.write(SCHEMA.getBytes(StandardCharsets.UTF_8));
        }
        String chunkFile = ArtifactFormat.chunkFile("t", 1);
        FileSink chunk = writer.createCompressed(chunkFile);
        try (chunk) {
            chunk.write(inserts(ROWS).getBytes(StandardCharsets.UTF_8));
        }
        return new Manifest(ArtifactFormat.VERSION, "restorepoint-test", id.project(), id.version(),
                "job-" + id.version(), "shop", Instant.parse("2026-03-01T10:00:00Z"), Instant.parse("2026-03-01T10:00:05Z"),
                new Manifest.Server("11.4.5-MariaDB", "mariadb"),
                new Manifest.Consistency("single-transaction", null, "bin.000001", 4L, null, null, 1),
                List.of(new Manifest.Table("t", ArtifactFormat.schemaFile("t"), schema.sha256(),
                        ROWS, List.of(new Manifest.Column("id", "int(11)", false, false),
                                new Manifest.Column("name", "varchar(40)", true, false)),
                        List.of("id"), List.of(new Manifest.Chunk(chunkFile, ROWS, chunk.bytes(), chunk.sha256(), null)))),
                ROWS, schema.bytes() + chunk.bytes(), null, List.of());
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
        ArtifactStore store = store();
        ArtifactId id = new ArtifactId("p1", 3);

        Manifest written = write(store, id);

        assertThat(stored(id)).containsExactly("data/t.00001.sql.zst", ArtifactFormat.MANIFEST, "schema/t.sql");
        assertThat(store.manifest(id)).contains(written);
        assertThat(store.manifest(id).orElseThrow().encryption()).isNull();
        assertThat(store.manifest(new ArtifactId("p1", 4))).isEmpty();
        assertThat(read(store.open(id, "schema/t.sql"))).isEqualTo(SCHEMA);
        try (var plain = new com.github.luben.zstd.ZstdInputStream(store.open(id, "data/t.00001.sql.zst"))) {
            assertThat(new String(plain.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(inserts(ROWS));
        }
        ArtifactVerifier.verify(store, id, written);

        assertThatThrownBy(() -> store.openStored(id, "data/t.00002.sql.zst")).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("p1/000003/data/t.00002.sql.zst");
        for (String bad : new String[] {"../000002/manifest.json", "/etc/passwd", "data\\t.sql", "data/../../p2/x", "", "."}) {
            assertThatThrownBy(() -> store.openStored(id, bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        try (ArtifactWriter writer = store.begin(new ArtifactId("p1", 9), "job")) {
            for (String bad : new String[] {"../escape.sql", "/abs.sql", "data\\t.sql", ""}) {
                assertThatThrownBy(() -> writer.create(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
            }
            assertThatThrownBy(() -> writer.commit(written)).as("a manifest of another version")
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(leftovers(new ArtifactId("p1", 9))).isEmpty();
    }

    @Test
    void uncommittedWritesNeverBecomeVisible() throws Exception {
        ArtifactStore store = store();
        ArtifactId id = new ArtifactId("p2", 1);

        // closed without a commit: everything it wrote is removed
        try (ArtifactWriter writer = store.begin(id, "job")) {
            try (OutputStream out = writer.create("schema/t.sql")) {
                out.write(SCHEMA.getBytes(StandardCharsets.UTF_8));
            }
            assertThat(stored(id)).hasSize(1);
        }
        assertThat(stored(id)).isEmpty();
        assertThat(store.manifest(id)).isEmpty();

        // a writer that crashed (never closed) leaves files behind; the next attempt clears them
        ArtifactWriter crashed = store.begin(id, "job-a");
        try (OutputStream out = crashed.create("data/leftover.00001.sql.zst")) {
            out.write(new byte[1000]);
        }
        assertThat(stored(id)).containsExactly("data/leftover.00001.sql.zst");
        assertThat(store.manifest(id)).isEmpty();
        assertThat(store(Keyring.none()).manifest(id)).as("nor to another instance over the same medium").isEmpty();
        ArtifactWriter retry = store.begin(id, "job-b");
        assertThat(stored(id)).as("leftovers of the crashed attempt").isEmpty();
        retry.close();

        Manifest manifest = write(store, id);
        assertThat(stored(id)).doesNotContain("data/leftover.00001.sql.zst").contains(ArtifactFormat.MANIFEST);
        assertThatThrownBy(() -> store.begin(id, "job-c")).isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining("already committed");
        assertThat(store.manifest(id)).contains(manifest);
        ArtifactVerifier.verify(store, id, manifest);
    }

    @Test
    void encryptedArtifactsAreCiphertextAsStored() throws Exception {
        Keyring k1 = Keyring.of("k1", Map.of("k1", key(1)));
        ArtifactStore store = store(k1);
        ArtifactId id = new ArtifactId("secret", 1);
        Manifest written = write(store, id);

        Manifest committed = store.manifest(id).orElseThrow();
        assertThat(committed.encryption()).isEqualTo(new Manifest.Encryption(Keyring.ALGORITHM, "k1"));
        assertThat(committed).isEqualTo(written.withEncryption(ArtifactFormat.ENCRYPTED_VERSION, committed.encryption()));
        List<String> files = stored(id);
        assertThat(files).hasSize(3);
        for (String file : files) {
            String bytes = new String(storedBytes(id, file), StandardCharsets.ISO_8859_1);
            if (file.equals(ArtifactFormat.MANIFEST)) {
                assertThat(bytes).contains("\"k1\"").doesNotContain(key(1));
            } else {
                assertThat(bytes).as(file).startsWith("RPE1").doesNotContain("CREATE TABLE").doesNotContain("INSERT");
            }
        }

        // the same key id with other material, and no keys at all: refused
        for (Keyring wrong : new Keyring[] {Keyring.of("k1", Map.of("k1", key(2))), Keyring.none()}) {
            ArtifactStore reader = store(wrong);
            assertThatThrownBy(() -> ArtifactVerifier.verify(reader, id, committed))
                    .satisfies(e -> assertThat(keyFailure(e)).as("an ArtifactKeyException in " + e).isNotNull()
                            .hasMessageContaining("'k1'"));
        }

        // the right key, after a rotation
        ArtifactStore reader = store(Keyring.of("k2", Map.of("k1", key(1), "k2", key(3))));
        ArtifactVerifier.verify(reader, id, committed);
        assertThat(read(reader.open(id, "schema/t.sql"))).isEqualTo(SCHEMA);
        try (var plain = new com.github.luben.zstd.ZstdInputStream(reader.open(id, "data/t.00001.sql.zst"))) {
            assertThat(new String(plain.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(inserts(ROWS));
        }
    }

    @Test
    void deleteRemovesEverything() throws Exception {
        ArtifactStore store = store();
        ArtifactId id = new ArtifactId("p3", 7);
        ArtifactId other = new ArtifactId("p3", 8);
        write(store, id);
        write(store, other);

        assertThat(store.delete(id)).isTrue();
        assertThat(leftovers(id)).isEmpty();
        assertThat(store.manifest(id)).isEmpty();
        assertThat(store.delete(id)).isFalse();
        assertThat(stored(other)).as("another version is untouched").hasSize(3);

        // uncommitted leftovers are removed too, though nothing was committed there
        ArtifactId crashedId = new ArtifactId("p3", 9);
        ArtifactWriter crashed = store.begin(crashedId, "job");
        try (OutputStream out = crashed.create("schema/t.sql")) {
            out.write(1);
        }
        assertThat(store.delete(crashedId)).isFalse();
        assertThat(leftovers(crashedId)).isEmpty();
    }

    @Test
    void stagedFilesAndFolders() throws Exception {
        ArtifactStore store = store();
        try (OutputStream out = store.createStaged("imports/job1/data.sql.zst")) {
            out.write("INSERT INTO t VALUES (1);".getBytes(StandardCharsets.UTF_8));
        }
        try (OutputStream out = store.createStaged("imports/job1/meta.json")) {
            out.write("{}".getBytes(StandardCharsets.UTF_8));
        }
        try (OutputStream out = store.createStaged("imports/job10.json")) {
            out.write("{}".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(staged()).containsExactly("imports/job1/data.sql.zst", "imports/job1/meta.json", "imports/job10.json");

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
            assertThatThrownBy(() -> store.openStaged(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.existsStaged(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }

        // a folder and everything in it, at once
        store.deleteStaged("imports/job1/");
        assertThat(store.existsStaged("imports/job1")).isFalse();
        assertThat(store.existsStaged("imports/job1/meta.json")).isFalse();
        assertThat(staged()).containsExactly("imports/job10.json");

        // a single file; deleting what is not there is no error
        store.deleteStaged("imports/job10.json");
        store.deleteStaged("imports/nothing");
        assertThat(staged()).isEmpty();
    }

    @Test
    void stagedFilesAreEncryptedLikeArtifactFiles() throws Exception {
        ArtifactStore store = store(Keyring.of("k1", Map.of("k1", key(1))));
        try (OutputStream out = store.createStaged("imports/job1/data.sql")) {
            out.write("INSERT INTO t VALUES (1);".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(read(store.openStaged("imports/job1/data.sql"))).isEqualTo("INSERT INTO t VALUES (1);");
        assertThatThrownBy(() -> read(store(Keyring.none()).openStaged("imports/job1/data.sql")))
                .satisfies(e -> assertThat(keyFailure(e)).as("an ArtifactKeyException in " + e).isNotNull());
    }

    @Test
    void damagedOrMissingFilesFailVerification() throws Exception {
        ArtifactStore store = store();
        ArtifactId id = new ArtifactId("p4", 1);
        Manifest manifest = write(store, id);
        ArtifactVerifier.verify(store, id, manifest);

        String chunk = "data/t.00001.sql.zst";
        byte[] bytes = storedBytes(id, chunk);
        bytes[bytes.length / 2] ^= 0x01;
        replaceStored(id, chunk, bytes);
        assertThatThrownBy(() -> ArtifactVerifier.verify(store, id, manifest)).isInstanceOf(ArtifactCorruptException.class)
                .hasMessageContaining("data/t.00001.sql.zst").hasMessageContaining("SHA-256");

        replaceStored(id, chunk, null);
        assertThatThrownBy(() -> ArtifactVerifier.verify(store, id, manifest)).isInstanceOf(ArtifactCorruptException.class)
                .hasMessageContaining("missing");
    }

    @Test
    void encryptedDamageIsDetected() throws Exception {
        ArtifactStore store = store(Keyring.of("k1", Map.of("k1", key(1))));
        ArtifactId id = new ArtifactId("p5", 1);
        write(store, id);
        Manifest manifest = store.manifest(id).orElseThrow();
        String chunk = "data/t.00001.sql.zst";
        byte[] bytes = storedBytes(id, chunk);
        bytes[bytes.length - 5] ^= 0x10; // in the last segment
        replaceStored(id, chunk, bytes);
        assertThatThrownBy(() -> ArtifactVerifier.verify(store, id, manifest)).isInstanceOf(IOException.class)
                .hasMessageContaining("damaged")
                .satisfies(e -> assertThat(keyFailure(e)).as("damage is not blamed on the key").isNull());
    }

    private static Manifest manifest(ArtifactId id, FileSink schema) {
        return new Manifest(ArtifactFormat.VERSION, "contract-test", id.project(), id.version(), "job-" + id.version(), "db",
                Instant.parse("2026-12-01T10:00:00Z"), Instant.parse("2026-12-01T10:00:01Z"),
                new Manifest.Server("11.4.5-MariaDB", "mariadb"),
                new Manifest.Consistency("single-transaction", null, null, null, null, null, 1),
                List.of(new Manifest.Table("t", "schema/t.sql", schema.sha256(), 0,
                        List.of(new Manifest.Column("id", "int(11)", true, false)), List.of(), List.of())),
                0, schema.bytes(), null, List.of());
    }
}
