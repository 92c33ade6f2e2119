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
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writers move money between two tables while parallel dumps run; the total is invariant in every
 * committed state, so every dump must show exactly the starting total. A dump whose connections saw
 * different moments would (almost always) not.
 */
class ConsistencyIT {

    private static final long ACCOUNTS = 20_000;
    private static final long TOTAL = ACCOUNTS * 2 * 1000;

    @TempDir
    Path storeDir;

    @Test
    void parallelDumpsAreConsistentWhileWritersMoveMoney() throws Exception {
        String source = SharedInfra.freshDatabase("bank");
        var factory = EngineFixtures.database(source);
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
        try {
            FileSystemArtifactStore store = new FileSystemArtifactStore(storeDir, 1);
            DumpOptions options = DumpOptions.defaults().withConnections(3).withChunkRows(2000);
            Dumper dumper = new Dumper(EngineFixtures.endpoint().connectionFactory(null), store, options);
            for (int round = 1; round <= 4; round++) {
                long before = transfers.get();
                ArtifactId id = new ArtifactId("bank", round);
                Manifest manifest = dumper.dump(new DumpRequest(id, "job-" + round, source), new DumpProgress())
                        .block(Duration.ofMinutes(2));
                assertThat(manifest.consistency().method()).isEqualTo("synchronized-snapshot");
                String target = SharedInfra.freshDatabase("bank_copy");
                EngineFixtures.replay(store, id, target);
                long sum = ((Number) Sql.scalar(factory, "SELECT (SELECT SUM(amount) FROM " + target + ".checking) + "
                        + "(SELECT SUM(amount) FROM " + target + ".savings)")).longValue();
                assertThat(sum).as("round %d: total in the dump", round).isEqualTo(TOTAL);
                assertThat(transfers.get()).as("writers were moving money during round %d", round).isGreaterThan(before);
            }
        } finally {
            stop.set(true);
            running.dispose();
        }
        long live = ((Number) Sql.scalar(factory, "SELECT (SELECT SUM(amount) FROM checking) + (SELECT SUM(amount) FROM savings)"))
                .longValue();
        assertThat(live).isEqualTo(TOTAL);
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
