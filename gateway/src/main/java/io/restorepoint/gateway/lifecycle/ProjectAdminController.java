package io.restorepoint.gateway.lifecycle;

import io.restorepoint.engine.connect.DatabaseServers;
import io.restorepoint.gateway.audit.AuditFilter;
import io.restorepoint.gateway.control.Project;
import io.restorepoint.gateway.requests.Arguments;
import io.restorepoint.web.envelope.Envelope;
import io.restorepoint.web.security.Caller;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The projects API, for global admins: {@code GET /api/projects}, {@code POST /api/projects/create},
 * {@code POST /api/projects/<id>/update}, {@code POST /api/projects/<id>/delete}.
 */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Projects (admin)", description = "Register, rename, archive and delete projects")
@RestController
public class ProjectAdminController {

    private final ProjectLifecycle lifecycle;

    public ProjectAdminController(ProjectLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    @io.swagger.v3.oas.annotations.Operation(summary = "Every project (admin)", description = "Id, name, database, server, owner, status (active or archived), next version and last backup of every project.")
    @GetMapping(path = "/api/projects", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<Envelope> list() {
        return admin().flatMap(caller -> lifecycle.all().map(ProjectAdminController::view).collectList())
                .map(all -> Envelope.ok(Map.of("projects", all)));
    }

    @io.swagger.v3.oas.annotations.Operation(summary = "Register a project (admin)", description = "Body {id, database, name?, server? (default: default), owner? (default: the caller)}. The owner becomes its first member; the project gets the default schedule. 422 names a bad field; 1003 if the id is taken.")
    @PostMapping(path = "/api/projects/create", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<Envelope> create(@RequestBody(required = false) JsonNode body, ServerWebExchange exchange) {
        return admin().flatMap(caller -> Mono.defer(() -> {
            Arguments args = new Arguments(body);
            String id = args.requiredText("id");
            String database = args.requiredText("database");
            String name = args.optionalText("name");
            String server = args.optionalText("server");
            String owner = args.optionalText("owner");
            AuditFilter.noteProject(exchange, id);
            return lifecycle.create(new ProjectLifecycle.NewProject(id, name == null ? id : name, database,
                    server == null ? DatabaseServers.DEFAULT : server, owner == null ? caller.userId() : owner));
        })).map(project -> Envelope.ok(Map.of("project", view(project))));
    }

    @io.swagger.v3.oas.annotations.Operation(summary = "Rename, archive or reactivate a project (admin)", description = "Body {name?, status? (active or archived)}. An archived project keeps its backups and takes no new ones: no project call reaches it and no schedule fires.")
    @PostMapping(path = "/api/projects/{project}/update", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<Envelope> update(@PathVariable("project") String id, @RequestBody(required = false) JsonNode body) {
        return admin().flatMap(caller -> Mono.defer(() -> {
            Arguments args = new Arguments(body);
            return lifecycle.update(id, args.optionalText("name"), args.optionalText("status"));
        })).map(project -> Envelope.ok(Map.of("project", view(project))));
    }

    @io.swagger.v3.oas.annotations.Operation(summary = "Delete a project (admin)", description = "Body {delete_backups?: boolean}. Refused (1003) while one of its jobs runs, and while it has backups unless delete_backups is true, which deletes their artifacts too. Its members lose access at once.")
    @PostMapping(path = "/api/projects/{project}/delete", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<Envelope> delete(@PathVariable("project") String id, @RequestBody(required = false) JsonNode body) {
        return admin().flatMap(caller -> Mono.defer(() -> {
            Arguments args = new Arguments(body == null ? JsonNodeFactory.instance.objectNode() : body);
            Boolean deleteBackups = args.optionalBoolean("delete_backups");
            return lifecycle.delete(id, Boolean.TRUE.equals(deleteBackups));
        })).map(Envelope::ok);
    }

    private static Mono<Caller> admin() {
        return Caller.currentAdmin("Forbidden - projects are managed by administrators");
    }

    static Map<String, Object> view(Project p) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", p.gid());
        view.put("name", p.name());
        view.put("database", p.database());
        view.put("server", p.server());
        view.put("owner", p.owner());
        view.put("status", p.status());
        view.put("next_version", p.nextVersion());
        view.put("last_backed_up", p.lastBackedUp());
        return view;
    }
}
