package io.restorepoint.gateway.projects;

import io.restorepoint.gateway.control.ProjectStore;
import io.restorepoint.messaging.ContractPublisher;
import io.restorepoint.schemas.EpochSeconds;
import io.restorepoint.schemas.SchemaVersion;
import io.restorepoint.schemas.Topics;
import io.restorepoint.schemas.job.ProjectChanged;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.util.UUID;

/**
 * Tells the global stream that a project's backups list changed, so clients following the feed re-read
 * it. A notification that cannot be published is logged, never fails the call that changed the list (the
 * list itself is already committed and readable).
 */
@Component
public class ProjectChanges {

    private static final Logger log = LoggerFactory.getLogger(ProjectChanges.class);

    private final ProjectStore projects;
    private final ContractPublisher publisher;

    public ProjectChanges(ProjectStore projects, ContractPublisher publisher) {
        this.projects = projects;
        this.publisher = publisher;
    }

    public Mono<Void> backupsChanged(String project, Integer version) {
        return projects.find(project)
                .flatMap(p -> {
                    ProjectChanged event = new ProjectChanged(SchemaVersion.V1, UUID.randomUUID().toString(), project,
                            ProjectChanged.BACKUPS, version, p.nextVersion(), EpochSeconds.now());
                    return publisher.publish(Topics.CC_EVENTS, event.key(), event, ProjectChanged.CE_TYPE, event.eventId(), project);
                })
                .then()
                .onErrorResume(e -> {
                    log.warn("project {}: backups list changed, but the change could not be announced: {}", project, e.toString());
                    return Mono.empty();
                });
    }
}
