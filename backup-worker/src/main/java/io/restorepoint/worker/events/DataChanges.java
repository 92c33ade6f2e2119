package io.restorepoint.worker.events;

import io.restorepoint.messaging.ContractPublisher;
import io.restorepoint.schemas.EpochSeconds;
import io.restorepoint.schemas.SchemaVersion;
import io.restorepoint.schemas.Topics;
import io.restorepoint.schemas.job.ProjectDataChanged;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Announces on the per-project stream that a job changed a project's data (a restore replaced it, an
 * import added rows), before the job's {@code done}. A failure to announce is logged, not fatal: the data
 * change is committed either way.
 */
@Component
public class DataChanges {

    private static final Logger log = LoggerFactory.getLogger(DataChanges.class);

    private final ContractPublisher publisher;

    public DataChanges(ContractPublisher publisher) {
        this.publisher = publisher;
    }

    public void changed(String project, String reason, String jobToken, Integer version, List<String> tables) {
        ProjectDataChanged event = new ProjectDataChanged(SchemaVersion.V1, UUID.randomUUID().toString(), project, reason, jobToken,
                version, tables, EpochSeconds.now());
        try {
            publisher.publish(Topics.PROJECT_EVENTS, project, event, ProjectDataChanged.CE_TYPE, event.eventId(), jobToken,
                            io.restorepoint.messaging.TraceLogging.current())
                    .block(Duration.ofSeconds(60));
        } catch (RuntimeException e) {
            log.warn("job {}: data of {} changed, but the change could not be announced: {}", jobToken, project, e.toString());
        }
    }
}
