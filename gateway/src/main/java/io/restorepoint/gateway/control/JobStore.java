package io.restorepoint.gateway.control;

import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** The jobs table: the only place with SQL for it. */
@Repository
public class JobStore {

    private final DatabaseClient db;

    public JobStore(DatabaseClient db) {
        this.db = db;
    }

    public Mono<Void> insertQueued(String token, String project, String job, Integer version, String requestedBy,
            double createdOn) {
        var spec = db.sql("INSERT INTO jobs (token, project_gid, job, status, version, requested_by, created_on, updated_on) "
                        + "VALUES (:token, :p, :job, 'queued', :v, :by, :on, :on)")
                .bind("token", token).bind("p", project).bind("job", job).bind("by", requestedBy).bind("on", createdOn);
        return Rows.bind(spec, "v", version, Integer.class).then();
    }

    /**
     * Records a job's new state unless the job already ended: a terminal state is final, so a late or
     * repeated event never reopens a job. Returns rows changed.
     */
    public Mono<Long> apply(String token, String status, long total, long remaining, String infoJson,
            String failureJson, String resultJson, String workerId, double updatedOn) {
        var spec = db.sql("UPDATE jobs SET status = :status, total = :total, remaining = :remaining, info_json = :info, "
                        + "failure_json = :failure, result_json = :result, worker_id = :worker, updated_on = :updated "
                        + "WHERE token = :token AND status NOT IN ('done', 'rejected')")
                .bind("status", status).bind("total", total).bind("remaining", remaining)
                .bind("updated", updatedOn).bind("token", token);
        spec = Rows.bind(spec, "info", infoJson, String.class);
        spec = Rows.bind(spec, "failure", failureJson, String.class);
        spec = Rows.bind(spec, "result", resultJson, String.class);
        spec = Rows.bind(spec, "worker", workerId, String.class);
        return spec.fetch().rowsUpdated();
    }

    /** Jobs of a project that have not ended (queued or processing). */
    public Mono<Long> active(String project) {
        return db.sql("SELECT COUNT(*) AS n FROM jobs WHERE project_gid = :p AND status IN ('queued', 'processing')")
                .bind("p", project)
                .map(row -> Rows.longOf(row, "n"))
                .one();
    }

    /** Removes a deleted project's job rows (its history goes with it). */
    public Mono<Void> deleteProject(String project) {
        return db.sql("DELETE FROM jobs WHERE project_gid = :p").bind("p", project).fetch().rowsUpdated().then();
    }

    /** Jobs of all projects that have not ended. */
    public Mono<Long> activeAll() {
        return db.sql("SELECT COUNT(*) AS n FROM jobs WHERE status IN ('queued', 'processing')")
                .map(row -> Rows.longOf(row, "n"))
                .one();
    }

    /** How many unfinished jobs of the same project were accepted before this one (0: it is next or running). */
    public Mono<Long> position(JobRow job) {
        return db.sql("SELECT COUNT(*) AS n FROM jobs WHERE project_gid = :p AND status IN ('queued', 'processing') "
                        + "AND (created_on < :on OR (created_on = :on AND token < :token))")
                .bind("p", job.project()).bind("on", job.createdOn()).bind("token", job.token())
                .map(row -> Rows.longOf(row, "n"))
                .one();
    }

    public Mono<JobRow> find(String token) {
        return db.sql("SELECT token, project_gid, job, status, version, total, remaining, info_json, failure_json, "
                        + "result_json, requested_by, created_on, updated_on, worker_id FROM jobs WHERE token = :token")
                .bind("token", token)
                .map(JobStore::job)
                .one();
    }

    private static JobRow job(Readable row) {
        return new JobRow(row.get("token", String.class), row.get("project_gid", String.class), row.get("job", String.class),
                row.get("status", String.class), row.get("version", Integer.class), Rows.longOf(row, "total"),
                Rows.longOf(row, "remaining"), row.get("info_json", String.class), row.get("failure_json", String.class),
                row.get("result_json", String.class), row.get("requested_by", String.class), Rows.doubleOf(row, "created_on"), Rows.doubleOf(row, "updated_on"),
                row.get("worker_id", String.class));
    }
}
