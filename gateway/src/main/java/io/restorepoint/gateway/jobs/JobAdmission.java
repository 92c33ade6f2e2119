package io.restorepoint.gateway.jobs;

import io.restorepoint.gateway.config.GatewayProperties;
import io.restorepoint.gateway.control.JobStore;
import io.restorepoint.web.envelope.ApiError;
import io.restorepoint.web.envelope.ApiException;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.util.Map;

/**
 * One job at a time per project, with a bounded queue: a project's jobs run one after the other (its
 * commands share a partition), a new job waits behind the unfinished ones and its position is visible,
 * and past {@code max-jobs-per-project} unfinished jobs a new one is refused at once with the reason
 * (422, code 1003). Called with the project row locked, so two calls cannot both take the last place.
 * All projects together may have at most {@code max-queued-jobs} unfinished jobs: a full pool refuses new
 * work with the reason rather than queueing it for hours.
 */
@Component
public class JobAdmission {

    private final JobStore jobs;
    private final GatewayProperties properties;

    public JobAdmission(JobStore jobs, GatewayProperties properties) {
        this.jobs = jobs;
        this.properties = properties;
    }

    /** Fails if {@code newJobs} more jobs would exceed the project's limit; else gives the queue position. */
    public Mono<Long> admit(String project, int newJobs, String process) {
        int limit = properties.maxJobsPerProject();
        int total = properties.maxQueuedJobs();
        return jobs.activeAll().flatMap(all -> all + newJobs <= total ? Mono.just(all)
                        : Mono.error(new ApiException(ApiError.PROCESS, "The worker pool already has " + all
                                + " unfinished jobs (at most " + total + "); try again later",
                                Map.of("process", process, "queued_jobs", all, "limit", total))))
                .then(jobs.active(project)).flatMap(active -> active + newJobs <= limit ? Mono.just(active)
                : Mono.error(new ApiException(ApiError.PROCESS, "Project " + project + " already has " + active
                        + " unfinished job" + (active == 1 ? "" : "s") + " (at most " + limit + "); try again when one has ended",
                        Map.of("process", process, "active_jobs", active, "limit", limit))));
    }
}
