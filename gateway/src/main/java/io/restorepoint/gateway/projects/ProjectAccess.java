package io.restorepoint.gateway.projects;

import io.restorepoint.gateway.control.Project;
import io.restorepoint.gateway.control.ProjectStore;
import io.restorepoint.web.envelope.ApiException;
import io.restorepoint.web.security.Caller;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;


/**
 * Who may use a project: its active members, and admins. Anyone else gets 403, whether or not the
 * project exists (a non-member learns nothing about other projects); an admin asking for an unknown
 * project gets 404.
 */
@Component
public class ProjectAccess {

    private final ProjectStore projects;

    public ProjectAccess(ProjectStore projects) {
        this.projects = projects;
    }

    public Mono<Project> require(Caller caller, String gid) {
        if (!Project.isValidId(gid)) {
            return Mono.error(caller.isAdmin() ? ApiException.notFound("No such project") : forbidden());
        }
        Mono<Project> project = projects.find(gid).filter(Project::isActive);
        if (caller.isAdmin()) {
            return project.switchIfEmpty(Mono.error(ApiException.notFound("No such project")));
        }
        return projects.member(gid, caller.userId())
                .filter(member -> member.isActive())
                .flatMap(member -> project)
                .switchIfEmpty(Mono.error(forbidden()));
    }

    private static ApiException forbidden() {
        return ApiException.forbidden("Forbidden - not a member of this project");
    }
}
