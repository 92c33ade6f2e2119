package io.restorepoint.engine;

import io.restorepoint.devinfra.Sql;
import io.restorepoint.engine.artifact.ArtifactId;
import io.restorepoint.engine.artifact.FileSystemArtifactStore;
import io.restorepoint.engine.dump.DumpOptions;
import io.restorepoint.engine.dump.DumpProgress;
import io.restorepoint.engine.dump.DumpRequest;
import io.restorepoint.engine.dump.Dumper;
import io.restorepoint.testsupport.SharedInfra;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dump stopped from outside (the worker's phase timeout cancels it the same way) leaves nothing behind:
 * 50 dumps of one database over 3 connections, each stopped at another moment of its run, from before the
 * first file is opened to the last chunk. A dump stopped while it commits is committed whole.
 */
class DumpCancelIT {

    @TempDir
    Path root;

    @Test
    void aDumpStoppedAtAnyMomentLeavesNoFileBehind() throws Exception {
        String source = SharedInfra.freshDatabase("dump_cancel");
        Sql.execute(EngineFixtures.database(source),
                "CREATE TABLE log (id INT PRIMARY KEY, msg VARCHAR(200))",
                "INSERT INTO log SELECT n, REPEAT(CONCAT('line ', n, ' '), 8) FROM " + Sql.sequence(6) + " t WHERE n < 200000",
                "CREATE TABLE nokey (a INT, b VARCHAR(40))",
                "INSERT INTO nokey SELECT n, CONCAT('row ', n) FROM " + Sql.sequence(5) + " t WHERE n < 60000");
        FileSystemArtifactStore store = new FileSystemArtifactStore(root, 1);
        Dumper dumper = new Dumper(EngineFixtures.endpoint().connectionFactory(null), store,
                DumpOptions.defaults().withConnections(3).withChunkRows(10_000));

        // a warm-up dump, then one that times a whole run
        dumper.dump(new DumpRequest(new ArtifactId("cancel", 0), "job-0", source), new DumpProgress()).block(Duration.ofMinutes(2));
        long started = System.nanoTime();
        dumper.dump(new DumpRequest(new ArtifactId("cancel", 1), "job-1", source), new DumpProgress()).block(Duration.ofMinutes(2));
        long fullMicros = (System.nanoTime() - started) / 1000;

        int stopped = 0;
        for (int run = 2; run <= 51; run++) {
            ArtifactId id = new ArtifactId("cancel", run);
            // spread the stops over the whole run, from its first moments to past its usual end
            long stopAfter = Math.max(1, fullMicros * (run - 2) / 55);
            try {
                dumper.dump(new DumpRequest(id, "job-" + run, source), new DumpProgress())
                        .timeout(Duration.ofNanos(stopAfter * 1000), Mono.error(new TimeoutException("stopped")))
                        .block(Duration.ofMinutes(2));
                assertThat(store.manifest(id)).as("run %d finished before its stop", run).isPresent();
            } catch (RuntimeException e) {
                assertThat(e).hasRootCauseInstanceOf(TimeoutException.class);
                stopped++;
                if (store.manifest(id).isPresent()) {
                    // stopped while committing: the commit is not interrupted, so the artifact is whole (the worker
                    // then reports the job by what the store holds, see BackupJob)
                    assertThat(files(id)).as("run %d, committed as it was stopped", run)
                            .noneMatch(p -> p.toString().contains(".partial"));
                } else {
                    assertThat(files(id)).as("run %d stopped after %d µs of %d", run, stopAfter, fullMicros).isEmpty();
                }
            }
        }
        assertThat(stopped).as("runs stopped part-way, of 50 (a whole run took %d µs)", fullMicros).isGreaterThan(25);
        Thread.sleep(300); // a reader still draining its socket would write now, if anything could
        for (int run = 2; run <= 51; run++) {
            ArtifactId id = new ArtifactId("cancel", run);
            if (store.manifest(id).isEmpty()) {
                assertThat(files(id)).as("run %d, a while after its stop", run).isEmpty();
            }
        }
    }

    private List<Path> files(ArtifactId id) throws Exception {
        Path project = root.resolve(id.project());
        String version = String.format("%06d", id.version());
        try (Stream<Path> paths = Files.walk(project)) {
            return paths.filter(p -> p.getFileName().toString().contains(version)
                    || project.relativize(p).toString().contains(version + "/")
                    || project.relativize(p).toString().contains(version + ".partial/")).toList();
        }
    }
}
