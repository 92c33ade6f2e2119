package io.restorepoint.worker.jobs;

import io.restorepoint.engine.artifact.ArtifactId;
import io.restorepoint.engine.artifact.ArtifactStore;
import io.restorepoint.engine.artifact.Manifest;
import io.restorepoint.engine.load.HelperSchemas;
import io.restorepoint.engine.load.LoadProgress;
import io.restorepoint.engine.load.Loader;
import io.restorepoint.schemas.command.VerifyRequested;
import io.restorepoint.schemas.job.JobInfo;
import io.restorepoint.worker.config.ServerEngines;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Optional;

/**
 * Runs a {@code verify_backup} job: "test your restores", made automatic. The artifact's checksums are
 * checked, it is loaded into a scratch schema exactly as a restore would load it (every table's row count
 * is compared with the manifest), then the loaded copy is compared with the backup: every table's rows by
 * their row checksum, every view, trigger, routine and sequence by its definition as the server reads it
 * back ({@code Loader.compare}). The scratch schema is dropped. The project's data is not touched.
 */
@Component
public class VerifyJob {

    private static final Logger log = LoggerFactory.getLogger(VerifyJob.class);

    private final ServerEngines engines;
    private final ArtifactStore store;
    private final JobRuns runs;

    VerifyJob(ServerEngines engines, ArtifactStore store, JobRuns runs) {
        this.engines = engines;
        this.store = store;
        this.runs = runs;
    }

    public void run(VerifyRequested command) {
        ArtifactId id = new ArtifactId(command.project(), command.version());
        String scratch = HelperSchemas.of(command.database(), HelperSchemas.VERIFY, command.commandId());
        try (JobRun run = runs.start(command, command.version())) {
            Manifest manifest;
            try {
                Optional<Manifest> backup = store.manifest(id);
                if (backup.isEmpty()) {
                    run.reject("backup version " + command.version() + " has no complete artifact", null, JobInfo.empty());
                    return;
                }
                manifest = backup.get();
            } catch (Exception e) {
                run.reject(e, JobInfo.empty());
                return;
            }
            Loader loader;
            try {
                loader = engines.loader(command.server());
            } catch (IllegalArgumentException e) {
                run.reject(e.getMessage() + ", so nothing was verified", null, JobInfo.empty());
                return;
            }
            run.processing(new JobInfo(manifest.totalRows(), manifest.totalRows(), "rows", "verify", null));
            LoadProgress progress = new LoadProgress();
            run.progressFrom(() -> RestoreJob.info(progress.snapshot()));
            try {
                run.await(loader.load(id, manifest, scratch, command.database(), progress));
                progress.phase("compare");
                run.await(loader.compare(id, manifest, scratch));
                run.done(BackupJob.finalInfo(manifest), BackupJob.result(manifest, 0, BackupJob.notes(manifest, false)));
                log.info("job {}: version {} of {} verified ({} rows)", command.commandId(), command.version(),
                        command.project(), manifest.totalRows());
            } catch (RuntimeException e) {
                run.reject(e, RestoreJob.info(progress.snapshot()));
            } finally {
                try {
                    loader.drop(scratch).block(Duration.ofMinutes(2));
                } catch (RuntimeException e) {
                    log.warn("could not drop {}: {}", scratch, e.toString());
                }
            }
        }
    }
}
