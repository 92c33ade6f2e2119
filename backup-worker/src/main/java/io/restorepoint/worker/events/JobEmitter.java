package io.restorepoint.worker.events;

import io.restorepoint.messaging.ContractPublisher;
import io.restorepoint.messaging.TraceLogging;
import io.restorepoint.schemas.kafka.TraceContext;
import io.restorepoint.schemas.EpochSeconds;
import io.restorepoint.schemas.SchemaVersion;
import io.restorepoint.schemas.Topics;
import io.restorepoint.schemas.command.JobCommand;
import io.restorepoint.schemas.job.JobEvent;
import io.restorepoint.schemas.job.JobFailure;
import io.restorepoint.schemas.job.JobInfo;
import io.restorepoint.schemas.job.JobResult;
import io.restorepoint.schemas.job.JobStatus;
import io.restorepoint.worker.ledger.JobLedger;

import java.time.Duration;
import java.util.UUID;

/**
 * Emits the events of one job run, in order: {@code processing} (any number), then exactly one
 * terminal event; anything after that is dropped. An unchanged {@code processing} event is not sent
 * again, except as a heartbeat once per {@code heartbeat}. The terminal event is written to the
 * {@link JobLedger} before it is published. Each call returns once the broker has the event.
 */
public final class JobEmitter {

    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(60);

    private final ContractPublisher publisher;
    private final JobLedger ledger;
    private final JobCommand command;
    private final Integer version;
    private final String workerId;
    private final long heartbeatNanos;
    private long seq;
    private JobInfo lastInfo;
    private long lastEmitNanos;
    private boolean ended;
    private JobEvent unpublished;
    /** The trace of the request that started the job; every event of the job carries it. */
    private final TraceContext trace;

    public JobEmitter(ContractPublisher publisher, JobLedger ledger, JobCommand command, Integer version, String workerId,
            Duration heartbeat) {
        this.publisher = publisher;
        this.ledger = ledger;
        this.command = command;
        this.version = version;
        this.workerId = workerId;
        this.heartbeatNanos = heartbeat.toNanos();
        this.trace = TraceLogging.current(); // created on the thread that took the command
    }

    public synchronized void processing(JobInfo info) {
        if (ended || (info.equals(lastInfo) && System.nanoTime() - lastEmitNanos < heartbeatNanos)) {
            return;
        }
        publish(event(JobStatus.PROCESSING, info, null, null));
    }

    public synchronized void done(JobInfo info, JobResult result) {
        end(event(JobStatus.DONE, info, null, result));
    }

    public synchronized void rejected(JobInfo info, JobFailure failure) {
        end(event(JobStatus.REJECTED, info, failure, null));
    }

    /**
     * Records the outcome, then publishes it. Once recorded the job has ended, whatever happens to the
     * publication: if that fails, {@link #terminalUnpublished()} says so and the command must not be
     * acknowledged (delivered again, the ledger's outcome is published).
     */
    private void end(JobEvent terminal) {
        if (!ended) {
            ledger.record(terminal);
            ended = true;
            unpublished = terminal;
            publish(terminal);
            unpublished = null;
        }
    }

    /** Whether the job ended but its terminal event has not reached the broker. */
    public synchronized boolean terminalUnpublished() {
        return unpublished != null;
    }

    private JobEvent event(JobStatus status, JobInfo info, JobFailure failure, JobResult result) {
        return new JobEvent(SchemaVersion.V1, UUID.randomUUID().toString(), command.commandId(), command.project(),
                command.jobType(), status, info, command.requestedAt(), EpochSeconds.now(), ++seq, version, workerId,
                failure, result);
    }

    private void publish(JobEvent event) {
        publisher.publish(Topics.CC_EVENTS, event.key(), event, JobEvent.CE_TYPE, event.eventId(), event.jobToken(), trace)
                .block(PUBLISH_TIMEOUT);
        lastInfo = event.info();
        lastEmitNanos = System.nanoTime();
    }

    /** Publishes one job event, under the current thread's trace, and waits for the broker to have it. */
    public static void publish(ContractPublisher publisher, JobEvent event) {
        publisher.publish(Topics.CC_EVENTS, event.key(), event, JobEvent.CE_TYPE, event.eventId(), event.jobToken(),
                        TraceLogging.current())
                .block(PUBLISH_TIMEOUT);
    }
}
