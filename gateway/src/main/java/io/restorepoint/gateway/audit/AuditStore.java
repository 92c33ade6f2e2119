package io.restorepoint.gateway.audit;

import io.restorepoint.gateway.control.Rows;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The audit log: the only place with SQL for it. */
@Repository
public class AuditStore {

    private final DatabaseClient db;

    public AuditStore(DatabaseClient db) {
        this.db = db;
    }

    /**
     * One entry.
     *
     * @param outcome {@code accepted} (2xx) or {@code refused} (4xx/5xx)
     */
    public record Entry(long id, double at, String user, boolean admin, String method, String action, String project,
            String jobToken, int status, String outcome) {
    }

    public Mono<Void> record(Entry e) {
        var spec = db.sql("INSERT INTO audit_log (at, user_gid, admin, method, action, project_gid, job_token, status, outcome) "
                        + "VALUES (:at, :user, :admin, :method, :action, :project, :job, :status, :outcome)")
                .bind("at", e.at()).bind("user", e.user()).bind("admin", e.admin()).bind("method", e.method())
                .bind("action", e.action()).bind("status", e.status()).bind("outcome", e.outcome());
        spec = Rows.bind(spec, "project", e.project(), String.class);
        spec = Rows.bind(spec, "job", e.jobToken(), String.class);
        return spec.then();
    }

    /** Newest first; {@code project} null for all. */
    public Flux<Entry> recent(String project, int limit) {
        String where = project == null ? "" : " WHERE project_gid = :p";
        var spec = db.sql("SELECT id, at, user_gid, admin, method, action, project_gid, job_token, status, outcome FROM audit_log"
                + where + " ORDER BY id DESC LIMIT :limit").bind("limit", limit);
        if (project != null) {
            spec = spec.bind("p", project);
        }
        return spec.map(row -> new Entry(Rows.longOf(row, "id"), Rows.doubleOf(row, "at"), row.get("user_gid", String.class),
                Boolean.TRUE.equals(row.get("admin", Boolean.class)), row.get("method", String.class), row.get("action", String.class),
                row.get("project_gid", String.class), row.get("job_token", String.class), (int) Rows.longOf(row, "status"),
                row.get("outcome", String.class))).all();
    }
}
