package io.restorepoint.schemas;

import io.restorepoint.schemas.command.JobCommand;
import io.restorepoint.schemas.job.CcEvent;
import io.restorepoint.schemas.job.ProjectDataChanged;
import io.restorepoint.schemas.membership.ProjectMembership;

import java.time.Duration;
import java.util.List;

/**
 * Every topic RestorePoint reads or writes. No service spells a topic name anywhere else.
 *
 * <p>See {@code schemas/asyncapi.yaml} for producers, consumers and the JSON Schema of each value.
 */
public final class Topics {

    /**
     * Job commands from the gateway to the worker pool. Keyed by project gid, so all commands of one
     * project land on one partition, in order, and a project's jobs never run concurrently.
     */
    public static final Topic<String, JobCommand> COMMANDS = new Topic<>(
            "restorepoint.commands.v1", String.class, JobCommand.class, 6, false, Duration.ofDays(7),
            "project gid");

    /** Commands that could not be read or processed at all, with the reason in the record headers. */
    public static final Topic<String, byte[]> COMMANDS_DLT = new Topic<>(
            "restorepoint.commands.v1.dlt", String.class, byte[].class, 1, false, Duration.ofDays(30),
            "project gid (as in the failed record)");

    /**
     * The global change stream ({@code cc} in the Unicat Sync API): job events today, project and
     * backup-list changes as they come. One partition on purpose: the record offset + 1 is the
     * stream's cursor, identical for every sync-events instance and replayable after a restart.
     */
    public static final Topic<String, CcEvent> CC_EVENTS = new Topic<>(
            "restorepoint.cc-events.v1", String.class, CcEvent.class, 1, false, Duration.ofDays(30),
            "job token for job events");

    /**
     * The per-project change stream ({@code cursor} in the Unicat Sync API): a project's data changed as a
     * whole (restored, imported). One partition: offset + 1 is the cursor, as for {@link #CC_EVENTS}.
     */
    public static final Topic<String, ProjectDataChanged> PROJECT_EVENTS = new Topic<>(
            "restorepoint.project-events.v1", String.class, ProjectDataChanged.class, 1, false, Duration.ofDays(30),
            "project gid");

    /** Current project memberships (compacted, one record per project/user, tombstone on removal). */
    public static final Topic<String, ProjectMembership> MEMBERSHIPS = new Topic<>(
            "restorepoint.memberships.v1", String.class, ProjectMembership.class, 1, true, null,
            "<project gid>/<user id>");

    private Topics() {
    }

    public static List<Topic<?, ?>> all() {
        return List.of(COMMANDS, COMMANDS_DLT, CC_EVENTS, PROJECT_EVENTS, MEMBERSHIPS);
    }

    /** The cursor of a record of a single-partition stream topic. */
    public static long cursorOf(long offset) {
        return offset + 1;
    }

    /** The offset to seek to in order to read everything after {@code cursor}. */
    public static long offsetAfter(long cursor) {
        return cursor;
    }
}
