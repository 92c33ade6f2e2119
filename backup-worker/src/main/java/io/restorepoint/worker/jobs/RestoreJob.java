package io.restorepoint.worker.jobs;

import io.restorepoint.engine.artifact.ArtifactId;
import io.restorepoint.engine.artifact.ArtifactStore;
import io.restorepoint.engine.artifact.Manifest;
import io.restorepoint.engine.load.DefinerPolicy;
import io.restorepoint.engine.load.HelperSchemas;
import io.restorepoint.engine.load.LoadProgress;
import io.restorepoint.engine.load.Loader;
import io.restorepoint.schemas.command.RestoreRequested;
import io.restorepoint.schemas.job.JobInfo;
import io.restorepoint.worker.config.ServerEngines;
import io.restorepoint.worker.events.DataChanges;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Optional;

/**
 * Runs a {@code restore_project} job, all or nothing:
 * <ol>
 *   <li>the safety backup of the current data (a separate job the gateway queued just before this one)
 *       must be committed, or nothing is touched;</li>
 *   <li>the version's artifact is checked file by file against its checksums;</li>
 *   <li>it is loaded into a schema of its own beside the project's database, in parallel, and every
 *       table's row count is checked;</li>
 *   <li>one {@code RENAME TABLE} swaps the loaded tables in: readers see the old data or the new, never a
 *       mix.</li>
 * </ol>
 * Any failure before the swap drops the loaded schema and leaves the database exactly as it was; the job
 * ends {@code rejected} with code 1003 and a reason naming the table.
 */
@Component
public class RestoreJob {

    private static final Logger log = LoggerFactory.getLogger(RestoreJob.class);

    private final ServerEngines engines;
    private final ArtifactStore store;
    private final JobRuns runs;
    private final DataChanges changes;

    RestoreJob(ServerEngines engines, ArtifactStore store, JobRuns runs, DataChanges changes) {
        this.changes = changes;
        this.engines = engines;
        this.store = store;
        this.runs = runs;
    }

    public void run(RestoreRequested command) {
        ArtifactId id = new ArtifactId(command.project(), command.version());
        String database = command.database();
        String loaded = HelperSchemas.of(database, HelperSchemas.LOAD, command.commandId());
        String graveyard = HelperSchemas.of(database, HelperSchemas.OLD, command.commandId());
        try (JobRun run = runs.start(command, command.version())) {
            run.processing(new JobInfo(0, 0, "rows", "safety-check", null));
            Manifest manifest;
            try {
                Optional<Manifest> safety = store.manifest(new ArtifactId(command.project(), command.safetyVersion()));
                if (safety.isEmpty() || !command.safetyJobToken().equals(safety.get().jobToken())) {
                    run.reject("the safety backup of the current data (version " + command.safetyVersion()
                            + ") did not complete, so nothing was restored", null, JobInfo.empty());
                    return;
                }
                Optional<Manifest> backup = store.manifest(id);
                if (backup.isEmpty()) {
                    run.reject("backup version " + command.version() + " has no complete artifact, so nothing was restored",
                            null, JobInfo.empty());
                    return;
                }
                manifest = backup.get();
            } catch (Exception e) {
                run.reject(e, JobInfo.empty());
                return;
            }

            log.info("job {}: restore of {} version {} into {}", command.commandId(), command.project(), command.version(), database);
            if (!manifest.capturesObjects()) {
                log.warn("job {}: version {} is artifact format {}, which holds base tables only: its tables are restored, "
                        + "the database keeps its own views, triggers, routines, events and sequences", command.commandId(),
                        command.version(), manifest.formatVersion());
            }
            Loader loader;
            try {
                loader = engines.loader(command.server()).withDefiners(definers(command.definers()));
            } catch (IllegalArgumentException e) {
                run.reject(e.getMessage() + ", so nothing was restored", null, JobInfo.empty());
                return;
            }
            LoadProgress progress = new LoadProgress();
            run.progressFrom(() -> info(progress.snapshot()));
            try {
                run.await(loader.load(id, manifest, loaded, database, progress));
                progress.phase("swap");
                // never cancelled half-way: the server bounds the rename's lock wait, the outcome is always known
                loader.swap(id, manifest, database, loaded, graveyard).block(Duration.ofSeconds(Loader.SWAP_LOCK_WAIT_SECONDS + 120));
                changes.changed(command.project(), "restore", command.commandId(), command.version(),
                        manifest.tables().stream().map(Manifest.Table::name).toList());
                run.done(BackupJob.finalInfo(manifest), BackupJob.result(manifest, 0, BackupJob.notes(manifest, true)));
                log.info("job {}: {} restored to version {} ({} rows)", command.commandId(), database, command.version(),
                        manifest.totalRows());
            } catch (RuntimeException e) {
                dropQuietly(loader, loaded);
                run.reject(e, info(progress.snapshot()));
            }
        }
    }

    /** The request's DEFINER policy; null keeps the worker's configured one. */
    private DefinerPolicy definers(String requested) {
        if (requested == null) {
            return null;
        }
        return switch (requested) {
            case RestoreRequested.DEFINERS_KEEP -> DefinerPolicy.KEEP;
            case RestoreRequested.DEFINERS_RESTORING_ACCOUNT -> DefinerPolicy.RESTORING_ACCOUNT;
            default -> throw new IllegalArgumentException("definers \"" + requested + "\" is not a policy this worker knows ("
                    + RestoreRequested.DEFINERS_KEEP + ", " + RestoreRequested.DEFINERS_RESTORING_ACCOUNT + ")");
        };
    }

    private static void dropQuietly(Loader loader, String schema) {
        try {
            loader.drop(schema).block(Duration.ofMinutes(2));
        } catch (RuntimeException e) {
            log.warn("could not drop {}: {}", schema, e.toString());
        }
    }

    static JobInfo info(LoadProgress.Snapshot s) {
        return new JobInfo(s.total(), s.remaining(), "rows", s.phase(),
                s.tables().stream().map(t -> new JobInfo.TableProgress(t.table(), t.total(), t.done())).toList());
    }
}
