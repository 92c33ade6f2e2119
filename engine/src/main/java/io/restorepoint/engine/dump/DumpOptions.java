package io.restorepoint.engine.dump;

import io.restorepoint.engine.snapshot.ConsistencyMode;
import io.restorepoint.engine.snapshot.SnapshotGroup;

import java.time.Duration;

/**
 * Tuning of a dump.
 *
 * @param rowsPerStatement  rows per INSERT statement (a restore commits per statement batch)
 * @param bytesPerStatement soft size limit of one INSERT statement
 * @param rowsPerChunk      rows per data file of a table dumped without key ranges
 * @param connections       connections reading in parallel, all in the same snapshot (1: one transaction)
 * @param chunkRows         target rows of one key-range chunk; the range width adapts to hit it
 * @param longQueryGuard    (global-lock mode) a query running at least this long makes the dump skip the global
 *                          lock (which would queue writers behind that query) and read over one connection instead
 * @param lockWaitTimeout   how long to wait for a lock (of the database's tables, or the global one) before
 *                          falling back the same way
 * @param skipUnreadableObjects false (the default): a view, trigger, routine, event or sequence the account
 *                          cannot read fails the backup, naming it; true (an operator's opt-in): it is left
 *                          out and listed in the manifest's {@code skipped}, and the backup goes on
 * @param consistency       how parallel connections reach one snapshot ({@link ConsistencyMode}; default lock-free)
 * @param throttle          limits that keep a dump from crowding the server's own work
 */
public record DumpOptions(int rowsPerStatement, int bytesPerStatement, long rowsPerChunk, int connections,
        long chunkRows, Duration longQueryGuard, Duration lockWaitTimeout, boolean skipUnreadableObjects,
        ConsistencyMode consistency, Throttle throttle) {

    /** Lock-free snapshots are opened this many times before the database lock is taken instead. */
    public static final int SNAPSHOT_ATTEMPTS = 5;

    public DumpOptions(int rowsPerStatement, int bytesPerStatement, long rowsPerChunk, int connections, long chunkRows,
            Duration longQueryGuard, Duration lockWaitTimeout) {
        this(rowsPerStatement, bytesPerStatement, rowsPerChunk, connections, chunkRows, longQueryGuard, lockWaitTimeout, false,
                ConsistencyMode.LOCK_FREE, Throttle.NONE);
    }

    public DumpOptions {
        if (connections < 1 || rowsPerStatement < 1 || chunkRows < 1) {
            throw new IllegalArgumentException("connections, rowsPerStatement and chunkRows must be positive");
        }
        if (consistency == null || throttle == null) {
            throw new IllegalArgumentException("consistency and throttle are required");
        }
    }

    /**
     * Limits on one dump's load on the server.
     *
     * @param maxRowsPerSecond    rows per second the dump reads at most, over all its connections (0: no cap); the
     *                            dump pauses between chunks, and key-range chunks are cut to at most a second's rows
     * @param threadsRunningLimit while the server's {@code Threads_running} is above this, no new chunk starts
     *                            (0: no limit); the dump waits at most {@link #MAX_BACK_OFF} per chunk, then goes on
     */
    public record Throttle(long maxRowsPerSecond, int threadsRunningLimit) {
        public static final Throttle NONE = new Throttle(0, 0);
        public static final Duration MAX_BACK_OFF = Duration.ofSeconds(30);

        public Throttle {
            if (maxRowsPerSecond < 0 || threadsRunningLimit < 0) {
                throw new IllegalArgumentException("throttle limits must not be negative (0: none)");
            }
        }

        public boolean none() {
            return maxRowsPerSecond == 0 && threadsRunningLimit == 0;
        }
    }

    public static DumpOptions defaults() {
        return new DumpOptions(1000, 1 << 20, 1_000_000, Runtime.getRuntime().availableProcessors(), 250_000,
                Duration.ofSeconds(60), Duration.ofSeconds(10));
    }

    /** The snapshot settings these options ask for. */
    public SnapshotGroup.Settings snapshot() {
        return new SnapshotGroup.Settings(consistency, longQueryGuard, lockWaitTimeout, SNAPSHOT_ATTEMPTS);
    }

    /** Target rows of one key-range chunk, cut to a second's rows when a row rate is capped. */
    public long effectiveChunkRows() {
        return throttle.maxRowsPerSecond() > 0 ? Math.max(1, Math.min(chunkRows, throttle.maxRowsPerSecond())) : chunkRows;
    }

    public DumpOptions withConnections(int n) {
        return new DumpOptions(rowsPerStatement, bytesPerStatement, rowsPerChunk, n, chunkRows, longQueryGuard, lockWaitTimeout,
                skipUnreadableObjects, consistency, throttle);
    }

    public DumpOptions withChunkRows(long rows) {
        return new DumpOptions(rowsPerStatement, bytesPerStatement, rowsPerChunk, connections, rows, longQueryGuard, lockWaitTimeout,
                skipUnreadableObjects, consistency, throttle);
    }

    public DumpOptions withRowsPerStatement(int rows) {
        return new DumpOptions(rows, bytesPerStatement, rowsPerChunk, connections, chunkRows, longQueryGuard, lockWaitTimeout,
                skipUnreadableObjects, consistency, throttle);
    }

    public DumpOptions withSkipUnreadableObjects(boolean skip) {
        return new DumpOptions(rowsPerStatement, bytesPerStatement, rowsPerChunk, connections, chunkRows, longQueryGuard,
                lockWaitTimeout, skip, consistency, throttle);
    }

    public DumpOptions withConsistency(ConsistencyMode mode) {
        return new DumpOptions(rowsPerStatement, bytesPerStatement, rowsPerChunk, connections, chunkRows, longQueryGuard,
                lockWaitTimeout, skipUnreadableObjects, mode, throttle);
    }

    public DumpOptions withThrottle(Throttle limits) {
        return new DumpOptions(rowsPerStatement, bytesPerStatement, rowsPerChunk, connections, chunkRows, longQueryGuard,
                lockWaitTimeout, skipUnreadableObjects, consistency, limits);
    }
}
