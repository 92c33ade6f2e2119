package io.restorepoint.engine.snapshot;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the connections of a parallel dump are brought to one consistent snapshot ({@code RP_BACKUP_CONSISTENCY};
 * {@code docs/design/0013-consistent-snapshots-without-a-global-lock.md}). Every mode falls back to one connection in
 * one transaction (consistent, not parallel) when it cannot do better, and the manifest says why.
 */
public enum ConsistencyMode {

    /**
     * The default. The connections open their snapshots at the same moment, and each reads the binlog position
     * its snapshot stands at (MariaDB's {@code binlog_snapshot_file/position}); equal positions mean no
     * transaction committed between them, so they see the same data. Different positions: all start again (a
     * few times). No lock of any kind. Where the server cannot tell (binlog off, MySQL) or the server is too
     * busy for the positions to meet, it takes {@link #DATABASE_LOCK} instead.
     */
    LOCK_FREE("lock-free"),

    /**
     * {@code LOCK TABLES ... READ} on the database's own tables while the snapshots open (milliseconds): only
     * writers of this database wait; the rest of the server does not notice.
     */
    DATABASE_LOCK("database-lock"),

    /**
     * {@code FLUSH TABLES WITH READ LOCK} while the snapshots open, as mydumper does: every writer of the whole
     * server waits, and a long query elsewhere makes the lock itself wait (the long-query guard then skips it).
     */
    GLOBAL_LOCK("global-lock");

    private final String value;

    ConsistencyMode(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    /** Parses {@code lock-free}, {@code database-lock} or {@code global-lock} (case and {@code _} insensitive). */
    public static ConsistencyMode of(String text) {
        String wanted = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (ConsistencyMode mode : values()) {
            if (mode.value.equals(wanted)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown consistency mode '" + text + "'; expected one of "
                + Arrays.stream(values()).map(ConsistencyMode::value).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return value;
    }
}
