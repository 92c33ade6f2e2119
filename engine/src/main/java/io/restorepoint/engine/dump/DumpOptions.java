package io.restorepoint.engine.dump;

import java.time.Duration;

/**
 * Tuning of a dump.
 *
 * @param rowsPerStatement  rows per INSERT statement (a restore commits per statement batch)
 * @param bytesPerStatement soft size limit of one INSERT statement
 * @param rowsPerChunk      rows per data file of a table dumped without key ranges
 * @param connections       connections reading in parallel, all in the same snapshot (1: one transaction)
 * @param chunkRows         target rows of one key-range chunk; the range width adapts to hit it
 * @param longQueryGuard    a query running at least this long makes the dump skip the global lock (which
 *                          would queue writers behind that query) and read over one connection instead
 * @param lockWaitTimeout   how long to wait for the global read lock before falling back the same way
 * @param skipUnreadableObjects false (the default): a view, trigger, routine, event or sequence the account
 *                          cannot read fails the backup, naming it; true (an operator's opt-in): it is left
 *                          out and listed in the manifest's {@code skipped}, and the backup goes on
 */
public record DumpOptions(int rowsPerStatement, int bytesPerStatement, long rowsPerChunk, int connections,
        long chunkRows, Duration longQueryGuard, Duration lockWaitTimeout, boolean skipUnreadableObjects) {

    public DumpOptions(int rowsPerStatement, int bytesPerStatement, long rowsPerChunk, int connections, long chunkRows,
            Duration longQueryGuard, Duration lockWaitTimeout) {
        this(rowsPerStatement, bytesPerStatement, rowsPerChunk, connections, chunkRows, longQueryGuard, lockWaitTimeout, false);
    }

    public DumpOptions {
        if (connections < 1 || rowsPerStatement < 1 || chunkRows < 1) {
            throw new IllegalArgumentException("connections, rowsPerStatement and chunkRows must be positive");
        }
    }

    public static DumpOptions defaults() {
        return new DumpOptions(1000, 1 << 20, 1_000_000, Runtime.getRuntime().availableProcessors(), 250_000,
                Duration.ofSeconds(60), Duration.ofSeconds(10));
    }

    public DumpOptions withConnections(int n) {
        return new DumpOptions(rowsPerStatement, bytesPerStatement, rowsPerChunk, n, chunkRows, longQueryGuard, lockWaitTimeout,
                skipUnreadableObjects);
    }

    public DumpOptions withChunkRows(long rows) {
        return new DumpOptions(rowsPerStatement, bytesPerStatement, rowsPerChunk, connections, rows, longQueryGuard, lockWaitTimeout,
                skipUnreadableObjects);
    }

    public DumpOptions withRowsPerStatement(int rows) {
        return new DumpOptions(rows, bytesPerStatement, rowsPerChunk, connections, chunkRows, longQueryGuard, lockWaitTimeout,
                skipUnreadableObjects);
    }

    public DumpOptions withSkipUnreadableObjects(boolean skip) {
        return new DumpOptions(rowsPerStatement, bytesPerStatement, rowsPerChunk, connections, chunkRows, longQueryGuard,
                lockWaitTimeout, skip);
    }
}
