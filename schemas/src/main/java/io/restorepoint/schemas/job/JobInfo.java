package io.restorepoint.schemas.job;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * Progress of a job: {@code 1 - remaining/total} is the fraction done. Progress is best effort:
 * {@code total} may be corrected while the job runs (row estimates become exact counts), and
 * {@code remaining} is 0 on {@code done}.
 *
 * @param total     work units in all ({@link #unit()}), 0 while unknown
 * @param remaining work units left
 * @param unit      what is counted: {@code rows}
 * @param phase     what the job is doing now, e.g. {@code snapshot}, {@code dump}, {@code finalize}
 * @param tables    per-table detail, when the job reports it
 * @param deadline  when the current phase times out (epoch seconds): past it, the job ends {@code rejected}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobInfo(long total, long remaining, String unit, String phase, List<TableProgress> tables, Double deadline) {

    public JobInfo(long total, long remaining, String unit, String phase, List<TableProgress> tables) {
        this(total, remaining, unit, phase, tables, null);
    }

    public static JobInfo empty() {
        return new JobInfo(0, 0, "rows", null, null);
    }

    public JobInfo withDeadline(Double deadline) {
        return new JobInfo(total, remaining, unit, phase, tables, deadline);
    }

    /** Progress of one table. */
    public record TableProgress(String table, long total, long done) {
    }
}
