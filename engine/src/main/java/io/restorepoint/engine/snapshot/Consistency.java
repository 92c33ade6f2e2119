package io.restorepoint.engine.snapshot;

/**
 * How a snapshot was made consistent, for the manifest.
 *
 * @param method         {@code synchronized-snapshot} (N connections opened their transactions under a
 *                       brief global read lock) or {@code single-transaction}
 * @param note           why a fallback was taken, if one was
 * @param binlogFile     binary log file at the snapshot, if the server logs and the account may read it
 * @param binlogPosition binary log position at the snapshot
 * @param gtidSet        GTID position at the snapshot
 * @param lockMillis     how long the global read lock was held
 */
public record Consistency(String method, String note, String binlogFile, Long binlogPosition, String gtidSet,
        Long lockMillis) {
}
