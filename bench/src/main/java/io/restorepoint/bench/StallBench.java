package io.restorepoint.bench;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.restorepoint.demo.ScrapDemo;
import io.restorepoint.devinfra.DatabaseServer;
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
import reactor.core.publisher.Mono;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How long other work on the server waits because a backup runs: the writers' stall, per consistency mode.
 * Two writers insert one row at a time (autocommit) in a loop: one in another database of the same server, one
 * in the database being backed up. A backup of that database (the same {@link Dumper} the worker runs, 2
 * connections) runs in each mode, and once with no backup as the baseline; the writers' latencies during the
 * backup are reported (p50, p99, p99.9, max). The second scenario adds what turns FLUSH TABLES WITH READ LOCK
 * into an outage on a shared server: a 3-second batch UPDATE on a third database, running when the backup
 * starts (the global lock waits for it, and every writer of the server waits behind the lock). The writers
 * have their own event loop, so the dump's work in this JVM does not delay them: what they measure is the
 * server.
 * <p>
 * {@code bench/run-stall-bench.sh [--rows N]}; a command you run, it asserts nothing.
 */
public final class StallBench {

    private static final String HOST = "127.0.0.1";
    private static final int PORT = 3306;
    private static final String DATABASE = "stall_demo";
    private static final String OTHER = "stall_other";
    private static final String REPORTS = "stall_reports";
    private static final double REPORT_SECONDS = 3.0;

    private final DatabaseServer db = DatabaseServer.external(HOST, PORT, "app", "app");
    private final long rows;
    private final Path work;

