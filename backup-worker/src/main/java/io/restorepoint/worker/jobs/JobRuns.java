package io.restorepoint.worker.jobs;

import io.restorepoint.messaging.ContractPublisher;
import io.restorepoint.schemas.command.JobCommand;
import io.restorepoint.worker.config.WorkerProperties;
import io.restorepoint.worker.events.JobEmitter;
import io.restorepoint.worker.ledger.JobLedger;
import io.restorepoint.worker.metrics.JobMetrics;
import org.springframework.stereotype.Component;

/** Starts {@link JobRun}s with this worker's publisher, ledger, id and timeouts. */
@Component
class JobRuns {

    private final ContractPublisher publisher;
    private final JobLedger ledger;
    private final WorkerProperties properties;
    private final String workerId;
    private final JobMetrics metrics;

    JobRuns(ContractPublisher publisher, JobLedger ledger, WorkerProperties properties, JobMetrics metrics) {
        this.metrics = metrics;
        this.publisher = publisher;
        this.ledger = ledger;
        this.properties = properties;
        this.workerId = properties.workerId();
    }

    JobRun start(JobCommand command, Integer version) {
        return new JobRun(new JobEmitter(publisher, ledger, command, version, workerId, properties.heartbeat()), command,
                properties, metrics.started(command.jobType()));
    }
}
