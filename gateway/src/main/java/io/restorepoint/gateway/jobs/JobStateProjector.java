package io.restorepoint.gateway.jobs;

import io.restorepoint.gateway.control.Jsons;
import io.restorepoint.gateway.control.BackupVersion;
import io.restorepoint.gateway.control.JobStore;
import io.restorepoint.gateway.control.ProjectStore;
import io.restorepoint.gateway.projects.ProjectChanges;
import io.restorepoint.schemas.job.CcEvent;
import io.restorepoint.schemas.job.JobEvent;
import io.restorepoint.schemas.job.JobStatus;
import io.restorepoint.schemas.job.JobType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

import java.time.Duration;

/**
 * Keeps the gateway's job table and backup versions in step with the job stream: a backup version
 * becomes {@code valid} when its job is {@code done} (the artifact is committed by then) and
 * {@code failed} when it is {@code rejected}. The record is acknowledged only after the database
 * change commits; applying an event twice changes nothing.
 */
@Component
public class JobStateProjector {

    private static final Logger log = LoggerFactory.getLogger(JobStateProjector.class);

    private final JobStore jobs;
    private final ProjectStore projects;
    private final ProjectChanges changes;
    private final TransactionalOperator tx;

    public JobStateProjector(JobStore jobs, ProjectStore projects, ProjectChanges changes, TransactionalOperator tx) {
        this.jobs = jobs;
        this.projects = projects;
        this.changes = changes;
        this.tx = tx;
    }

    @KafkaListener(id = "gateway-job-state", topics = "#{T(io.restorepoint.schemas.Topics).CC_EVENTS.name()}",
            containerFactory = JobsKafkaConfiguration.CC_EVENTS_FACTORY)
    public void on(CcEvent event) {
        if (event instanceof JobEvent job) {
            apply(job).block(Duration.ofSeconds(30));
            if (job.status().isTerminal() && (job.job() == JobType.BACKUP_PROJECT || job.job() == JobType.VERIFY_BACKUP)) {
                changes.backupsChanged(job.project(), job.version()).block(Duration.ofSeconds(30));
            }
        }
    }

    Mono<Void> apply(JobEvent event) {
        String failure = Jsons.write(event.failure());
        Mono<Void> version = Mono.empty();
        if (event.job() == JobType.BACKUP_PROJECT && event.status() == JobStatus.DONE) {
            version = projects.settleVersion(event.jobToken(), BackupVersion.VALID,
                    event.result() == null ? null : event.result().rows(),
                    event.result() == null ? null : event.result().bytes(),
                    event.result() == null || event.result().skipped() == null ? null : Jsons.write(event.result().skipped())).then();
        } else if (event.job() == JobType.BACKUP_PROJECT && event.status() == JobStatus.REJECTED) {
            version = projects.settleVersion(event.jobToken(), BackupVersion.FAILED, null, null).then();
        } else if (event.job() == JobType.VERIFY_BACKUP && event.status().isTerminal() && event.version() != null) {
            version = projects.recordVerification(event.project(), event.version(),
                    event.status() == JobStatus.DONE ? "passed" : "failed", event.updatedOn()).then();
        }
        return jobs.apply(event.jobToken(), event.status().wire(), event.info().total(), event.info().remaining(),
                        Jsons.write(event.info()), failure, Jsons.write(event.result()), event.workerId(), event.updatedOn())
                .doOnNext(changed -> {
                    if (changed == 0 && event.status() != JobStatus.QUEUED) {
                        log.debug("job {}: {} event ignored (job unknown or already ended)", event.jobToken(), event.status());
                    }
                })
                .then(version)
                .as(tx::transactional);
    }
}