    private StallBench(long rows, Path work) {
        this.rows = rows;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        long rows = 1_000_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rows" -> rows = Long.parseLong(BenchRunner.require("--rows", i + 1 < args.length ? args[++i] : null));
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (--rows N)");
            }
        }
        StallBench bench = new StallBench(rows, BenchRunner.workDir("stall-work"));
        BenchRunner.runAndExit(bench::run, bench::cleanUp);
    }

    private int run() throws Exception {
        prepare();
        Object binlog = Sql.query(db.connectionFactory(null), "SHOW GLOBAL VARIABLES LIKE 'log_bin'").get(0).get("Value");
        System.out.printf(Locale.ROOT, "server %s, log_bin=%s (lock-free needs it; without it lock-free takes the database lock)%n",
                Sql.scalar(db.connectionFactory(null), "SELECT VERSION()"), binlog);
        DatabaseEndpoint endpoint = new DatabaseEndpoint(HOST, PORT, "app", "app");
        Dumper warm = new Dumper(endpoint.connectionFactory(null), new FileSystemArtifactStore(work.resolve("warm"), 1),
                DumpOptions.defaults().withConnections(2));
        warm.warmUp(300_000).block();

        List<String> lines = new ArrayList<>();
        int version = 0;
        for (boolean report : new boolean[] {false, true}) {
            for (ConsistencyMode mode : new ConsistencyMode[] {null, ConsistencyMode.GLOBAL_LOCK, ConsistencyMode.DATABASE_LOCK,
                    ConsistencyMode.LOCK_FREE}) {
                lines.add(round(endpoint, report, mode, ++version));
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "writer stall during a backup of %s (%,d rows each in pesaje and auditoria), 2 connections%n",
                DATABASE, rows);
        System.out.printf(Locale.ROOT, "%-22s %-14s %-26s %8s %7s | %-34s | %-34s%n", "scenario", "mode", "method",
                "backup s", "lock ms", "writer, other database: p50/p99/p99.9/max ms", "writer, same database: p50/p99/p99.9/max ms");
        lines.forEach(System.out::println);
        return 0;
    }

    private String round(DatabaseEndpoint endpoint, boolean report, ConsistencyMode mode, int version) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        Writer other = new Writer(writerConnection(OTHER), stop);
        Writer own = new Writer(writerConnection(DATABASE), stop);
        Thread a = start("writer-other", other);
        Thread b = start("writer-own", own);
        Thread.sleep(1000);
        Thread reporter = null;
        if (report) {
            reporter = start("batch", () -> Sql.execute(db.connectionFactory(REPORTS),
                    "UPDATE r SET v = v + 1 WHERE SLEEP(0.001) = 0"));
            Thread.sleep(300);
        }
        long from = System.nanoTime();
        String method = "-";
        String lock = "-";
        if (mode == null) {
            Thread.sleep(report ? 6000 : 4000);
        } else {
            Path store = work.resolve("store-" + version);
            Manifest manifest = new Dumper(endpoint.connectionFactory(null), new FileSystemArtifactStore(store, 1),
                    DumpOptions.defaults().withConnections(2).withConsistency(mode))
                    .dump(new DumpRequest(new ArtifactId("stall", version), "stall-" + version, DATABASE), new DumpProgress())
                    .block(Duration.ofMinutes(30));
            method = manifest.consistency().method();
            lock = manifest.consistency().lockMillis() == null ? "none" : String.valueOf(manifest.consistency().lockMillis());
            BenchFiles.deleteTree(store);
        }
        long to = System.nanoTime();
        if (reporter != null) {
            reporter.join();
        }
        stop.set(true);
        a.join();
        b.join();
        return String.format(Locale.ROOT, "%-22s %-14s %-26s %8.1f %7s | %-34s | %-34s",
                report ? "3 s batch UPDATE" : "quiet", mode == null ? "no backup" : mode.value(), method,
                (to - from) / 1e9, lock, other.summary(from, to), own.summary(from, to));
    }

    /** A connection factory for the writers, on an event loop of their own (the dump's loops are busy). */
    private ConnectionFactory writerConnection(String database) {
        return io.asyncer.r2dbc.mysql.MySqlConnectionFactory.from(io.asyncer.r2dbc.mysql.MySqlConnectionConfiguration.builder()
                .host(HOST).port(PORT).user("app").password("app").database(database)
                .loopResources(WRITER_LOOPS).build());
    }

    private static final reactor.netty.resources.LoopResources WRITER_LOOPS =
            reactor.netty.resources.LoopResources.create("stall-writers", 2, true);

    private static Thread start(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.start();
        return thread;
    }

    /** Inserts one row at a time and records when each insert started and how long it took. */
    private static final class Writer implements Runnable {
        private final ConnectionFactory factory;
        private final AtomicBoolean stop;
        private final List<long[]> samples = new ArrayList<>();

        Writer(ConnectionFactory factory, AtomicBoolean stop) {
            this.factory = factory;
            this.stop = stop;
        }

        @Override
        public void run() {
            Connection connection = Mono.from(factory.create()).block();
            try {
                while (!stop.get()) {
                    long start = System.nanoTime();
                    Statements.execute(connection, "INSERT INTO stall_writes (payload) VALUES ('a row written during a backup')")
                            .block();
                    samples.add(new long[] {start, System.nanoTime() - start});
                }
            } finally {
                Mono.from(connection.close()).block();
            }
        }

        /** p50/p99/p99.9/max in ms of the inserts that started or ended inside the window. */
        String summary(long from, long to) {
            long[] inside = samples.stream().filter(s -> s[0] + s[1] >= from && s[0] <= to).mapToLong(s -> s[1]).sorted().toArray();
            if (inside.length == 0) {
                return "no write";
            }
            return String.format(Locale.ROOT, "%.1f/%.1f/%.1f/%.1f (%,d writes)", ms(quantile(inside, 0.5)),
                    ms(quantile(inside, 0.99)), ms(quantile(inside, 0.999)), ms(inside[inside.length - 1]), inside.length);
        }

        private static long quantile(long[] sorted, double q) {
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
        }

        private static double ms(long nanos) {
            return nanos / 1e6;
        }
    }

    private void prepare() {
        boolean present = Sql.query(db.connectionFactory(null), "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '"
                + DATABASE + "' AND TABLE_NAME = 'pesaje'").size() == 1
                && ((Number) Sql.scalar(db.connectionFactory(DATABASE), "SELECT COUNT(*) FROM pesaje")).longValue() == rows;
        if (!present) {
            System.out.printf(Locale.ROOT, "creating %s with %,d rows each in pesaje and auditoria ...%n", DATABASE, rows);
            db.dropDatabase(DATABASE);
            db.createDatabase(DATABASE);
            ScrapDemo.install(db.connectionFactory(DATABASE), rows);
        }
        String writes = "CREATE TABLE IF NOT EXISTS stall_writes (id BIGINT AUTO_INCREMENT PRIMARY KEY, "
                + "at TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6), payload VARCHAR(100))";
        Sql.execute(db.connectionFactory(DATABASE), "DROP TABLE IF EXISTS stall_writes", writes);
        db.dropDatabase(OTHER);
        db.createDatabase(OTHER);
        Sql.execute(db.connectionFactory(OTHER), writes);
        db.dropDatabase(REPORTS);
        db.createDatabase(REPORTS);
        Sql.execute(db.connectionFactory(REPORTS), "CREATE TABLE r (id INT PRIMARY KEY, v INT NOT NULL DEFAULT 0)",
                "INSERT INTO r (id) SELECT n FROM " + Sql.sequence(4) + " t WHERE n < " + (int) (REPORT_SECONDS * 1000));
    }

    private void cleanUp() {
        try {
            db.dropDatabase(OTHER);
            db.dropDatabase(REPORTS);
            Sql.execute(db.connectionFactory(DATABASE), "DROP TABLE IF EXISTS stall_writes");
        } catch (RuntimeException e) {
            System.out.println("clean-up: " + e.getMessage());
        }
        BenchFiles.deleteTree(work);
    }
}
