package io.restorepoint.engine;

import io.r2dbc.spi.Connection;
import io.restorepoint.devinfra.Sql;
import io.restorepoint.engine.artifact.ArtifactId;
import io.restorepoint.engine.artifact.FileSystemArtifactStore;
import io.restorepoint.engine.artifact.Manifest;
import io.restorepoint.engine.dump.DumpOptions;
import io.restorepoint.engine.dump.DumpProgress;
import io.restorepoint.engine.dump.DumpRequest;
import io.restorepoint.engine.dump.Dumper;
import io.restorepoint.engine.sql.Statements;
import io.restorepoint.testsupport.SharedInfra;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The throttle holds a dump back: to a row rate, and while the server runs more threads than allowed. */
class ThrottleIT {

    @TempDir
    Path storeDir;

    private Manifest dump(String database, DumpOptions options, int version) {
        return new Dumper(EngineFixtures.endpoint().connectionFactory(null), new FileSystemArtifactStore(storeDir, 1), options)
                .dump(new DumpRequest(new ArtifactId(database, version), "job", database), new DumpProgress())
                .block(Duration.ofMinutes(1));
    }

    private static String table(int rows) {
        String database = SharedInfra.freshDatabase("throttle");
        Sql.execute(EngineFixtures.database(database), "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO t SELECT n, CONCAT('row ', n) FROM " + Sql.sequence(5) + " s WHERE n < " + rows,
                "ANALYZE TABLE t");
        return database;
    }

    @Test
    void aRowCapSpreadsTheDumpOverTime() {
        String database = table(30_000);
        DumpOptions options = DumpOptions.defaults().withConnections(1)
                .withThrottle(new DumpOptions.Throttle(10_000, 0));
        long started = System.nanoTime();
        Manifest manifest = dump(database, options, 1);
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertThat(manifest.totalRows()).isEqualTo(30_000);
        assertThat(manifest.tables().get(0).chunks()).as("chunks of at most a second's rows").hasSizeGreaterThanOrEqualTo(3);
        // 10,000 rows a second: the second chunk waits for second 1, the third for second 2
        assertThat(millis).as("30,000 rows at 10,000 rows/s").isGreaterThanOrEqualTo(1900);
    }

    @Test
    void aBusyServerHoldsTheNextChunkBack() throws InterruptedException {
        String database = table(5_000);
        // whatever else runs on the shared server (our own status query is one): the limit is what runs now
        int calm = Integer.parseInt(String.valueOf(Sql.query(EngineFixtures.database(database),
                "SHOW GLOBAL STATUS LIKE 'Threads_running'").get(0).get("Value")));
        Disposable sleeper = Mono.usingWhen(Mono.from(EngineFixtures.database(database).create()),
                (Connection c) -> Statements.execute(c, "SELECT SLEEP(3)"), Connection::close).subscribe();
        try {
            long started = System.nanoTime();
            while (((Number) Sql.scalar(EngineFixtures.database(database), "SELECT COUNT(*) FROM information_schema.PROCESSLIST "
                    + "WHERE INFO LIKE 'SELECT SLEEP(3)%'")).intValue() == 0) {
                Thread.sleep(20);
            }
            // the sleeper is one thread more than the calm server runs, until it ends
            Manifest manifest = dump(database, DumpOptions.defaults().withConnections(1)
                    .withThrottle(new DumpOptions.Throttle(0, calm)), 1);
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertThat(manifest.totalRows()).isEqualTo(5_000);
            assertThat(millis).as("waited for the busy server to calm down").isGreaterThanOrEqualTo(2500);
        } finally {
            sleeper.dispose();
        }
    }
}
