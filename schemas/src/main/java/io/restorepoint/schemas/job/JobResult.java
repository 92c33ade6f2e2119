package io.restorepoint.schemas.job;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/**
 * What a finished job produced, on its {@code done} event.
 *
 * @param rows    rows written (backup) or loaded (restore, verify) or inserted (import)
 * @param bytes   stored size of the artifact, for a backup
 * @param tables  per table, for an import: rows inserted and rows skipped because their key existed
 * @param objects for a backup, restore or verify: how many objects of each kind other than base tables the
 *                backup holds ({@code view}, {@code trigger}, {@code function}, {@code procedure},
 *                {@code event}, {@code sequence}; kinds with none are left out). Absent when the backup's
 *                format records no objects
 * @param notes   what the user should know about a job that succeeded, in plain sentences: e.g. that a
 *                restored version is of an older format that held base tables only, so the database kept
 *                its own views, triggers and routines
 * @param skipped for a backup, restore or verify: objects the backup left out because the backup account could
 *                not read them (only where the operator allowed that); absent when none. Such a backup is not
 *                the whole database
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobResult(long rows, long bytes, Map<String, TableCount> tables, Map<String, Integer> objects, List<String> notes,
        List<SkippedObject> skipped) {

    public JobResult(long rows, long bytes) {
        this(rows, bytes, null, null, null, null);
    }

    public JobResult(long rows, long bytes, Map<String, TableCount> tables) {
        this(rows, bytes, tables, null, null, null);
    }

    /**
     * An object the backup left out.
     *
     * @param kind   {@code view}, {@code trigger}, {@code function}, {@code procedure}, {@code event} or {@code sequence}
     * @param name   its name; {@code *} when the account may not see objects of that kind at all
     * @param reason why, in the server's or the privilege check's words
     */
    public record SkippedObject(String kind, String name, String reason) {
    }

    /** Rows of one table: inserted, and skipped (already there). */
    public record TableCount(long inserted, long skipped) {
    }
}
