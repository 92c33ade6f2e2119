package io.restorepoint.engine.snapshot;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.restorepoint.engine.sql.Identifiers;
import io.restorepoint.engine.sql.Statements;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Connections that all read the same consistent snapshot of one database, the way mydumper makes one, in one of
 * three {@link ConsistencyMode}s:
 * <ul>
 *   <li><b>lock-free</b> (default): every connection opens {@code START TRANSACTION WITH CONSISTENT SNAPSHOT} at
 *       the same moment and reads the binlog position its snapshot stands at; equal positions mean no commit came
 *       between them. Otherwise all roll back and start again, up to {@code attempts} times, then the database
 *       lock is taken. Needs a MariaDB server with its binlog on; without one it takes the database lock;</li>
 *   <li><b>database-lock</b>: {@code LOCK TABLES ... READ} on the database's base tables (bounded by
 *       {@code lock_wait_timeout}) on a coordinating connection; the snapshots open under it; {@code UNLOCK TABLES}
 *       at once. Only this database's writers wait, for milliseconds;</li>
 *   <li><b>global-lock</b>: the same under {@code FLUSH TABLES WITH READ LOCK}, skipped (one connection instead)
 *       when a query has run longer than the guard, since the lock would queue every writer behind it.</li>
 * </ul>
 * When no lock can be had (privilege, lock wait), the dump reads over a single connection in one transaction:
 * still consistent, just not parallel. The binlog coordinates recorded are those of the snapshot.
 */
public final class SnapshotGroup {

    private static final Logger log = LoggerFactory.getLogger(SnapshotGroup.class);

    /** Base tables (sequences and system-versioned tables are base tables to LOCK TABLES). */
    private static final String TABLES = "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '%s' "
            + "AND TABLE_TYPE IN ('BASE TABLE', 'SEQUENCE', 'SYSTEM VERSIONED') ORDER BY TABLE_NAME";

    private final List<Connection> connections;
    private final Consistency consistency;
    private final String serverVersion;

    private SnapshotGroup(List<Connection> connections, Consistency consistency, String serverVersion) {
        this.connections = connections;
        this.consistency = consistency;
        this.serverVersion = serverVersion;
    }

    public List<Connection> connections() {
        return connections;
    }

    public Consistency consistency() {
        return consistency;
    }

    public String serverVersion() {
        return serverVersion;
    }

    /** Ends every snapshot transaction and closes every connection. */
    public Mono<Void> close() {
        return closeAll(connections);
    }

    private static Mono<Void> closeAll(List<Connection> connections) {
        return Flux.fromIterable(connections)
                .flatMap(c -> Statements.execute(c, "ROLLBACK").onErrorResume(e -> Mono.empty())
                        .then(Mono.from(c.close())).onErrorResume(e -> Mono.empty()))
                .then();
    }

    /**
     * How to open a group.
     *
     * @param mode           lock-free, database-lock or global-lock
     * @param longQueryGuard (global-lock) queries running at least this long prevent the global lock
     * @param lockWaitTimeout how long a lock may be waited for
     * @param attempts       (lock-free) how many times the snapshots are opened before the database lock is taken
     */
    public record Settings(ConsistencyMode mode, Duration longQueryGuard, Duration lockWaitTimeout, int attempts) {
        public Settings {
            if (attempts < 1) {
                throw new IllegalArgumentException("attempts must be positive");
            }
        }
    }

    /**
     * Opens {@code size} connections sharing one snapshot of {@code database} (or one, on fallback).
     */
    public static Mono<SnapshotGroup> open(ConnectionFactory factory, String database, int size, Settings settings) {
        return Mono.usingWhen(Mono.from(factory.create()),
                coordinator -> Statements.scalarString(coordinator, "SELECT VERSION()")
                        .flatMap(version -> size <= 1
                                ? single(factory, version, null)
                                : synchronize(factory, coordinator, database, size, version, settings)),
                Connection::close, (c, e) -> c.close(), Connection::close);
    }

