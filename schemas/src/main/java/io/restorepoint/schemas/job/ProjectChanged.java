package io.restorepoint.schemas.job;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Objects;

/**
 * A project's own data in the control plane changed (its backups list: a version added, renamed,
 * completed, failed or deleted). A notification on the global ({@code cc}) stream: clients re-read the
 * project ({@code GET /api/p/<gid>/init}).
 *
 * @param schemaVersion {@link io.restorepoint.schemas.SchemaVersion#V1}
 * @param eventId       unique id (CloudEvents {@code ce_id})
 * @param project       project gid (also the record key)
 * @param change        what changed: {@code backups}
 * @param version       the backup version concerned, if one
 * @param nextVersion   the project's next version after the change
 * @param updatedOn     when (epoch seconds)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProjectChanged(
        @JsonProperty("schema_version") int schemaVersion,
        @JsonProperty("event_id") String eventId,
        @JsonProperty("project_gid") String project,
        @JsonProperty("change") String change,
        @JsonProperty("version") Integer version,
        @JsonProperty("next_version") Integer nextVersion,
        @JsonProperty("updated_on") double updatedOn) implements CcEvent {

    public static final String TYPE = "project";
    public static final String CE_TYPE = "io.restorepoint.project-changed.v1";
    public static final String BACKUPS = "backups";

    public ProjectChanged {
        Objects.requireNonNull(project, "project_gid");
        Objects.requireNonNull(change, "change");
    }

    @Override
    @JsonIgnore
    public String key() {
        return project;
    }
}
