package io.restorepoint.worker.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.Map;

/**
 * Worker settings ({@code restorepoint.worker.*}).
 *
 * @param id               this worker's id in job events (default: host name and process id)
 * @param concurrency      jobs this worker runs at once (each on its own command partition)
 * @param progressInterval how often a running job reports progress (at most once a second by default)
 * @param heartbeat        an unchanged state of a running job is reported again this often, so a silent job
 *                         is visibly a dead one
 * @param jobTimeout       the longest a job may run in all before it is ended {@code rejected}
 * @param phaseTimeouts    the longest each phase of a job may take before the job is stopped and ended
 *                         {@code rejected}, by phase name ({@code snapshot}, {@code dump}, {@code finalize},
 *                         {@code safety-check}, {@code verify}, {@code schema}, {@code load}, {@code check},
 *                         {@code indexes}, {@code swap}, {@code import}); unlisted phases use {@link #DEFAULT_PHASE_TIMEOUTS}
 * @param dump             how dumps read the database
 * @param warmUpRows       generated rows run through the dump path at start-up (0: none)
 * @param restoreDefiners  whose rights restored views, triggers, routines and events run with: {@code keep}
 *                         (each its own DEFINER, as dumped) or {@code restoring-account}
 * @param restoreDeferIndexesFromRows a restore builds the secondary indexes and foreign keys of tables with at
 *                         least this many rows after their rows (env {@code RP_RESTORE_DEFER_INDEXES_FROM_ROWS};
 *                         a huge value: never)
 */
@ConfigurationProperties("restorepoint.worker")
public record WorkerProperties(
        String id,
        @DefaultValue("2") int concurrency,
        @DefaultValue("1s") Duration progressInterval,
        @DefaultValue("15s") Duration heartbeat,
        @DefaultValue("12h") Duration jobTimeout,
        Map<String, Duration> phaseTimeouts,
        @DefaultValue Dump dump,
        @DefaultValue("300000") long warmUpRows,
        @DefaultValue("keep") io.restorepoint.engine.load.DefinerPolicy restoreDefiners,
        @DefaultValue("50000") long restoreDeferIndexesFromRows) {

    /**
     * @param connections     connections reading one snapshot in parallel (0: one per core)
     * @param chunkRows       target rows per key-range chunk
     * @param longQueryGuard  (global-lock) a query running this long makes a dump skip the global read lock
     * @param lockWaitTimeout the longest wait for a lock (the database's tables, or the global one) before reading
     *                        over one connection
     * @param skipUnreadableObjects false (default): a view, trigger, routine, event or sequence the account
     *                        cannot read (or a kind it may not see) fails the backup, naming it; true: the backup
     *                        leaves it out and says so (manifest, the job's done event, the versions list, the console)
     * @param consistency     how the parallel connections reach one snapshot (env {@code RP_BACKUP_CONSISTENCY}):
     *                        {@code lock-free} (default; compared snapshots, no lock, the database's own table lock
     *                        where the server cannot compare), {@code database-lock} or {@code global-lock} (FTWRL)
     * @param maxRowsPerSecond rows per second one backup reads at most (env {@code RP_BACKUP_MAX_ROWS_PER_SECOND};
     *                        0: no cap)
     * @param threadsRunningLimit no new chunk starts while the server's {@code Threads_running} is above this (env
     *                        {@code RP_BACKUP_THREADS_RUNNING_LIMIT}; 0: no limit)
     */
    public record Dump(@DefaultValue("0") int connections, @DefaultValue("250000") long chunkRows,
            @DefaultValue("60s") Duration longQueryGuard, @DefaultValue("10s") Duration lockWaitTimeout,
            @DefaultValue("false") boolean skipUnreadableObjects,
            @DefaultValue("lock-free") io.restorepoint.engine.snapshot.ConsistencyMode consistency,
            @DefaultValue("0") long maxRowsPerSecond, @DefaultValue("0") int threadsRunningLimit) {
    }

    /** Phase timeouts used when {@code phase-timeouts} does not name the phase. */
    public static final Map<String, Duration> DEFAULT_PHASE_TIMEOUTS = Map.ofEntries(
            Map.entry("snapshot", Duration.ofMinutes(15)), Map.entry("dump", Duration.ofHours(6)),
            Map.entry("finalize", Duration.ofMinutes(15)), Map.entry("safety-check", Duration.ofMinutes(5)),
            Map.entry("verify", Duration.ofHours(2)), Map.entry("schema", Duration.ofMinutes(15)),
            Map.entry("load", Duration.ofHours(6)), Map.entry("indexes", Duration.ofHours(6)),
            Map.entry("check", Duration.ofHours(1)),
            Map.entry("swap", Duration.ofMinutes(12)), Map.entry("import", Duration.ofHours(2)));

    /** The timeout of a phase (one hour for a phase nobody named). */
    public Duration phaseTimeout(String phase) {
        if (phase != null && phaseTimeouts != null && phaseTimeouts.containsKey(phase)) {
            return phaseTimeouts.get(phase);
        }
        return phase == null ? Duration.ofHours(1) : DEFAULT_PHASE_TIMEOUTS.getOrDefault(phase, Duration.ofHours(1));
    }

    public String workerId() {
        if (id != null && !id.isBlank()) {
            return id;
        }
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "worker";
        }
        return host + "-" + ProcessHandle.current().pid();
    }
}