    private static Mono<SnapshotGroup> synchronize(ConnectionFactory factory, Connection coordinator, String database,
            int size, String version, Settings settings) {
        // opened side by side: each connection costs a handshake and an authentication round trip
        List<Connection> opened = new java.util.concurrent.CopyOnWriteArrayList<>();
        return Flux.range(0, size).flatMapSequential(i -> Mono.<Connection>from(factory.create())
                        .doOnNext(opened::add)
                        .flatMap(c -> Statements.execute(c, "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                                .thenReturn(c)))
                .collectList()
                .onErrorResume(e -> closeAll(opened).then(Mono.error(e)))
                .flatMap(readers -> strategy(coordinator, readers, database, settings)
                        .map(consistency -> new SnapshotGroup(readers, consistency, version))
                        .onErrorResume(e -> closeAll(readers)
                                .then(single(factory, version, rootMessage(e)))));
    }

    private static Mono<Consistency> strategy(Connection coordinator, List<Connection> readers, String database,
            Settings settings) {
        return switch (settings.mode()) {
            case GLOBAL_LOCK -> longQuery(coordinator, settings.longQueryGuard()).flatMap(blocker -> blocker.isEmpty()
                    ? globalLock(coordinator, readers, settings.lockWaitTimeout())
                    : Mono.error(new IllegalStateException("a query has run for over " + settings.longQueryGuard().toSeconds()
                            + " s (" + blocker + "); no global lock taken")));
            case DATABASE_LOCK -> databaseLock(coordinator, readers, database, settings.lockWaitTimeout(), null, 1);
            case LOCK_FREE -> compared(readers, settings.attempts(), 1)
                    .onErrorResume(NotComparable.class, e -> {
                        log.debug("lock-free snapshot of {} not possible: {}", database, e.getMessage());
                        return databaseLock(coordinator, readers, database, settings.lockWaitTimeout(), e.getMessage(), 1);
                    });
        };
    }

    /** Lock-free: open all snapshots at once, compare their binlog positions, again while they differ. */
    private static Mono<Consistency> compared(List<Connection> readers, int attempts, int attempt) {
        return Flux.fromIterable(readers)
                .flatMapSequential(c -> Statements.execute(c, "START TRANSACTION WITH CONSISTENT SNAPSHOT")
                        .then(snapshotPosition(c)))
                .collectList()
                .flatMap(positions -> {
                    BinlogPosition first = positions.get(0);
                    Mono<Void> rollback = Flux.fromIterable(readers).concatMap(c -> Statements.execute(c, "ROLLBACK")).then();
                    if (first.file() == null || first.file().isBlank()) {
                        return rollback.then(Mono.error(new NotComparable("the server reports no binlog position for a snapshot "
                                + "(binlog off, or not MariaDB)")));
                    }
                    if (positions.stream().allMatch(first::equals)) {
                        return gtidAt(readers.get(0), first).map(gtid -> new Consistency("compared-snapshots",
                                attempt == 1 ? null : "snapshots equal at attempt " + attempt, first.file(), first.position(),
                                gtid.isBlank() ? null : gtid, null));
                    }
                    if (attempt >= attempts) {
                        return rollback.then(Mono.error(new NotComparable("the snapshots stood at different binlog "
                                + "positions " + attempts + " times (a busy server)")));
                    }
                    return rollback.then(compared(readers, attempts, attempt + 1));
                });
    }

    /** The binlog position a connection's consistent snapshot stands at (MariaDB; empty fields elsewhere). */
    private static Mono<BinlogPosition> snapshotPosition(Connection connection) {
        return Statements.query(connection, "SHOW SESSION STATUS LIKE 'binlog_snapshot_%'",
                        row -> Map.entry(row.get(0, String.class).toLowerCase(java.util.Locale.ROOT), String.valueOf(row.get(1, String.class))))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                .map(status -> {
                    String file = status.get("binlog_snapshot_file");
                    String position = status.get("binlog_snapshot_position");
                    return file == null || file.isBlank() || position == null ? BinlogPosition.NONE
                            : new BinlogPosition(file, Long.parseLong(position.trim()), null);
                })
                .onErrorResume(e -> Mono.just(BinlogPosition.NONE));
    }

    /**
     * MariaDB's GTID at the snapshot's binlog position. {@code BINLOG_GTID_POS(file, pos)} would read the binlog
     * file up to the position (140 ms for an 800 MB file, growing with it); instead {@code @@gtid_binlog_pos} is
     * read and then the server's binlog position: if that is still the snapshot's, nothing was committed since the
     * snapshot, so the GTID read in between is the snapshot's. Otherwise (a busy server) none is recorded: the
     * binlog file and position are.
     */
    private static Mono<String> gtidAt(Connection connection, BinlogPosition position) {
        return Statements.query(connection, "SELECT @@global.gtid_binlog_pos", row -> {
                    String gtid = row.get(0, String.class);
                    return gtid == null ? "" : gtid;
                })
                .next().defaultIfEmpty("")
                .flatMap(gtid -> Statements.query(connection, "SHOW MASTER STATUS", BinlogPosition::of).next()
                        .map(now -> now.file() != null && now.file().equals(position.file())
                                && java.util.Objects.equals(now.position(), position.position()) ? gtid : "")
                        .defaultIfEmpty(""))
                .onErrorResume(e -> Mono.just(""));
    }

    /**
     * LOCK TABLES ... READ on the database's tables, snapshots under it, UNLOCK. A table created between listing
     * and locking would be unlocked: the list is read again under the lock, and on a difference all starts again, at
     * most {@link #LOCK_ATTEMPTS} times (a database whose tables are created without pause fails the backup instead).
     */
    private static Mono<Consistency> databaseLock(Connection coordinator, List<Connection> readers, String database,
            Duration lockWait, String why, int attempt) {
        return tablesOf(coordinator, database).flatMap(tables -> {
            if (tables.isEmpty()) {
                return Flux.fromIterable(readers).concatMap(SnapshotGroup::startSnapshot)
                        .then(Mono.just(new Consistency("database-locked-snapshot", note(why, "no table to lock"),
                                null, null, null, 0L)));
            }
            long[] lockedAt = new long[1];
            String lock = "LOCK TABLES " + tables.stream().map(t -> Identifiers.quote(database, t) + " READ")
                    .collect(Collectors.joining(", "));
            return Statements.execute(coordinator, "SET SESSION lock_wait_timeout = " + Math.max(1, lockWait.toSeconds()))
                    .then(Statements.execute(coordinator, lock))
                    .doOnSuccess(v -> lockedAt[0] = System.nanoTime())
                    .then(tablesOf(coordinator, database))
                    .flatMap(again -> {
                        if (!again.equals(tables)) {
                            Mono<Consistency> next = attempt < LOCK_ATTEMPTS
                                    ? databaseLock(coordinator, readers, database, lockWait, why, attempt + 1)
                                    : Mono.error(new LockFailed(note(why, "the tables of " + database + " changed "
                                            + LOCK_ATTEMPTS + " times while they were being locked (tables created or dropped "
                                            + "without pause); try the backup again later")));
                            return Statements.execute(coordinator, "UNLOCK TABLES").then(next);
                        }
                        return binlog(coordinator)
                                .flatMap(position -> Flux.fromIterable(readers).flatMap(SnapshotGroup::startSnapshot)
                                        .then(Statements.execute(coordinator, "UNLOCK TABLES"))
                                        .then(Mono.fromSupplier(() -> {
                                            long millis = (System.nanoTime() - lockedAt[0]) / 1_000_000;
                                            log.debug("tables of {} read-locked {} ms for {} snapshots", database, millis,
                                                    readers.size());
                                            return new Consistency("database-locked-snapshot", why, position.file(),
                                                    position.position(), position.gtid(), millis);
                                        })));
                    })
                    .onErrorResume(e -> Statements.execute(coordinator, "UNLOCK TABLES").onErrorResume(x -> Mono.empty())
                            .then(Mono.error(e instanceof LockFailed ? e : new LockFailed(note(why, "table lock on " + database
                                    + " not available: " + rootMessage(e))))));
        });
    }

    /** The database lock could not be taken (said once, however many attempts it took). */
    private static final class LockFailed extends IllegalStateException {
        LockFailed(String message) {
            super(message);
        }
    }

    /** How many times the database lock is taken before a table list that keeps changing fails the backup. */
    static final int LOCK_ATTEMPTS = 5;

    private static String note(String first, String second) {
        return first == null ? second : first + "; " + second;
    }

    private static Mono<List<String>> tablesOf(Connection connection, String database) {
        return Statements.query(connection, String.format(TABLES, database.replace("'", "''").replace("\\", "\\\\")),
                row -> row.get(0, String.class)).collectList();
    }

    private static Mono<Consistency> globalLock(Connection coordinator, List<Connection> readers, Duration lockWait) {
        long[] lockedAt = new long[1];
        return Statements.execute(coordinator, "SET SESSION lock_wait_timeout = " + Math.max(1, lockWait.toSeconds()))
                .then(Statements.execute(coordinator, "FLUSH TABLES WITH READ LOCK"))
                .doOnSuccess(v -> lockedAt[0] = System.nanoTime())
                .then(binlog(coordinator))
                .flatMap(position -> Flux.fromIterable(readers)
                        .flatMap(SnapshotGroup::startSnapshot)
                        .then(Statements.execute(coordinator, "UNLOCK TABLES"))
                        .then(Mono.fromSupplier(() -> {
                            long millis = (System.nanoTime() - lockedAt[0]) / 1_000_000;
                            log.debug("global read lock held {} ms for {} snapshots", millis, readers.size());
                            return new Consistency("synchronized-snapshot", null, position.file(), position.position(),
                                    position.gtid(), millis);
                        })))
                .onErrorResume(e -> Statements.execute(coordinator, "UNLOCK TABLES").onErrorResume(x -> Mono.empty())
                        .then(Mono.error(new IllegalStateException("global read lock not available: " + rootMessage(e)))));
    }

    /** The server cannot show that lock-free snapshots are equal: take the database lock instead. */
    private static final class NotComparable extends RuntimeException {
        NotComparable(String message) {
            super(message, null, false, false);
        }
    }

    private static Mono<SnapshotGroup> single(ConnectionFactory factory, String version, String note) {
        if (note != null) {
            log.info("consistent snapshot over one connection: {}", note);
        }
        return Mono.from(factory.create())
                .flatMap(connection -> startSnapshot(connection)
                        .then(binlog(connection))
                        .map(position -> new SnapshotGroup(List.of(connection),
                                new Consistency("single-transaction", note, position.file(), position.position(),
                                        position.gtid(), null), version))
                        .onErrorResume(e -> Mono.from(connection.close()).then(Mono.error(e))));
    }

    private static Mono<Void> startSnapshot(Connection connection) {
        return Statements.execute(connection, "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                .then(Statements.execute(connection, "START TRANSACTION WITH CONSISTENT SNAPSHOT"));
    }

    private static Mono<String> longQuery(Connection coordinator, Duration guard) {
        return Statements.query(coordinator, "SELECT ID, TIME FROM information_schema.PROCESSLIST "
                                + "WHERE COMMAND NOT IN ('Sleep', 'Daemon', 'Binlog Dump', 'Binlog Dump GTID', 'Connect') "
                                + "AND TIME >= " + guard.toSeconds() + " AND ID <> CONNECTION_ID() "
                                + "AND USER NOT IN ('system user', 'event_scheduler')",
                        row -> "connection " + row.get(0, Number.class) + " for " + row.get(1, Number.class) + " s")
                .collectList()
                .map(list -> String.join(", ", list));
    }

    /** Binlog coordinates, if the server keeps a binlog and the account may read them; else empty fields. */
    private static Mono<BinlogPosition> binlog(Connection connection) {
        Mono<BinlogPosition> status = Statements.query(connection, "SHOW MASTER STATUS", BinlogPosition::of).next()
                .onErrorResume(e -> Statements.query(connection, "SHOW BINARY LOG STATUS", BinlogPosition::of).next())
                .onErrorResume(e -> Mono.empty());
        Mono<String> mariaGtid = Statements.query(connection, "SELECT @@global.gtid_binlog_pos",
                        row -> row.get(0, String.class)).next()
                .onErrorResume(e -> Mono.empty());
        return status.defaultIfEmpty(BinlogPosition.NONE)
                .flatMap(position -> position.gtid() != null && !position.gtid().isBlank() ? Mono.just(position)
                        : mariaGtid.map(gtid -> gtid.isBlank() ? position : position.withGtid(gtid)).defaultIfEmpty(position));
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    record BinlogPosition(String file, Long position, String gtid) {
        static final BinlogPosition NONE = new BinlogPosition(null, null, null);

        static BinlogPosition of(io.r2dbc.spi.Readable row) {
            Map<String, Object> values = new java.util.HashMap<>();
            if (row instanceof io.r2dbc.spi.Row r) {
                for (var meta : r.getMetadata().getColumnMetadatas()) {
                    values.put(meta.getName().toLowerCase(), r.get(meta.getName()));
                }
            }
            Object position = values.get("position");
            Object gtid = values.get("executed_gtid_set");
            return new BinlogPosition((String) values.get("file"),
                    position instanceof Number n ? n.longValue() : null,
                    gtid == null ? null : gtid.toString().replace("\n", ""));
        }

        BinlogPosition withGtid(String gtid) {
            return new BinlogPosition(file, position, gtid);
        }
    }

}
