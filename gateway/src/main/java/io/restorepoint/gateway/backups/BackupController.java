package io.restorepoint.gateway.backups;

import io.restorepoint.gateway.requests.Arguments;
import io.restorepoint.schemas.command.RestoreRequested;
import io.restorepoint.gateway.audit.AuditFilter;
import io.restorepoint.gateway.projects.ProjectAccess;
import io.restorepoint.gateway.projects.ProjectViews;
import org.springframework.web.server.ServerWebExchange;
import io.restorepoint.web.envelope.Envelope;
import io.restorepoint.web.security.Caller;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code POST /api/p/<project>/backups/*} of the Unicat reference. */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Project backups", description = "Unicat-compatible backup calls of one project")
@RestController
@RequestMapping(path = "/api/p/{project}/backups", produces = MediaType.APPLICATION_JSON_VALUE)
public class BackupController {

    private final BackupService backups;
    private final ProjectViews views;
    private final ProjectAccess access;

    public BackupController(BackupService backups, ProjectViews views, ProjectAccess access) {
        this.backups = backups;
        this.views = views;
        this.access = access;
    }

    /** Who may call comes first (401, then 403), what they sent second (400/422). */
    private <T> Mono<T> asMember(String project, java.util.function.BiFunction<Caller, Arguments, Mono<T>> call, JsonNode body) {
        return Caller.current().flatMap(caller -> access.require(caller, project)
                .then(Mono.fromCallable(() -> new Arguments(body)))
                .flatMap(args -> call.apply(caller, args)));
    }

