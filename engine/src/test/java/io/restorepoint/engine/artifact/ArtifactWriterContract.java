package io.restorepoint.engine.artifact;

import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link ArtifactStore}'s writer promises, whatever its medium: nothing is visible before the
 * commit, a commit is only of a complete artifact under its own id, and a discard stops every writer
 * before it removes, so a stopped job leaves nothing behind. A store's test extends this class (the
 * filesystem store here, the S3 store in artifact-store, through this module's test jar).
 */
public abstract class ArtifactWriterContract {

    /** The store under test, empty. */
    protected abstract ArtifactStore store() throws IOException;

    /** Every stored file or object of the artifact {@code id}, committed or not (temporary upload files too). */
    protected abstract List<String> leftovers(ArtifactId id) throws IOException;

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
