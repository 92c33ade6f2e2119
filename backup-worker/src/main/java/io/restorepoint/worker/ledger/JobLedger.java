package io.restorepoint.worker.ledger;

import io.restorepoint.engine.artifact.ArtifactStore;
import io.restorepoint.schemas.job.JobEvent;
import io.restorepoint.schemas.kafka.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What each finished job ended with, kept in the artifact store next to the artifacts (so every worker
 * of the pool sees it). A job's terminal event is written here <em>before</em> it is published, and a
 * command whose job is already in the ledger is not run again: its terminal event is published once
 * more instead. That makes a redelivered command (a worker died between publishing the outcome and
 * committing the command's offset, or a producer retried) harmless: no second dump, no second restore,
 * no second import.
 */
@Component
public class JobLedger {

    private static final Logger log = LoggerFactory.getLogger(JobLedger.class);
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private final ArtifactStore store;

    public JobLedger(ArtifactStore store) {
        this.store = store;
    }

    /** The terminal event the job ended with, if it has ended. */
    public Optional<JobEvent> ended(String project, String jobToken) {
        String path = path(project, jobToken);
        if (path == null) {
            return Optional.empty();
        }
        try {
            if (!store.existsStaged(path)) {
                return Optional.empty();
            }
            try (InputStream in = store.openStaged(path)) {
                return Optional.of(Json.MAPPER.readValue(in, JobEvent.class));
            }
        } catch (IOException | RuntimeException e) {
            // a torn entry (the worker died while writing it) counts as "not ended": the job's own
            // idempotency (committed manifest, import marker) still holds
            log.warn("job {}: ledger entry unreadable, treating the job as not ended: {}", jobToken, e.toString());
            return Optional.empty();
        }
    }

    /** Records the terminal event of a job. Throws if it cannot: the event must not be published then. */
    public void record(JobEvent terminal) {
        String path = path(terminal.project(), terminal.jobToken());
        if (path == null) {
            return;
        }
        try (OutputStream out = store.createStaged(path)) {
            out.write(Json.MAPPER.writeValueAsBytes(terminal));
        } catch (IOException e) {
            throw new UncheckedIOException("could not record the outcome of job " + terminal.jobToken(), e);
        }
    }

    private static String path(String project, String jobToken) {
        if (project == null || jobToken == null || !SAFE.matcher(project).matches() || !SAFE.matcher(jobToken).matches()) {
            return null;
        }
        return "jobs/" + project + "/" + jobToken + ".json";
    }
}
