package io.restorepoint.schemas.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Objects;

/**
 * The data of a project's database changed as a whole, by a job: a restore replaced it, an import added
 * rows. The event of the per-project stream ({@code cursor} in the Unicat Sync API); clients drop what
 * they cached of the project's data and re-read it.
 *
 * @param schemaVersion {@link io.restorepoint.schemas.SchemaVersion#V1}
 * @param eventId       unique id (CloudEvents {@code ce_id})
 * @param project       project gid (also the record key)
 * @param reason        {@code restore} or {@code import}
 * @param jobToken      the job that changed the data
 * @param version       the backup version restored, for a restore
 * @param tables        the tables whose rows changed
 * @param updatedOn     when (epoch seconds)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProjectDataChanged(
        @JsonProperty("schema_version") int schemaVersion,
        @JsonProperty("event_id") String eventId,
        @JsonProperty("project_gid") String project,
        @JsonProperty("reason") String reason,
        @JsonProperty("job.token") String jobToken,
        @JsonProperty("version") Integer version,
        @JsonProperty("tables") List<String> tables,
        @JsonProperty("updated_on") double updatedOn) {

    public static final String CE_TYPE = "io.restorepoint.project-data-changed.v1";

    public ProjectDataChanged {
        Objects.requireNonNull(project, "project_gid");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(jobToken, "job.token");
    }
}
