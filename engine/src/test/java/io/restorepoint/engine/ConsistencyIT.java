package io.restorepoint.engine;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.restorepoint.devinfra.DatabaseServer;
import io.restorepoint.devinfra.EmbeddedMariaDb;
import io.restorepoint.devinfra.Sql;
import io.restorepoint.engine.artifact.ArtifactId;
import io.restorepoint.engine.artifact.FileSystemArtifactStore;
import io.restorepoint.engine.artifact.Manifest;
import io.restorepoint.engine.connect.DatabaseEndpoint;
import io.restorepoint.engine.dump.DumpOptions;
import io.restorepoint.engine.dump.DumpProgress;
import io.restorepoint.engine.dump.DumpRequest;
import io.restorepoint.engine.dump.Dumper;
import io.restorepoint.engine.snapshot.ConsistencyMode;
import io.restorepoint.engine.sql.Statements;
import io.restorepoint.testsupport.SharedInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writers move money between two tables while parallel dumps run; the total is invariant in every committed
 * state, so every dump must show exactly the starting total, in every consistency mode. A dump whose
 * connections saw different moments would (almost always) not. Lock-free snapshots need a server that keeps a
 * binlog, so those run on an embedded MariaDB of their own with {@code --log-bin} (the shared test server keeps
 * none, like Debian's default); the same server shows that only the global lock waits for another database.
 */
class ConsistencyIT {

    private static final long ACCOUNTS = 20_000;
    private static final long TOTAL = ACCOUNTS * 2 * 1000;
    private static final AtomicInteger NAMES = new AtomicInteger();

    private static EmbeddedMariaDb binlogServer;

    @TempDir
    Path storeDir;

    @BeforeAll
    static void startBinlogServer() {
        binlogServer = EmbeddedMariaDb.startWithBinlog(SharedInfra.dir().resolve("mariadb-binlog"), 0);
    }

    @AfterAll
    static void stopBinlogServer() {
        if (binlogServer != null) {
            binlogServer.close();
        }
    }

    private static DatabaseServer serverFor(ConsistencyMode mode) {
        return mode == ConsistencyMode.LOCK_FREE ? binlogServer : SharedInfra.database();
    }

    private static String fresh(DatabaseServer server, String prefix) {
        String name = prefix + "_" + ProcessHandle.current().pid() + "_" + NAMES.incrementAndGet();
        server.createDatabase(name);
        return name;
    }

    private Dumper dumper(DatabaseServer server, DumpOptions options) {
        DatabaseEndpoint endpoint = new DatabaseEndpoint(server.host(), server.port(), server.user(), server.password());
        return new Dumper(endpoint.connectionFactory(null), new FileSystemArtifactStore(storeDir, 1), options);
    }

    @ParameterizedTest
    @EnumSource(ConsistencyMode.class)
    void parallelDumpsAreConsistentWhileWritersMoveMoney(ConsistencyMode mode) throws Exception {
        DatabaseServer server = serverFor(mode);
        String source = fresh(server, "bank");
        ConnectionFactory factory = server.connectionFactory(source);
        Sql.execute(factory,
                "CREATE TABLE checking (id INT PRIMARY KEY, amount BIGINT NOT NULL)",
                "CREATE TABLE savings (id INT PRIMARY KEY, amount BIGINT NOT NULL)",
                "INSERT INTO checking SELECT n, 1000 FROM " + Sql.sequence(5) + " t WHERE n < " + ACCOUNTS,
                "INSERT INTO savings SELECT n, 1000 FROM " + Sql.sequence(5) + " t WHERE n < " + ACCOUNTS,
                "ANALYZE TABLE checking, savings");

        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong transfers = new AtomicLong();
        Flux<Void> writers = Flux.range(0, 4).flatMap(w -> Mono.usingWhen(Mono.from(factory.create()),
                connection -> transferLoop(connection, stop, transfers), Connection::close));
        var running = writers.subscribe();
        int lockFree = 0;
        try {
            FileSystemArtifactStore store = new FileSystemArtifactStore(storeDir, 1);
            DumpOptions options = DumpOptions.defaults().withConnections(3).withChunkRows(2000).withConsistency(mode);
            Dumper dumper = dumper(server, options);
            for (int round = 1; round <= 4; round++) {
                long before = transfers.get();
                ArtifactId id = new ArtifactId("bank-" + mode.value(), round);
                Manifest manifest = dumper.dump(new DumpRequest(id, "job-" + round, source), new DumpProgress())
                        .block(Duration.ofMinutes(2));
                Manifest.Consistency consistency = manifest.consistency();
                assertThat(consistency.connections()).isEqualTo(3);
                switch (mode) {
                    case GLOBAL_LOCK -> assertThat(consistency.method()).isEqualTo("synchronized-snapshot");
                    case DATABASE_LOCK -> assertThat(consistency.method()).isEqualTo("database-locked-snapshot");
                    case LOCK_FREE -> {
                        // four writers commit thousands of times a second: the snapshots may differ every attempt,
                        // and then the database lock is taken, saying why
                        if (consistency.method().equals("compared-snapshots")) {
                            lockFree++;
                            assertThat(consistency.lockMillis()).isNull();
                            assertThat(consistency.binlogFile()).isNotBlank();
                        } else {
                            assertThat(consistency.method()).isEqualTo("database-locked-snapshot");
                            assertThat(consistency.note()).contains("different binlog positions");
                        }
                    }
                }
                String target = fresh(server, "bank_copy");
                EngineFixtures.replay(store, id, server.connectionFactory(target));
                long sum = ((Number) Sql.scalar(factory, "SELECT (SELECT SUM(amount) FROM " + target + ".checking) + "
                        + "(SELECT SUM(amount) FROM " + target + ".savings)")).longValue();
                assertThat(sum).as("%s round %d (%s, %s): total in the dump", mode, round, consistency.method(),
                        consistency.note()).isEqualTo(TOTAL);
                assertThat(transfers.get()).as("writers were moving money during round %d", round).isGreaterThan(before);
            }
        } finally {
            stop.set(true);
            running.dispose();
        }
        if (mode == ConsistencyMode.LOCK_FREE) {
            System.out.printf("lock-free: %d of 4 dumps under 4 writers opened equal snapshots without a lock%n", lockFree);
        }
        long live = ((Number) Sql.scalar(factory, "SELECT (SELECT SUM(amount) FROM checking) + (SELECT SUM(amount) FROM savings)"))
                .longValue();
        assertThat(live).isEqualTo(TOTAL);
    }

    @Test
    void lockFreeSnapshotsTakeNoLockAndRecordTheBinlogPositionTheyStandAt() {
        String source = fresh(binlogServer, "quiet");
        Sql.execute(binlogServer.connectionFactory(source), "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10))",
                "INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')");
        Map<String, Object> master = Sql.query(binlogServer.connectionFactory(null), "SHOW MASTER STATUS").get(0);

        Manifest manifest = dumper(binlogServer, DumpOptions.defaults().withConnections(2))
                .dump(new DumpRequest(new ArtifactId("quiet", 1), "job", source), new DumpProgress())
                .block(Duration.ofMinutes(1));

        Manifest.Consistency consistency = manifest.consistency();
        assertThat(consistency.method()).isEqualTo("compared-snapshots");
        assertThat(consistency.note()).isNull();
        assertThat(consistency.lockMillis()).isNull();
        assertThat(consistency.connections()).isEqualTo(2);
        assertThat(consistency.binlogFile()).isEqualTo(master.get("File"));
        assertThat(consistency.binlogPosition()).isEqualTo(((Number) master.get("Position")).longValue());
        assertThat(consistency.gtidSet()).as("MariaDB's GTID at that position").matches("\\d+-\\d+-\\d+(,\\d+-\\d+-\\d+)*");
        assertThat(manifest.totalRows()).isEqualTo(3);
    }

    @Test
    void onlyTheGlobalLockWaitsForAWriterOfAnotherDatabase() {
        String source = fresh(binlogServer, "mine");
        String other = fresh(binlogServer, "theirs");
        Sql.execute(binlogServer.connectionFactory(source), "CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1)");
        Sql.execute(binlogServer.connectionFactory(other), "CREATE TABLE busy (id INT PRIMARY KEY)");
        Connection holder = Mono.from(binlogServer.connectionFactory(other).create()).block();
        try {
            Statements.execute(holder, "LOCK TABLES busy WRITE").block();
            DumpOptions options = new DumpOptions(1000, 1 << 20, 1_000_000, 2, 1000, Duration.ofSeconds(60),
                    Duration.ofSeconds(2));
            int version = 0;
            for (ConsistencyMode mode : ConsistencyMode.values()) {
                long started = System.nanoTime();
                Manifest manifest = dumper(binlogServer, options.withConsistency(mode))
                        .dump(new DumpRequest(new ArtifactId("mine", ++version), "job", source), new DumpProgress())
                        .block(Duration.ofMinutes(1));
                long millis = (System.nanoTime() - started) / 1_000_000;
                Manifest.Consistency consistency = manifest.consistency();
                switch (mode) {
                    case GLOBAL_LOCK -> {
                        assertThat(consistency.method()).isEqualTo("single-transaction");
                        assertThat(consistency.note()).contains("global read lock not available");
                        assertThat(millis).as("waited for the global lock").isGreaterThanOrEqualTo(2000);
                    }
                    case DATABASE_LOCK -> {
                        assertThat(consistency.method()).isEqualTo("database-locked-snapshot");
                        assertThat(consistency.connections()).isEqualTo(2);
                        assertThat(consistency.lockMillis()).isLessThan(2000);
                    }
                    case LOCK_FREE -> {
                        assertThat(consistency.method()).isEqualTo("compared-snapshots");
                        assertThat(consistency.connections()).isEqualTo(2);
                    }
                }
                assertThat(manifest.totalRows()).isEqualTo(1);
            }
        } finally {
            Statements.execute(holder, "UNLOCK TABLES").onErrorResume(e -> Mono.empty()).block();
            Mono.from(holder.close()).block();
        }
    }

    private static Mono<Void> transferLoop(Connection connection, AtomicBoolean stop, AtomicLong transfers) {
        return Mono.defer(() -> {
            if (stop.get()) {
                return Mono.empty();
            }
            ThreadLocalRandom random = ThreadLocalRandom.current();
            long from = random.nextLong(ACCOUNTS);
            long to = random.nextLong(ACCOUNTS);
            int amount = random.nextInt(1, 50);
            return Statements.execute(connection, "START TRANSACTION")
                    .then(Statements.execute(connection, "UPDATE checking SET amount = amount - " + amount + " WHERE id = " + from))
                    .then(Statements.execute(connection, "UPDATE savings SET amount = amount + " + amount + " WHERE id = " + to))
                    .then(Statements.execute(connection, "COMMIT"))
                    .doOnSuccess(v -> transfers.incrementAndGet())
                    .then(transferLoop(connection, stop, transfers));
        });
    }
}
