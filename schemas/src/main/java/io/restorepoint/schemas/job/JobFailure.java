package io.restorepoint.schemas.job;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Why a job ended {@code rejected}, in the shape of the API's error result
 * ({@code code 1003 "Process error", info.process}), plus a reason written for a person.
 *
 * @param code    1003 (process error) when the work failed, 1001 when the request was invalid
 * @param message the code's message
 * @param process {@code backup}, {@code restore}, ...
 * @param reason  what went wrong, e.g. {@code "table pesaje: connection lost after 120000 rows"}
 * @param table   the table concerned, if any
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobFailure(int code, String message, String process, String reason, String table) {

    public static final int PROCESS_ERROR = 1003;

    public static JobFailure processError(JobType job, String reason, String table) {
        return new JobFailure(PROCESS_ERROR, "Process error", job.process(), reason, table);
    }
}
