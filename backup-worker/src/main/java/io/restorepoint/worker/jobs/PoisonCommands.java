package io.restorepoint.worker.jobs;

import io.restorepoint.engine.TableException;
import io.restorepoint.messaging.ContractPublisher;
import io.restorepoint.messaging.TraceLogging;
import io.restorepoint.schemas.EpochSeconds;
import io.restorepoint.schemas.SchemaVersion;
import io.restorepoint.schemas.command.JobCommand;
import io.restorepoint.schemas.job.JobEvent;
import io.restorepoint.schemas.job.JobFailure;
import io.restorepoint.schemas.job.JobInfo;
import io.restorepoint.schemas.job.JobStatus;
import io.restorepoint.schemas.job.JobType;
import io.restorepoint.schemas.kafka.CloudEventHeaders;
import io.restorepoint.worker.config.WorkerProperties;
import io.restorepoint.worker.events.JobEmitter;
import io.restorepoint.worker.ledger.JobLedger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;

/**
 * Ends the job of a command that went to the dead-letter topic: the record is unreadable, or handling it
 * kept failing. Its headers still name the job (CloudEvents subject = job token, type = command type)
 * and its key the project, so the job ends {@code rejected} with the reason instead of staying
 * {@code queued}. A record without those headers is only dead-lettered (and logged).
 */
@Component
class PoisonCommands {

    private static final Logger log = LoggerFactory.getLogger(PoisonCommands.class);

    private final ContractPublisher publisher;
    private final JobLedger ledger;
    private final String workerId;

    PoisonCommands(ContractPublisher publisher, JobLedger ledger, WorkerProperties properties) {
        this.publisher = publisher;
        this.ledger = ledger;
        this.workerId = properties.workerId();
    }

    void reject(ConsumerRecord<?, ?> record, Exception e) {
        String token = header(record, CloudEventHeaders.SUBJECT);
        Optional<JobType> type = JobCommand.jobTypeOf(header(record, CloudEventHeaders.TYPE));
        String project = record.key() instanceof String key ? key : null;
        String reason = "the command could not be processed and was moved to the dead-letter topic: " + reason(e);
        if (token == null || type.isEmpty() || project == null) {
            log.error("command at {}-{}@{} dead-lettered, no job to end (no job token or type in its headers): {}",
                    record.topic(), record.partition(), record.offset(), reason);
            return;
        }
        if (ledger.ended(project, token).isPresent()) {
            return;
        }
        double now = EpochSeconds.now();
        JobEvent rejected = new JobEvent(SchemaVersion.V1, UUID.randomUUID().toString(), token, project, type.get(),
                JobStatus.REJECTED, JobInfo.empty(), now, now, 1, null, workerId,
                JobFailure.processError(type.get(), reason, null), null);
        ledger.record(rejected);
        // the listener's trace scope is closed by now: the command's own header says which trace this is
        try (TraceLogging.Scope scope = TraceLogging.open(CloudEventHeaders.trace(record.headers()))) {
            JobEmitter.publish(publisher, rejected);
            log.warn("job {}: command dead-lettered, job rejected: {}", token, reason);
        }
    }

    private static String reason(Exception e) {
        String message = TableException.rootMessage(e);
        return message.length() > 300 ? message.substring(0, 300) + "…" : message;
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
