package io.restorepoint.schemas.command;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.restorepoint.schemas.job.JobType;

import java.util.Objects;

/**
 * Insert the rows of a validated import document that are not there yet (INSERT IGNORE semantics), all
 * or nothing. The gateway validated the whole document and staged it as SQL in the artifact store
 * under {@code staging}; the worker runs it in one transaction.
 *
 * @param database the project's database
 * @param staging  where the staged statements are, relative to the store root ({@code imports/<token>})
 * @param server        the database server the project's database is on (a name of {@code restorepoint.servers};
 *                      absent: {@code default}); the worker connects there
 */
public record ImportRequested(
        @JsonProperty("schema_version") int schemaVersion,
        @JsonProperty("command_id") String commandId,
        @JsonProperty("project_gid") String project,
        @JsonProperty("database") String database,
        @JsonProperty("staging") String staging,
        @JsonProperty("requested_by") String requestedBy,
        @JsonProperty("requested_at") double requestedAt,
        @JsonProperty("server") String server) implements JobCommand {

    public static final String TYPE = "import.requested";
    public static final String CE_TYPE = "io.restorepoint.command.import-requested.v1";

    public ImportRequested {
        Objects.requireNonNull(commandId, "command_id");
        Objects.requireNonNull(project, "project_gid");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(staging, "staging");
    }

    @Override
    @JsonIgnore
    public JobType jobType() {
        return JobType.IMPORT_DATA;
    }

    @Override
    @JsonIgnore
    public String ceType() {
        return CE_TYPE;
    }
}
