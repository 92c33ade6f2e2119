package io.restorepoint.schemas.command;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.restorepoint.schemas.job.JobType;

import java.util.Objects;

/**
 * Replace a project's data with a backup version. The gateway sends it right after the
 * {@link BackupRequested} of the safety backup, on the same partition, so the safety backup has ended
 * before the restore starts; the restore refuses to touch anything unless that backup is committed.
 *
 * @param schemaVersion  {@link io.restorepoint.schemas.SchemaVersion#V1}
 * @param commandId      the job token
 * @param project        project gid
 * @param database       the project's database
 * @param version        the backup version to restore
 * @param safetyVersion  the version the safety backup of the current data was given
 * @param safetyJobToken the safety backup's job token
 * @param requestedBy    the authenticated user
 * @param requestedAt    acceptance time, epoch seconds
 * @param definers       whose rights the restored views, triggers, routines and events run with:
 *                       {@value #DEFINERS_KEEP} (each keeps the DEFINER it had) or {@value #DEFINERS_RESTORING_ACCOUNT}
 *                       (each runs as the account the worker restores with, for a server where that account may not
 *                       name other definers); absent: the worker's configured default. A worker rejects the job
 *                       (nothing restored) for a value it does not know
 * @param server        the database server the project's database is on (a name of {@code restorepoint.servers};
 *                      absent: {@code default}); the worker connects there
 */
public record RestoreRequested(
        @JsonProperty("schema_version") int schemaVersion,
        @JsonProperty("command_id") String commandId,
        @JsonProperty("project_gid") String project,
        @JsonProperty("database") String database,
        @JsonProperty("version") int version,
        @JsonProperty("safety_version") int safetyVersion,
        @JsonProperty("safety_job_token") String safetyJobToken,
        @JsonProperty("requested_by") String requestedBy,
        @JsonProperty("requested_at") double requestedAt,
        @JsonProperty("definers") String definers,
        @JsonProperty("server") String server) implements JobCommand {

    public static final String TYPE = "restore.requested";
    public static final String CE_TYPE = "io.restorepoint.command.restore-requested.v1";
    public static final String DEFINERS_KEEP = "keep";
    public static final String DEFINERS_RESTORING_ACCOUNT = "restoring_account";

    public RestoreRequested {
        Objects.requireNonNull(commandId, "command_id");
        Objects.requireNonNull(project, "project_gid");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(safetyJobToken, "safety_job_token");
        if (version < 1 || safetyVersion < 1) {
            throw new IllegalArgumentException("versions must be >= 1 (0 is reserved)");
        }
    }

    @Override
    @JsonIgnore
    public JobType jobType() {
        return JobType.RESTORE_PROJECT;
    }

    @Override
    @JsonIgnore
    public String ceType() {
        return CE_TYPE;
    }
}
