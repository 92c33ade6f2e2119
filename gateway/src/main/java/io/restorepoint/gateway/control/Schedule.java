package io.restorepoint.gateway.control;

/**
 * A project's backup schedule.
 *
 * @param project     project gid
 * @param name        the schedule's name; its backups are {@code created_by} {@code schedule:<name>}
 * @param cron        Spring cron expression, six fields with seconds ({@code 0 0 3 * * *}: daily at 03:00)
 * @param zone        time zone the expression is read in
 * @param enabled     whether it fires
 * @param keepLast    retention: the newest this many scheduled backups are kept
 * @param keepDays    retention: scheduled backups younger than this many days are kept
 * @param nextFireAt  the next tick, epoch seconds
 * @param lastFiredAt the tick of the last backup it took, epoch seconds
 */
public record Schedule(String project, String name, String cron, String zone, boolean enabled, int keepLast,
        int keepDays, double nextFireAt, Double lastFiredAt) {

    /** The {@code created_by} of the backups this schedule takes. */
    public String createdBy() {
        return "schedule:" + name;
    }
}
