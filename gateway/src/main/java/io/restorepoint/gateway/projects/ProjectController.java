package io.restorepoint.gateway.projects;

import io.restorepoint.web.envelope.Envelope;
import io.restorepoint.web.security.Caller;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/p/<project>/init}: the project as a member sees it, with its backups list and
 * {@code last_backed_up}, as in the Unicat reference's project init ({@code result {user, project,
 * last_backed_up}}, {@code data cc.projects}).
 */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Projects", description = "Project data")
@RestController
public class ProjectController {

    private final ProjectAccess access;
    private final ProjectViews views;

    public ProjectController(ProjectAccess access, ProjectViews views) {
        this.access = access;
        this.views = views;
    }

    @io.swagger.v3.oas.annotations.Operation(summary = "Project data", description = "The project with its backups list and last_backed_up, for members.")
    @GetMapping(path = "/api/p/{project}/init", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<Envelope> init(@PathVariable String project) {
        return Caller.current().flatMap(caller -> access.require(caller, project)
                .flatMap(p -> views.ccProjects(p.gid()).map(data -> {
                    Map<String, Object> result = new LinkedHashMap<>();
                    result.put("user", caller.userId());
                    result.put("project", p.gid());
                    result.put("last_backed_up", p.lastBackedUp());
                    return Envelope.ok(result, data);
                })));
    }
}
