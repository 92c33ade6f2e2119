package io.restorepoint.schemas.job;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.restorepoint.schemas.SchemaVersion;

import java.util.Objects;

/**
 * The state of one job at one moment. Keyed by job token; every event echoes the id of the
 * command that started the job ({@code job.token} = command id).
 *
 * @param schemaVersion {@link SchemaVersion#V1}
 * @param eventId       unique id of this event (the CloudEvents {@code ce_id})
 * @param jobToken      the job token, equal to the command id
 * @param project       project gid
 * @param job           job type
 * @param status        job status, see {@link JobStatus} for the transitions
 * @param info          progress
 * @param createdOn     when the job was accepted (epoch seconds)
 * @param updatedOn     when this event was emitted (epoch seconds); changes on every event
 * @param seq           0, 1, 2 ... per job: lets a reader drop stale or repeated events
 * @param version       the backup version the job creates or reads
 * @param workerId      the worker instance that emitted it ({@code gateway} for {@code queued})
 * @param failure       why, when {@code rejected}
 * @param result        what it produced, when {@code done}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobEvent(
        @JsonProperty("schema_version") int schemaVersion,
        @JsonProperty("event_id") String eventId,
        @JsonProperty("job.token") String jobToken,
        @JsonProperty("project_gid") String project,
        @JsonProperty("job") JobType job,
        @JsonProperty("status") JobStatus status,
        @JsonProperty("info") JobInfo info,
        @JsonProperty("created_on") double createdOn,
        @JsonProperty("updated_on") double updatedOn,
        @JsonProperty("seq") long seq,
        @JsonProperty("version") Integer version,
        @JsonProperty("worker_id") String workerId,
        @JsonProperty("failure") JobFailure failure,
        @JsonProperty("result") JobResult result) implements CcEvent {

    public static final String TYPE = "job";
    /** CloudEvents type of this event. */
    public static final String CE_TYPE = "io.restorepoint.job.v1";

    public JobEvent {
        Objects.requireNonNull(jobToken, "job.token");
        Objects.requireNonNull(project, "project_gid");
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(info, "info");
        if (status == JobStatus.REJECTED && failure == null) {
            throw new IllegalArgumentException("a rejected job event needs a failure reason");
        }
    }

    @Override
    @JsonIgnore
    public String key() {
        return jobToken;
    }
}
