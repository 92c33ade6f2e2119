package io.restorepoint.gateway.control;

import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Backup schedules and what retention needs to know of versions: the only SQL for {@code backup_schedules}. */
@Repository
public class ScheduleStore {

    private static final String COLUMNS = "project_gid, name, cron, zone, enabled, keep_last, keep_days, next_fire_at, last_fired_at";

    private final DatabaseClient db;

    public ScheduleStore(DatabaseClient db) {
        this.db = db;
    }

    public Mono<Schedule> find(String project) {
        return db.sql("SELECT " + COLUMNS + " FROM backup_schedules WHERE project_gid = :p")
                .bind("p", project)
                .map(ScheduleStore::schedule)
                .one();
    }

    /** Enabled schedules of active projects whose next tick is at or before {@code now} (an archived project takes no backups). */
    public Flux<Schedule> due(double now) {
        return db.sql("SELECT " + COLUMNS + " FROM backup_schedules WHERE enabled AND next_fire_at <= :now "
                        + "AND project_gid IN (SELECT gid FROM projects WHERE status = 'active') ORDER BY next_fire_at")
                .bind("now", now)
                .map(ScheduleStore::schedule)
                .all();
    }

    /** Removes a deleted project's schedule. */
    public Mono<Void> deleteProject(String project) {
        return db.sql("DELETE FROM backup_schedules WHERE project_gid = :p").bind("p", project).fetch().rowsUpdated().then();
    }

    /**
     * Every schedule of an active project, enabled or not: retention applies to a paused schedule's backups too,
     * never to an archived project's (it keeps its backups as they are).
     */
    public Flux<Schedule> all() {
        return db.sql("SELECT " + COLUMNS + " FROM backup_schedules "
                        + "WHERE project_gid IN (SELECT gid FROM projects WHERE status = 'active') ORDER BY project_gid")
                .map(ScheduleStore::schedule)
                .all();
    }

    /** Creates or replaces a project's schedule. */
    public Mono<Void> save(Schedule s, double now) {
        return db.sql("INSERT INTO backup_schedules (" + COLUMNS + ", updated_on) VALUES (:p, :name, :cron, :zone, :enabled, "
                        + ":keepLast, :keepDays, :next, NULL, :now) ON DUPLICATE KEY UPDATE name = VALUES(name), cron = VALUES(cron), "
                        + "zone = VALUES(zone), enabled = VALUES(enabled), keep_last = VALUES(keep_last), "
                        + "keep_days = VALUES(keep_days), next_fire_at = VALUES(next_fire_at), updated_on = VALUES(updated_on)")
                .bind("p", s.project()).bind("name", s.name()).bind("cron", s.cron()).bind("zone", s.zone())
                .bind("enabled", s.enabled()).bind("keepLast", s.keepLast()).bind("keepDays", s.keepDays())
                .bind("next", s.nextFireAt()).bind("now", now)
                .then();
    }

    /**
     * Changes only the name and retention of a schedule, never its pending tick: a runner may be claiming
     * that tick at this very moment, and writing back the value read before would let it fire twice.
     */
    public Mono<Void> updateRetention(String project, String name, int keepLast, int keepDays, double now) {
        return db.sql("UPDATE backup_schedules SET name = :name, keep_last = :keepLast, keep_days = :keepDays, "
                        + "updated_on = :now WHERE project_gid = :p")
                .bind("name", name).bind("keepLast", keepLast).bind("keepDays", keepDays).bind("now", now)
                .bind("p", project)
                .then();
    }

    /** Creates the schedule unless the project has one. Returns whether it was created. */
    public Mono<Boolean> ensure(Schedule s, double now) {
        return db.sql("INSERT IGNORE INTO backup_schedules (" + COLUMNS + ", updated_on) VALUES (:p, :name, :cron, :zone, "
                        + ":enabled, :keepLast, :keepDays, :next, NULL, :now)")
                .bind("p", s.project()).bind("name", s.name()).bind("cron", s.cron()).bind("zone", s.zone())
                .bind("enabled", s.enabled()).bind("keepLast", s.keepLast()).bind("keepDays", s.keepDays())
                .bind("next", s.nextFireAt()).bind("now", now)
                .fetch().rowsUpdated()
                .map(n -> n > 0);
    }

    /**
     * Claims the tick {@code due} of a project's schedule: moves {@code next_fire_at} from {@code due} to
     * {@code next}. Of any number of gateways trying at once, exactly one succeeds (returns true).
     *
     * @param fired the tick being taken, or null when the tick is skipped (too late)
     */
    public Mono<Boolean> claim(String project, double due, double next, Double fired) {
        var spec = db.sql("UPDATE backup_schedules SET next_fire_at = :next, last_fired_at = COALESCE(:fired, last_fired_at) "
                        + "WHERE project_gid = :p AND next_fire_at = :due AND enabled")
                .bind("next", next).bind("p", project).bind("due", due);
        spec = Rows.bind(spec, "fired", fired, Double.class);
        return spec.fetch().rowsUpdated().map(n -> n == 1);
    }

    /**
     * What retention weighs: every version of a project that is not deleted, newest first, and whether an
     * unfinished job (a restore or verify of it) still needs it.
     */
    public Flux<RetentionCandidate> versions(String project) {
        return db.sql("SELECT v.version, v.origin, v.status, v.created_on, EXISTS (SELECT 1 FROM jobs j "
                        + "WHERE j.project_gid = v.project_gid AND j.version = v.version AND j.status IN ('queued', 'processing') "
                        + "AND j.job IN ('restore_project', 'verify_backup')) "
                        + "AS in_use FROM backup_versions v WHERE v.project_gid = :p AND v.status <> 'deleted' ORDER BY v.version DESC")
                .bind("p", project)
                .map(row -> new RetentionCandidate(row.get("version", Integer.class), row.get("origin", String.class),
                        row.get("status", String.class), Rows.doubleOf(row, "created_on"), Rows.longOf(row, "in_use") != 0))
                .all();
    }

    /**
     * A version as retention sees it. {@code origin}: manual, safety or scheduled; {@code inUse}: a queued or
     * processing job (a restore or verify of it) needs its artifact.
     */
    public record RetentionCandidate(int version, String origin, String status, double createdOn, boolean inUse) {
    }

    private static Schedule schedule(Readable row) {
        Number last = row.get("last_fired_at", Number.class);
        return new Schedule(row.get("project_gid", String.class), row.get("name", String.class), row.get("cron", String.class),
                row.get("zone", String.class), Boolean.TRUE.equals(row.get("enabled", Boolean.class)),
                row.get("keep_last", Integer.class), row.get("keep_days", Integer.class), Rows.doubleOf(row, "next_fire_at"),
                last == null ? null : last.doubleValue());
    }
}
