package io.restorepoint.worker.jobs;

import io.restorepoint.engine.imports.Importer;
import io.restorepoint.engine.imports.StagedImport;
import io.restorepoint.schemas.command.ImportRequested;
import io.restorepoint.schemas.job.JobInfo;
import io.restorepoint.schemas.job.JobResult;
import io.restorepoint.worker.config.ServerEngines;
import io.restorepoint.worker.events.DataChanges;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs an {@code import_data} job: the document the gateway validated and staged is inserted in one
 * transaction, rows whose key exists skipped, nothing updated or deleted; any error rolls it all back and
 * the job ends {@code rejected} naming the table, and its staged files are removed first (a rejected job
 * never runs again). A job delivered again after its commit reports the counts it committed instead of
 * importing again.
 */
@Component
public class ImportJob {

    private static final Logger log = LoggerFactory.getLogger(ImportJob.class);

    private final ServerEngines engines;
    private final JobRuns runs;
    private final DataChanges changes;

    ImportJob(ServerEngines engines, JobRuns runs, DataChanges changes) {
        this.changes = changes;
        this.engines = engines;
        this.runs = runs;
    }

    public void run(ImportRequested command) {
        try (JobRun run = runs.start(command, null)) {
            Importer importer;
            try {
                importer = engines.importer(command.server());
            } catch (IllegalArgumentException e) {
                discard(engines.importer(null), command); // the staged files are the store's, on no server
                run.reject(e.getMessage() + ", so nothing was imported", null, JobInfo.empty());
                return;
            }
            StagedImport staged;
            try {
                Importer.ImportResult committed = importer.committed(command.staging());
                if (committed != null) {
                    log.info("job {}: import already committed, reporting done again", command.commandId());
                    run.done(new JobInfo(committed.inserted(), 0, "rows", "done", null), result(committed));
                    return;
                }
                staged = importer.staged(command.staging());
            } catch (Exception e) {
                discard(importer, command);
                run.reject("the validated document is no longer in the staging area (" + JobRun.reason(e) + ")", null,
                        JobInfo.empty());
                return;
            }
            long total = staged.rows();
            AtomicLong handled = new AtomicLong();
            run.processing(new JobInfo(total, total, "rows", "import", null));
            run.progressFrom(() -> new JobInfo(total, Math.max(0, total - handled.get()), "rows", "import", null));
            try {
                Importer.ImportResult result = run.await(importer.run(command.staging(), command.database(), staged, handled::set));
                List<String> changed = result.tables().entrySet().stream().filter(e -> e.getValue().inserted() > 0)
                        .map(Map.Entry::getKey).toList();
                if (!changed.isEmpty()) {
                    changes.changed(command.project(), "import", command.commandId(), null, changed);
                }
                run.done(new JobInfo(total, 0, "rows", "done", null), result(result));
                log.info("job {}: imported {} of {} rows into {}", command.commandId(), result.inserted(), total, command.database());
            } catch (RuntimeException e) {
                discard(importer, command);
                run.reject(e, new JobInfo(total, Math.max(0, total - handled.get()), "rows", "import", null));
            }
        }
    }

    private static void discard(Importer importer, ImportRequested command) {
        try {
            importer.discard(command.staging());
        } catch (java.io.IOException | RuntimeException e) {
            log.warn("job {}: could not remove the staged import {}: {}", command.commandId(), command.staging(), e.toString());
        }
    }

    private static JobResult result(Importer.ImportResult result) {
        Map<String, JobResult.TableCount> tables = new LinkedHashMap<>();
        result.tables().forEach((name, count) -> tables.put(name, new JobResult.TableCount(count.inserted(), count.skipped())));
        return new JobResult(result.inserted(), 0, tables);
    }
}
