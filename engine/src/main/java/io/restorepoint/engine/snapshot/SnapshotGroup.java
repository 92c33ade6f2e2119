package io.restorepoint.engine.snapshot;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.restorepoint.engine.sql.Statements;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Connections that all read the same consistent snapshot of the server, the way mydumper makes one:
 * <ol>
 *   <li>guard: if a query has been running longer than the guard, taking the global lock would queue
 *       every writer behind it, so fall back to one connection;</li>
 *   <li>{@code FLUSH TABLES WITH READ LOCK} on a coordinating connection (bounded by {@code lock_wait_timeout});</li>
 *   <li>under the lock, read the binlog coordinates, and every reading connection opens
 *       {@code START TRANSACTION WITH CONSISTENT SNAPSHOT} at REPEATABLE READ;</li>
 *   <li>{@code UNLOCK TABLES} at once: the lock lasts milliseconds, the snapshots last the whole dump.</li>
 * </ol>
 * Without the privilege for the lock (RELOAD), or when the guard or lock wait trips, the dump reads over a
 * single connection in one transaction: still consistent, just not parallel.
 */
public final class SnapshotGroup {

    private static final Logger log = LoggerFactory.getLogger(SnapshotGroup.class);

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
        return Flux.fromIterable(connections)
                .flatMap(c -> Statements.execute(c, "ROLLBACK").onErrorResume(e -> Mono.empty())
                        .then(Mono.from(c.close())).onErrorResume(e -> Mono.empty()))
                .then();
    }

    /**
     * Opens {@code size} connections sharing one snapshot (or one, on fallback).
     *
     * @param longQueryGuard  queries running at least this long prevent the global lock
     * @param lockWaitTimeout how long the lock may be waited for
     */
    public static Mono<SnapshotGroup> open(ConnectionFactory factory, int size, Duration longQueryGuard,
            Duration lockWaitTimeout) {
        return Mono.usingWhen(Mono.from(factory.create()),
                coordinator -> Statements.scalarString(coordinator, "SELECT VERSION()")
                        .flatMap(version -> size <= 1
                                ? single(factory, version, null)
                                : synchronize(factory, coordinator, size, version, longQueryGuard, lockWaitTimeout)),
                Connection::close, (c, e) -> c.close(), Connection::close);
    }

    private static Mono<SnapshotGroup> synchronize(ConnectionFactory factory, Connection coordinator, int size,
            String version, Duration guard, Duration lockWait) {
        return longQuery(coordinator, guard).flatMap(blocker -> {
            if (!blocker.isEmpty()) {
                return single(factory, version, "a query has run for over " + guard.toSeconds() + " s (" + blocker
                        + "); no global lock taken");
            }
            return Flux.range(0, size).concatMap(i -> Mono.<Connection>from(factory.create())).collectList()
                    .flatMap(readers -> lockAndStart(coordinator, readers, lockWait)
                            .map(consistency -> new SnapshotGroup(readers, consistency, version))
                            .onErrorResume(e -> Flux.fromIterable(readers).flatMap(c -> Mono.from(c.close())).then()
                                    .then(single(factory, version, "global read lock not available: " + rootMessage(e)))));
        });
    }

    private static Mono<Consistency> lockAndStart(Connection coordinator, List<Connection> readers, Duration lockWait) {
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
                        .then(Mono.error(e)));
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
