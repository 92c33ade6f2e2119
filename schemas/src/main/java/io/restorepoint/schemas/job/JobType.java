package io.restorepoint.schemas.job;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The kinds of job; the wire names are the Unicat job names. */
public enum JobType {
    BACKUP_PROJECT("backup_project", "backup"),
    RESTORE_PROJECT("restore_project", "restore"),
    VERIFY_BACKUP("verify_backup", "verify"),
    IMPORT_DATA("import_data", "import");

    private final String wire;
    private final String process;

    JobType(String wire, String process) {
        this.wire = wire;
        this.process = process;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    /** The {@code info.process} value of a 1003 "Process error" for this job. */
    public String process() {
        return process;
    }

    @JsonCreator
    public static JobType fromWire(String value) {
        for (JobType type : values()) {
            if (type.wire.equals(value)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown job type: " + value);
    }
}
