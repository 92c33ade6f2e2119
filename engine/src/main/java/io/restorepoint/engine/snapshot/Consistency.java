package io.restorepoint.engine.snapshot;

/**
 * How a snapshot was made consistent, for the manifest.
 *
 * @param method         {@code compared-snapshots}, {@code database-locked-snapshot}, {@code synchronized-snapshot}
 *                       (global read lock) or {@code single-transaction}; see {@link ConsistencyMode}
 * @param note           why a fallback was taken, if one was
 * @param binlogFile     binary log file at the snapshot, if the server logs and the account may read it
 * @param binlogPosition binary log position at the snapshot
 * @param gtidSet        GTID position at the snapshot
 * @param lockMillis     how long the lock was held (null: none was taken)
 */
public record Consistency(String method, String note, String binlogFile, Long binlogPosition, String gtidSet,
        Long lockMillis) {
}
