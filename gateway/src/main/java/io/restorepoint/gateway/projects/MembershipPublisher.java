package io.restorepoint.gateway.projects;

import io.restorepoint.gateway.control.Member;
import io.restorepoint.gateway.control.ProjectStore;
import io.restorepoint.messaging.ContractPublisher;
import io.restorepoint.schemas.SchemaVersion;
import io.restorepoint.schemas.Topics;
import io.restorepoint.schemas.membership.ProjectMembership;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.util.List;

/**
 * Publishes memberships to their compacted topic, so the feeds know who may see which project's
 * events without reading the gateway's tables. Republishing everything is harmless (compaction keeps
 * the latest record per key); the gateway does it at start-up.
 */
@Component
public class MembershipPublisher {

    private final ProjectStore projects;
    private final ContractPublisher publisher;

    public MembershipPublisher(ProjectStore projects, ContractPublisher publisher) {
        this.projects = projects;
        this.publisher = publisher;
    }

    public Mono<Long> publishAll() {
        return projects.members().concatMap(member -> publish(member).thenReturn(member)).count();
    }

    public Mono<Void> publish(Member member) {
        ProjectMembership record = new ProjectMembership(SchemaVersion.V1, member.project(), member.user(),
                List.of(member.role()), member.status());
        return publisher.publish(Topics.MEMBERSHIPS, record.key(), record, ProjectMembership.CE_TYPE, null, record.key()).then();
    }
}