    /**
     * Starts a backup job: {@code {created_by, name?}} → {@code result {project, version, last_backed_up,
     * job.token}}, {@code data cc.projects} with the new (pending) version listed.
     */
    @io.swagger.v3.oas.annotations.Operation(summary = "Create a backup (job backup_project)", description = "Allocates the next version (never reused) and starts a backup job; answers before it ends. Follow job.token in the sync feed or GET /api/p/{project}/jobs/{token}. name defaults to 'Backup {version}' and may not imitate that form.",
            responses = @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "Accepted",
                    content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json",
                            examples = @io.swagger.v3.oas.annotations.media.ExampleObject(value = "{\"success\":true,\"result\":{\"project\":\"demo\",\"version\":3,\"last_backed_up\":1613565541.4195538,\"job.token\":\"06715cb7-4dfa-4ec1-bad4-c136ddbf80d9\",\"queue_position\":0},\"data\":{\"cc.projects\":{\"demo\":{\"gid\":\"demo\",\"name\":\"Scrap tracking (demo)\",\"owner\":\"admin\",\"status\":\"active\",\"backups\":{\"versions\":[{\"version\":3,\"name\":\"Update Catalog pre-upload backup\",\"created_by\":\"Update Catalog module (Unicat Connect)\",\"timestamp\":1613565541.4195538,\"status\":\"pending\"}],\"next_version\":4}}}}}"))))
    @PostMapping(path = "/create", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<Envelope> create(@PathVariable String project, @RequestBody(required = false) JsonNode body,
            ServerWebExchange exchange) {
        return asMember(project, (caller, args) -> {
                    String createdBy = args.requiredText("created_by");
                    String name = args.optionalText("name");
                    return backups.create(caller, project, createdBy, name);
                }, body)
                .doOnNext(accepted -> AuditFilter.noteJob(exchange, accepted.jobToken()))
                .flatMap(accepted -> views.ccProjects(accepted.project()).map(data -> {
                    Map<String, Object> result = new LinkedHashMap<>();
                    result.put("project", accepted.project());
                    result.put("version", accepted.version());
                    result.put("last_backed_up", accepted.lastBackedUp());
                    result.put("job.token", accepted.jobToken());
                    result.put("queue_position", accepted.queuePosition());
                    return Envelope.ok(result, data);
                }));
    }

    /**
     * Restores a version: {@code {version, definers?}} → {@code result {project, version, last_restored, job.token,
     * safety_backup {version, job.token}}}, {@code data {}}. A safety backup of the current data is taken
     * first, as a version of its own; 422 "backup version invalid" for version 0 or a version that is not
     * a complete backup.
     */
    @io.swagger.v3.oas.annotations.Operation(summary = "Restore a version (job restore_project)", description = "Takes a safety backup of the current data first (a version of its own), verifies the artifact, loads it aside and swaps it in atomically. It is a restore, not a merge: tables, views, triggers, routines, events and sequences the backup does not hold are removed. Body {version, definers?}: definers \"keep\" (default: each object keeps its DEFINER) or \"restoring_account\" (objects run as the account the worker restores with; administrators only, 403 otherwise). 422 naming the parameter for another definers value; 422 backup version invalid for version 0 or a version that is not a complete backup; a failed restore ends its job rejected with code 1003.",
            responses = @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "Accepted",
                    content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json",
                            examples = @io.swagger.v3.oas.annotations.media.ExampleObject(value = "{\"success\":true,\"result\":{\"project\":\"demo\",\"version\":1,\"last_restored\":1613565541.4195538,\"job.token\":\"7c136ddb-4dfa-4ec1-bad4-15067cbf80d9\",\"safety_backup\":{\"version\":4,\"job.token\":\"1d3e9a52-0c2b-4f0e-9a33-6f3f7c1e2a10\"},\"queue_position\":1},\"data\":{}}"))))
    @PostMapping(path = "/restore", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<Envelope> restore(@PathVariable String project, @RequestBody(required = false) JsonNode body,
            ServerWebExchange exchange) {
        return asMember(project, (caller, args) -> backups.restore(caller, project, args.requiredInt("version"), definers(caller, args)), body)
                .doOnNext(accepted -> AuditFilter.noteJob(exchange, accepted.jobToken()))
                .map(accepted -> {
                    Map<String, Object> result = new LinkedHashMap<>();
                    result.put("project", accepted.project());
                    result.put("version", accepted.version());
                    result.put("last_restored", accepted.lastRestored());
                    result.put("job.token", accepted.jobToken());
                    result.put("safety_backup", Map.of("version", accepted.safetyVersion(), "job.token", accepted.safetyJobToken()));
                    result.put("queue_position", accepted.queuePosition());
                    return Envelope.ok(result, Map.of());
                });
    }

    /**
     * {@code definers}: absent, "keep" or "restoring_account"; 422 naming the parameter otherwise.
     * "restoring_account" is for global admins only (403 for others): the restored routines, triggers, events
     * and views would run with the worker's account, whose rights reach every project's database, and the
     * server does not check a body's privileges when it is created, so a member could otherwise restore a
     * procedure that reads another project's data.
     */
    private static String definers(Caller caller, Arguments args) {
        String definers = args.optionalText("definers");
        if (definers != null && !definers.equals(RestoreRequested.DEFINERS_KEEP) && !definers.equals(RestoreRequested.DEFINERS_RESTORING_ACCOUNT)) {
            throw Arguments.invalid("definers", "definers must be \"" + RestoreRequested.DEFINERS_KEEP + "\" (each view, trigger, "
                    + "routine and event keeps its DEFINER) or \"" + RestoreRequested.DEFINERS_RESTORING_ACCOUNT
                    + "\" (they run as the restoring account)");
        }
        if (RestoreRequested.DEFINERS_RESTORING_ACCOUNT.equals(definers) && !caller.isAdmin()) {
            throw io.restorepoint.web.envelope.ApiException.forbidden("definers \"" + RestoreRequested.DEFINERS_RESTORING_ACCOUNT
                    + "\" is for administrators only: the restored objects would run with the restoring account's rights, "
                    + "which reach beyond this project");
        }
        return definers;
    }

    /**
     * Proves a version restorable without touching the project: {@code {version}} → {@code result {project,
     * version, job.token}}; a {@code verify_backup} job loads it into a scratch schema and compares it with
     * its manifest.
     */
    @io.swagger.v3.oas.annotations.Operation(summary = "Verify a version (job verify_backup)", description = "Checks the checksums, loads the version into a scratch schema, compares row counts with the manifest and drops the scratch schema. The project is not touched.",
            responses = @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "Accepted",
                    content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json",
                            examples = @io.swagger.v3.oas.annotations.media.ExampleObject(value = "{\"success\":true,\"result\":{\"project\":\"demo\",\"version\":1,\"job.token\":\"5a2edc00-00e8-4101-b1d2-b0072d1340a2\",\"queue_position\":0},\"data\":{}}"))))
    @PostMapping(path = "/verify", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<Envelope> verify(@PathVariable String project, @RequestBody(required = false) JsonNode body,
            ServerWebExchange exchange) {
        return asMember(project, (caller, args) -> backups.verify(caller, project, args.requiredInt("version")), body)
                .doOnNext(accepted -> AuditFilter.noteJob(exchange, accepted.jobToken()))
                .map(accepted -> {
                    Map<String, Object> result = new LinkedHashMap<>();
                    result.put("project", accepted.project());
                    result.put("version", accepted.version());
                    result.put("job.token", accepted.jobToken());
                    result.put("queue_position", accepted.queuePosition());
                    return Envelope.ok(result, Map.of());
                });
    }

    /**
     * Renames a version: {@code {version, name}} → {@code result {project, version}}, {@code data cc.projects}.
     * 422 "backup version invalid" for version 0 or a version not listed; 422 for a name imitating another
     * version's default name.
     */
    @io.swagger.v3.oas.annotations.Operation(summary = "Rename a version", description = "Synchronous. 422 backup version invalid for version 0 or a version not listed.",
            responses = @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "Accepted",
                    content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json",
                            examples = @io.swagger.v3.oas.annotations.media.ExampleObject(value = "{\"success\":true,\"result\":{\"project\":\"demo\",\"version\":3},\"data\":{\"cc.projects\":{\"demo\":{\"backups\":{\"versions\":[{\"version\":3,\"name\":\"Before upload\",\"created_by\":\"cli\",\"timestamp\":1613565541.4195538,\"status\":\"valid\"}],\"next_version\":4}}}}}"))))
    @PostMapping(path = "/update", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<Envelope> update(@PathVariable String project, @RequestBody(required = false) JsonNode body) {
        return asMember(project, (caller, args) -> {
                    int version = args.requiredInt("version");
                    String name = args.requiredText("name");
                    return backups.rename(caller, project, version, name)
                            .then(views.ccProjects(project))
                            .map(data -> Envelope.ok(Map.of("project", project, "version", version), data));
                }, body);
    }

    /**
     * Deletes versions, irreversibly: {@code {version}} or {@code {versions: [..]}} ({@code version} wins if
     * both are sent) → {@code result {project, deleted, skipped}}, {@code data cc.projects}. Unknown versions,
     * version 0 and versions still being written are skipped silently; numbers are never reused.
     */
    @io.swagger.v3.oas.annotations.Operation(summary = "Delete versions", description = "Synchronous and irreversible; {version} or {versions:[...]} (version wins). Unknown versions, version 0 and versions still being written are skipped silently; numbers are never reused.",
            responses = @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "Accepted",
                    content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json",
                            examples = @io.swagger.v3.oas.annotations.media.ExampleObject(value = "{\"success\":true,\"result\":{\"project\":\"demo\",\"deleted\":[2],\"skipped\":[0,99]},\"data\":{\"cc.projects\":{\"demo\":{\"backups\":{\"versions\":[],\"next_version\":4}}}}}"))))
    @PostMapping(path = "/delete", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<Envelope> delete(@PathVariable String project, @RequestBody(required = false) JsonNode body) {
        return asMember(project, (caller, args) -> {
                    java.util.List<Integer> versions;
                    if (args.has("version")) {
                        versions = java.util.List.of(args.requiredInt("version"));
                    } else if (args.has("versions")) {
                        versions = args.intList("versions");
                    } else {
                        throw new io.restorepoint.web.envelope.ApiException(io.restorepoint.web.envelope.ApiError.BAD_REQUEST,
                                "Missing required parameter: version or versions", Map.of("parameter", "version"));
                    }
                    return backups.delete(caller, project, versions);
                }, body)
                .flatMap(deleted -> views.ccProjects(project).map(data -> {
                    Map<String, Object> result = new LinkedHashMap<>();
                    result.put("project", project);
                    result.put("deleted", deleted.deleted());
                    result.put("skipped", deleted.skipped());
                    return Envelope.ok(result, data);
                }));
    }
}
