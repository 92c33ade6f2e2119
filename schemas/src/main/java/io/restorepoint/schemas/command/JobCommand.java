package io.restorepoint.schemas.command;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.restorepoint.schemas.job.JobType;

import java.util.Optional;

/**
 * A command to the worker pool. Its {@code command_id} is the job token: every event of the job
 * echoes it. The {@code type} property is a stable token, never a Java class name.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = BackupRequested.class, name = BackupRequested.TYPE),
        @JsonSubTypes.Type(value = RestoreRequested.class, name = RestoreRequested.TYPE),
        @JsonSubTypes.Type(value = VerifyRequested.class, name = VerifyRequested.TYPE),
        @JsonSubTypes.Type(value = ImportRequested.class, name = ImportRequested.TYPE)})
public sealed interface JobCommand permits BackupRequested, RestoreRequested, VerifyRequested, ImportRequested {

    int schemaVersion();

    /** Command id = job token. */
    String commandId();

    /** Project gid = record key. */
    String project();

    /** When the gateway accepted it (epoch seconds), the job's {@code created_on}. */
    double requestedAt();

    @JsonIgnore
    JobType jobType();

    /** CloudEvents type of this command. */
    @JsonIgnore
    String ceType();

    /**
     * The job type a command's CloudEvents type names, for readers that cannot read the command itself
     * (a dead-lettered record still says, in its headers, which job it was for).
     */
    static Optional<JobType> jobTypeOf(String ceType) {
        return Optional.ofNullable(ceType == null ? null : switch (ceType) {
            case BackupRequested.CE_TYPE -> JobType.BACKUP_PROJECT;
            case RestoreRequested.CE_TYPE -> JobType.RESTORE_PROJECT;
            case VerifyRequested.CE_TYPE -> JobType.VERIFY_BACKUP;
            case ImportRequested.CE_TYPE -> JobType.IMPORT_DATA;
            default -> null;
        });
    }
}
