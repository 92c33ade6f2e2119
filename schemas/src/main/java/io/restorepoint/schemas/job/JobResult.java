package io.restorepoint.schemas.job;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/**
 * What a finished job produced, on its {@code done} event.
 *
 * @param rows   rows written (backup) or loaded (restore, verify) or inserted (import)
 * @param bytes  stored size of the artifact, for a backup
 * @param tables per table, for an import: rows inserted and rows skipped because their key existed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobResult(long rows, long bytes, Map<String, TableCount> tables) {

    public JobResult(long rows, long bytes) {
        this(rows, bytes, null);
    }

    /** Rows of one table: inserted, and skipped (already there). */
    public record TableCount(long inserted, long skipped) {
    }
}
