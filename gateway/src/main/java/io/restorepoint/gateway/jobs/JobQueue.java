package io.restorepoint.gateway.jobs;

import io.restorepoint.gateway.control.Jsons;
import io.restorepoint.gateway.control.BackupVersion;
import io.restorepoint.gateway.control.JobStore;
import io.restorepoint.gateway.control.ProjectStore;
import io.restorepoint.messaging.ContractPublisher;
import io.restorepoint.schemas.EpochSeconds;
import io.restorepoint.schemas.SchemaVersion;
import io.restorepoint.schemas.Topics;
import io.restorepoint.schemas.command.JobCommand;
import io.restorepoint.schemas.job.JobEvent;
import io.restorepoint.schemas.job.JobFailure;
import io.restorepoint.schemas.job.JobInfo;
import io.restorepoint.schemas.job.JobStatus;
import io.restorepoint.web.envelope.ApiError;
import io.restorepoint.web.envelope.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Hands recorded jobs to the worker pool: for each, in order, its {@code queued} event on the job stream,
 * then its command (keyed by project, so commands given together run one after the other). If Kafka
 * cannot take them, every job is recorded {@code rejected} (its version, if any, {@code failed}) and the
 * caller gets the Unicat "Process error" (422, code 1003, {@code info.process}) with the reason: an accepted
 * job is always on its way.
 */
@Component
public class JobQueue {

    private static final Logger log = LoggerFactory.getLogger(JobQueue.class);
    public static final String GATEWAY = "gateway";

    private final ContractPublisher publisher;
    private final JobStore jobs;
    private final ProjectStore projects;

    public JobQueue(ContractPublisher publisher, JobStore jobs, ProjectStore projects) {
        this.publisher = publisher;
        this.jobs = jobs;
        this.projects = projects;
    }

    /** The {@code queued} event of a command. */
    public static JobEvent queued(JobCommand command, Integer version) {
        return new JobEvent(SchemaVersion.V1, UUID.randomUUID().toString(), command.commandId(), command.project(),
                command.jobType(), JobStatus.QUEUED, JobInfo.empty(), command.requestedAt(), command.requestedAt(), 0,
                version, GATEWAY, null, null);
    }

    public Mono<Void> submit(List<JobEvent> queued, List<JobCommand> commands) {
        return Flux.fromIterable(queued)
                .concatMap(event -> publisher.publish(Topics.CC_EVENTS, event.key(), event, JobEvent.CE_TYPE, event.eventId(),
                        event.jobToken()))
                .thenMany(Flux.fromIterable(commands)
                        .concatMap(command -> publisher.publish(Topics.COMMANDS, command.project(), command, command.ceType(),
                                command.commandId(), command.commandId())))
                .then()
                .onErrorResume(e -> {
                    log.error("could not enqueue jobs {}: {}", commands.stream().map(JobCommand::commandId).toList(), e.toString());
                    String reason = "The job queue is unavailable; nothing was started";
                    return Flux.fromIterable(commands)
                            .concatMap(command -> jobs.apply(command.commandId(), JobStatus.REJECTED.wire(), 0, 0, null,
                                            Jsons.write(new JobFailure(ApiError.SERVICE_UNAVAILABLE.code(), "Service unavailable",
                                                    command.jobType().process(), reason, null)),
                                            null, GATEWAY, EpochSeconds.now())
                                    .then(projects.settleVersion(command.commandId(), BackupVersion.FAILED, null, null)))
                            .then(Mono.error(new ApiException(ApiError.PROCESS, ApiError.PROCESS.message(),
                                    Map.of("process", commands.get(commands.size() - 1).jobType().process(), "reason", reason,
                                            "job.token", commands.get(commands.size() - 1).commandId()))));
                });
    }
}
