package io.restorepoint.gateway.jobs;

import io.restorepoint.gateway.control.JobStore;
import io.restorepoint.gateway.projects.ProjectAccess;
import io.restorepoint.web.envelope.ApiException;
import io.restorepoint.web.envelope.Envelope;
import io.restorepoint.web.security.Caller;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.util.Map;

/** {@code GET /api/p/<project>/jobs/<token>}: the current state of one job, for members of its project. */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Jobs", description = "Job state")
@RestController
public class JobController {

    private final JobStore jobs;
    private final ProjectAccess access;

    public JobController(JobStore jobs, ProjectAccess access) {
        this.jobs = jobs;
        this.access = access;
    }

    @io.swagger.v3.oas.annotations.Operation(summary = "One job", description = "The current state of a job, in the shape of its sync events, with queue_position while queued.",
            responses = @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "Accepted",
                    content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json",
                            examples = @io.swagger.v3.oas.annotations.media.ExampleObject(value = "{\"success\":true,\"result\":{\"job\":{\"job.token\":\"06715cb7-4dfa-4ec1-bad4-c136ddbf80d9\",\"project_gid\":\"demo\",\"job\":\"backup_project\",\"status\":\"processing\",\"info\":{\"total\":120,\"remaining\":26,\"unit\":\"rows\",\"phase\":\"dump\"},\"created_on\":1613565541.4195538,\"updated_on\":1613565543.2836412,\"version\":3}},\"data\":{}}"))))
    @GetMapping(path = "/api/p/{project}/jobs/{token}", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<Envelope> job(@PathVariable String project, @PathVariable String token) {
        return Caller.current().flatMap(caller -> access.require(caller, project))
                .then(jobs.find(token))
                .filter(job -> job.project().equals(project))
                .switchIfEmpty(Mono.error(ApiException.notFound("No such job in this project")))
                .flatMap(job -> jobs.position(job).map(position -> {
                    Map<String, Object> view = new java.util.LinkedHashMap<>(JobViews.view(job));
                    if ("queued".equals(job.status())) {
                        view.put("queue_position", position);
                    }
                    return Envelope.ok(Map.of("job", view));
                }));
    }
}
