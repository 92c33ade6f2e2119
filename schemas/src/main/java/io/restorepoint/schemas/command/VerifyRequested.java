package io.restorepoint.schemas.command;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.restorepoint.schemas.job.JobType;

import java.util.Objects;

/**
 * Prove a backup version restorable: check its checksums, load it into a scratch schema, compare the
 * row counts with its manifest, drop the scratch schema. The project's data is not touched.
 *
 * @param database the project's database (the scratch schema goes on the same server)
 * @param version  the backup version to verify
 * @param server        the database server the project's database is on (a name of {@code restorepoint.servers};
 *                      absent: {@code default}); the worker connects there
 */
public record VerifyRequested(
        @JsonProperty("schema_version") int schemaVersion,
        @JsonProperty("command_id") String commandId,
        @JsonProperty("project_gid") String project,
        @JsonProperty("database") String database,
        @JsonProperty("version") int version,
        @JsonProperty("requested_by") String requestedBy,
        @JsonProperty("requested_at") double requestedAt,
        @JsonProperty("server") String server) implements JobCommand {

    public static final String TYPE = "verify.requested";
    public static final String CE_TYPE = "io.restorepoint.command.verify-requested.v1";

    public VerifyRequested {
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
        return JobType.VERIFY_BACKUP;
    }

    @Override
    @JsonIgnore
    public String ceType() {
        return CE_TYPE;
    }
}
