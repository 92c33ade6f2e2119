package io.restorepoint.sync;

import io.restorepoint.messaging.ContractPublisher;
import io.restorepoint.schemas.SchemaVersion;
import io.restorepoint.schemas.Topics;
import io.restorepoint.schemas.job.JobEvent;
import io.restorepoint.schemas.job.JobInfo;
import io.restorepoint.schemas.job.JobStatus;
import io.restorepoint.schemas.job.JobType;

import java.time.Duration;
import java.util.UUID;

/** Job events as a worker publishes them to the cc topic, for the feed tests. */
public final class JobEvents {

    private JobEvents() {
    }

    /** Publishes one event of job {@code token} in {@code status} (10 rows, 4 left unless done) and waits for the ack. */
    public static String publish(ContractPublisher publisher, String project, String token, JobStatus status) {
        JobEvent event = new JobEvent(SchemaVersion.V1, UUID.randomUUID().toString(), token, project,
                JobType.BACKUP_PROJECT, status, new JobInfo(10, status == JobStatus.DONE ? 0 : 4, "rows", null, null),
                1, 2, 1, 1, "w", null, null);
        publisher.publish(Topics.CC_EVENTS, token, event, JobEvent.CE_TYPE, event.eventId(), token).block(Duration.ofSeconds(20));
        return token;
    }
}
