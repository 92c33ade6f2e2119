package io.restorepoint.worker.jobs;

import io.restorepoint.engine.artifact.ArtifactId;
import io.restorepoint.engine.artifact.ArtifactStore;
import io.restorepoint.engine.artifact.Manifest;
import io.restorepoint.engine.dump.DumpProgress;
import io.restorepoint.engine.dump.DumpRequest;
import io.restorepoint.engine.dump.Dumper;
import io.restorepoint.schemas.command.BackupRequested;
import io.restorepoint.schemas.job.JobInfo;
import io.restorepoint.schemas.job.JobResult;
import io.restorepoint.worker.config.ServerEngines;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;

/**
 * Runs a {@code backup_project} job: dumps the project's database into a new artifact while reporting
 * progress, then ends the job {@code done} (artifact committed) or {@code rejected} (nothing committed,
 * with the reason). Running the same command twice is harmless: a committed artifact of the same job
 * is reported {@code done} again instead of being dumped again.
 */
@Component
public class BackupJob {

    private static final Logger log = LoggerFactory.getLogger(BackupJob.class);

    private final ServerEngines engines;
    private final ArtifactStore store;
    private final JobRuns runs;

    BackupJob(ServerEngines engines, ArtifactStore store, JobRuns runs) {
        this.engines = engines;
        this.store = store;
        this.runs = runs;
    }

    public void run(BackupRequested command) {
        ArtifactId id = new ArtifactId(command.project(), command.version());
        try (JobRun run = runs.start(command, command.version())) {
            Optional<Manifest> existing;
            try {
                existing = store.manifest(id);
            } catch (Exception e) {
                run.reject(e, new JobInfo(0, 0, "rows", "store", null));
                return;
            }
            if (existing.isPresent()) {
                if (command.commandId().equals(existing.get().jobToken())) {
                    log.info("job {}: artifact {} already committed, reporting done again", command.commandId(), id);
                    run.done(finalInfo(existing.get()), result(existing.get()));
                } else {
                    run.reject("backup version " + command.version() + " already holds another backup", null, JobInfo.empty());
                }
                return;
            }

            Dumper dumper;
            try {
                dumper = engines.dumper(command.server());
            } catch (IllegalArgumentException e) {
                run.reject(e.getMessage() + ", so nothing was backed up", null, JobInfo.empty());
                return;
            }
            log.info("job {}: backup of {} (database {} on server {}) as version {}", command.commandId(), command.project(),
                    command.database(), command.server() == null ? "default" : command.server(), command.version());
            run.processing(new JobInfo(0, 0, "rows", "snapshot", null));
            DumpProgress progress = new DumpProgress();
            run.progressFrom(() -> info(progress.snapshot()));
            try {
                Manifest manifest = run.await(dumper.dump(new DumpRequest(id, command.commandId(), command.database()), progress));
                run.done(finalInfo(manifest), result(manifest));
                log.info("job {}: done, {} rows, {} bytes", command.commandId(), manifest.totalRows(), manifest.totalBytes());
            } catch (RuntimeException e) {
                // a stop (phase timeout) landing while the manifest was being written does not undo the commit:
                // the job's outcome is what the store holds
                Optional<Manifest> committed = committedBy(id, command.commandId());
                if (committed.isPresent()) {
                    log.info("job {}: stopped ({}) after its artifact was committed: done", command.commandId(), JobRun.reason(e));
                    run.done(finalInfo(committed.get()), result(committed.get()));
                } else {
                    run.reject(e, info(progress.snapshot()));
                }
            }
        }
    }

    private Optional<Manifest> committedBy(ArtifactId id, String jobToken) {
        try {
            return store.manifest(id).filter(m -> jobToken.equals(m.jobToken()));
        } catch (Exception e) {
            log.warn("job {}: could not read back artifact {}: {}", jobToken, id, e.toString());
            return Optional.empty();
        }
    }

    private static JobInfo info(DumpProgress.Snapshot s) {
        return new JobInfo(s.total(), s.remaining(), "rows", s.phase(),
                s.tables().stream().map(t -> new JobInfo.TableProgress(t.table(), t.total(), t.done())).toList());
    }

    static JobInfo finalInfo(Manifest manifest) {
        List<JobInfo.TableProgress> tables = manifest.tables().stream()
                .map(t -> new JobInfo.TableProgress(t.name(), t.rows(), t.rows())).toList();
        return new JobInfo(manifest.totalRows(), 0, "rows", "done", tables);
    }

    private static JobResult result(Manifest manifest) {
        return result(manifest, manifest.totalBytes(), null);
    }

    /** A done event's result for a job over {@code manifest}'s backup: its rows, its objects by kind, what it left out. */
    static JobResult result(Manifest manifest, long bytes, List<String> notes) {
        java.util.Map<String, Integer> objects = null;
        if (manifest.capturesObjects()) {
            objects = new java.util.TreeMap<>();
            for (Manifest.ObjectEntry o : manifest.objects()) {
                objects.merge(o.kind(), 1, Integer::sum);
            }
        }
        List<JobResult.SkippedObject> skipped = manifest.skippedObjects().stream()
                .map(o -> new JobResult.SkippedObject(o.kind(), o.name(), o.reason())).toList();
        return new JobResult(manifest.totalRows(), bytes, null, objects, notes, skipped.isEmpty() ? null : skipped);
    }

    /**
     * What a restore or verify of {@code manifest}'s backup should tell the user beyond its counts: that it
     * holds base tables only (format 1, 2), or that it left objects out; null when there is nothing to say.
     */
    static List<String> notes(Manifest manifest, boolean restore) {
        List<String> notes = new java.util.ArrayList<>();
        if (!manifest.capturesObjects()) {
            notes.add("backup version " + manifest.version() + " is artifact format " + manifest.formatVersion()
                    + ", written before backups held views, triggers, routines, events and sequences: it has base tables only"
                    + (restore ? ", so its tables were restored and the database kept its own views, routines, events and "
                            + "sequences, and the triggers of the tables it restored" : ", so only those were verified"));
        }
        if (!restore && manifest.tables().stream().anyMatch(t -> t.rowChecksum() == null)) {
            notes.add("backup version " + manifest.version() + " predates row checksums: its rows were compared by count only");
        }
        if (!manifest.skippedObjects().isEmpty()) {
            notes.add("backup version " + manifest.version() + " left out " + manifest.skippedObjects().size()
                    + " object(s) the backup account could not read (see skipped)"
                    + (restore ? ": the restored database does not have them" : ": they were not verified"));
        }
        return notes.isEmpty() ? null : notes;
    }
}
