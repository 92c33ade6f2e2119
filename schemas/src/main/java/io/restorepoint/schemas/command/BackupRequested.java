package io.restorepoint.schemas.command;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.restorepoint.schemas.job.JobType;

import java.util.Objects;

/**
 * Take a backup of a project's database as a new version.
 *
 * @param schemaVersion {@link io.restorepoint.schemas.SchemaVersion#V1}
 * @param commandId     the job token
 * @param project       project gid
 * @param database      the project's database (schema) on the managed server
 * @param version       the backup version the gateway allocated (never reused)
 * @param name          the backup's name
 * @param createdBy     free-text grouping label given by the caller
 * @param requestedBy   the authenticated user (JWT subject)
 * @param requestedAt   acceptance time, epoch seconds
 * @param server        the database server the project's database is on (a name of {@code restorepoint.servers};
 *                      absent: {@code default}); the worker connects there
 */
public record BackupRequested(
        @JsonProperty("schema_version") int schemaVersion,
        @JsonProperty("command_id") String commandId,
        @JsonProperty("project_gid") String project,
        @JsonProperty("database") String database,
        @JsonProperty("version") int version,
        @JsonProperty("name") String name,
        @JsonProperty("created_by") String createdBy,
        @JsonProperty("requested_by") String requestedBy,
        @JsonProperty("requested_at") double requestedAt,
        @JsonProperty("server") String server) implements JobCommand {

    public static final String TYPE = "backup.requested";
    public static final String CE_TYPE = "io.restorepoint.command.backup-requested.v1";

    public BackupRequested {
        Objects.requireNonNull(commandId, "command_id");
        Objects.requireNonNull(project, "project_gid");
        Objects.requireNonNull(database, "database");
        if (version < 1) {
            throw new IllegalArgumentException("version must be >= 1 (0 is reserved)");
        }
    }

    @Override
    @JsonIgnore
    public JobType jobType() {
        return JobType.BACKUP_PROJECT;
    }

    @Override
    @JsonIgnore
    public String ceType() {
        return CE_TYPE;
    }
}
