package io.restorepoint.gateway.control;

import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Projects, members and backup versions: the only place with SQL for these tables. */
@Repository
public class ProjectStore {

    private final DatabaseClient db;

    public ProjectStore(DatabaseClient db) {
        this.db = db;
    }

    public Mono<Project> find(String gid) {
        return db.sql("SELECT gid, name, database_name, server, owner, status, next_version, last_backed_up FROM projects WHERE gid = :gid")
                .bind("gid", gid)
                .map(ProjectStore::project)
                .one();
    }

    /** Every project, by id. */
    public Flux<Project> all() {
        return db.sql("SELECT gid, name, database_name, server, owner, status, next_version, last_backed_up FROM projects ORDER BY gid")
                .map(ProjectStore::project)
                .all();
    }

    /**
     * Creates the project, active, with its owner as an active member, unless a project of that id exists.
     * Returns whether it was created (nothing is changed when it was not).
     */
    public Mono<Boolean> create(String gid, String name, String database, String server, String owner, double now) {
        return db.sql("INSERT IGNORE INTO projects (gid, name, database_name, server, owner, status, next_version, created_on) "
                        + "VALUES (:gid, :name, :db, :server, :owner, 'active', 1, :now)")
                .bind("gid", gid).bind("name", name).bind("db", database).bind("server", server).bind("owner", owner).bind("now", now)
                .fetch().rowsUpdated()
                .flatMap(created -> created == 0 ? Mono.just(false)
                        : db.sql("INSERT INTO project_members (project_gid, user_gid, role, status) VALUES (:gid, :owner, 'owner', 'active')")
                                .bind("gid", gid).bind("owner", owner)
                                .fetch().rowsUpdated()
                                .thenReturn(true));
    }

    /** Sets a project's name and status ({@code active} or {@code archived}). Returns rows changed. */
    public Mono<Long> update(String gid, String name, String status) {
        return db.sql("UPDATE projects SET name = :name, status = :status WHERE gid = :gid")
                .bind("name", name).bind("status", status).bind("gid", gid)
                .fetch().rowsUpdated();
    }

    /** The versions of a project that still count as backups (pending, valid, failed), newest first. */
    public Flux<Integer> liveVersions(String gid) {
        return db.sql("SELECT version FROM backup_versions WHERE project_gid = :p AND status <> 'deleted' ORDER BY version DESC")
                .bind("p", gid)
                .map(row -> row.get("version", Integer.class))
                .all();
    }

    /** Every version number of a project, deleted ones included (their artifacts may still be there). */
    public Flux<Integer> allVersions(String gid) {
        return db.sql("SELECT version FROM backup_versions WHERE project_gid = :p ORDER BY version")
                .bind("p", gid)
                .map(row -> row.get("version", Integer.class))
                .all();
    }

    /** Adds a member (active) unless the user is one already. Returns whether it was added. */
    public Mono<Boolean> addMember(String project, String user, String role) {
        return db.sql("INSERT IGNORE INTO project_members (project_gid, user_gid, role, status) VALUES (:p, :u, :role, 'active')")
                .bind("p", project).bind("u", user).bind("role", role)
                .fetch().rowsUpdated().map(n -> n > 0);
    }

    /** Changes a member's role. Returns rows changed. */
    public Mono<Long> setRole(String project, String user, String role) {
        return db.sql("UPDATE project_members SET role = :role WHERE project_gid = :p AND user_gid = :u")
                .bind("role", role).bind("p", project).bind("u", user)
                .fetch().rowsUpdated();
    }

    /** Removes a member. Returns rows changed. */
    public Mono<Long> removeMember(String project, String user) {
        return db.sql("DELETE FROM project_members WHERE project_gid = :p AND user_gid = :u")
                .bind("p", project).bind("u", user)
                .fetch().rowsUpdated();
    }

    /** The project's active owners, the row locked for the rest of the transaction (the last owner stays). */
    public Mono<Long> lockOwners(String project) {
        return db.sql("SELECT user_gid FROM project_members WHERE project_gid = :p AND role = 'owner' AND status = 'active' FOR UPDATE")
                .bind("p", project)
                .map(row -> row.get("user_gid", String.class))
                .all()
                .count();
    }

    /** The members of one project. */
    public Flux<Member> members(String project) {
        return db.sql("SELECT project_gid, user_gid, role, status FROM project_members WHERE project_gid = :p ORDER BY user_gid")
                .bind("p", project)
                .map(ProjectStore::member)
                .all();
    }

    /** Removes the project row with its members and versions (its jobs and schedule go first, by their own stores). */
    public Mono<Void> deleteProject(String gid) {
        return db.sql("DELETE FROM project_members WHERE project_gid = :p").bind("p", gid).fetch().rowsUpdated()
                .then(db.sql("DELETE FROM backup_versions WHERE project_gid = :p").bind("p", gid).fetch().rowsUpdated())
                .then(db.sql("DELETE FROM projects WHERE gid = :p").bind("p", gid).fetch().rowsUpdated())
                .then();
    }

    /** Locks the project row for the rest of the transaction (version allocation). */
    public Mono<Project> lock(String gid) {
        return db.sql("SELECT gid, name, database_name, server, owner, status, next_version, last_backed_up FROM projects "
                        + "WHERE gid = :gid FOR UPDATE")
                .bind("gid", gid)
                .map(ProjectStore::project)
                .one();
    }

    /** Takes {@code version} (the locked row's next version) and records the backup time. */
    public Mono<Void> takeVersion(String gid, int version, double timestamp) {
        return db.sql("UPDATE projects SET next_version = :next, last_backed_up = :ts WHERE gid = :gid AND next_version = :version")
                .bind("next", version + 1).bind("ts", timestamp).bind("gid", gid).bind("version", version)
                .fetch().rowsUpdated()
                .flatMap(n -> n == 1 ? Mono.<Void>empty()
                        : Mono.error(new IllegalStateException("version " + version + " of " + gid + " was taken concurrently")));
    }

    public Mono<Member> member(String project, String user) {
        return db.sql("SELECT project_gid, user_gid, role, status FROM project_members WHERE project_gid = :p AND user_gid = :u")
                .bind("p", project).bind("u", user)
                .map(ProjectStore::member)
                .one();
    }

    public Flux<Member> members() {
        return db.sql("SELECT project_gid, user_gid, role, status FROM project_members ORDER BY project_gid, user_gid")
                .map(ProjectStore::member)
                .all();
    }


    /** @param origin {@code manual}, {@code safety} or {@code scheduled} (what retention may expire) */
    public Mono<Void> insertVersion(BackupVersion v, String origin) {
        return db.sql("INSERT INTO backup_versions (project_gid, version, name, created_by, created_on, status, job_token, origin) "
                        + "VALUES (:p, :v, :name, :by, :on, :status, :token, :origin)")
                .bind("p", v.project()).bind("v", v.version()).bind("name", v.name()).bind("by", v.createdBy())
                .bind("on", v.createdOn()).bind("status", v.status()).bind("token", v.jobToken()).bind("origin", origin)
                .then();
    }

    /** One version, whatever its status. */
    public Mono<BackupVersion> version(String project, int version) {
        return db.sql("SELECT project_gid, version, name, created_by, created_on, status, job_token, row_count, byte_count, "
                        + "verify_status, verified_on, skipped_json FROM backup_versions WHERE project_gid = :p AND version = :v")
                .bind("p", project).bind("v", version)
                .map(ProjectStore::version)
                .one();
    }

    /** Renames a valid or pending version. Returns rows changed. */
    public Mono<Long> rename(String project, int version, String name) {
        return db.sql("UPDATE backup_versions SET name = :name WHERE project_gid = :p AND version = :v AND status IN ('pending', 'valid')")
                .bind("name", name).bind("p", project).bind("v", version)
                .fetch().rowsUpdated();
    }

    /** Marks complete versions deleted (pending ones, whose job still runs, are left alone). Returns rows changed. */
    public Mono<Long> markDeleted(String project, int version) {
        return db.sql("UPDATE backup_versions SET status = 'deleted' WHERE project_gid = :p AND version = :v AND status IN ('valid', 'failed')")
                .bind("p", project).bind("v", version)
                .fetch().rowsUpdated();
    }

    /** Records the outcome of a verify job on its version. */
    public Mono<Long> recordVerification(String project, int version, String status, double when) {
        return db.sql("UPDATE backup_versions SET verify_status = :status, verified_on = :on WHERE project_gid = :p AND version = :v")
                .bind("status", status).bind("on", when).bind("p", project).bind("v", version)
                .fetch().rowsUpdated();
    }

    /** Versions a client sees: pending and valid ones, newest first. */
    public Flux<BackupVersion> listedVersions(String project) {
        return db.sql("SELECT project_gid, version, name, created_by, created_on, status, job_token, row_count, byte_count, "
                        + "verify_status, verified_on, skipped_json FROM backup_versions WHERE project_gid = :p AND status IN ('pending', 'valid') "
                        + "ORDER BY version DESC")
                .bind("p", project)
                .map(ProjectStore::version)
                .all();
    }

    /** Moves a pending version to valid or failed once its job ends. Returns rows changed (0 if already settled). */
    public Mono<Long> settleVersion(String jobToken, String status, Long rows, Long bytes) {
        return settleVersion(jobToken, status, rows, bytes, null);
    }

    /** As {@link #settleVersion(String, String, Long, Long)}, with the objects the backup left out (JSON; null: none). */
    public Mono<Long> settleVersion(String jobToken, String status, Long rows, Long bytes, String skippedJson) {
        var spec = db.sql("UPDATE backup_versions SET status = :status, row_count = :rows, byte_count = :bytes, skipped_json = :skipped "
                + "WHERE job_token = :token AND status = 'pending'")
                .bind("status", status).bind("token", jobToken);
        spec = Rows.bind(spec, "rows", rows, Long.class);
        spec = Rows.bind(spec, "bytes", bytes, Long.class);
        spec = Rows.bind(spec, "skipped", skippedJson, String.class);
        return spec.fetch().rowsUpdated();
    }

    private static Project project(Readable row) {
        Number last = row.get("last_backed_up", Number.class);
        return new Project(row.get("gid", String.class), row.get("name", String.class),
                row.get("database_name", String.class), row.get("server", String.class), row.get("owner", String.class),
                row.get("status", String.class),
                row.get("next_version", Integer.class), last == null ? null : last.doubleValue());
    }

    private static Member member(Readable row) {
        return new Member(row.get("project_gid", String.class), row.get("user_gid", String.class),
                row.get("role", String.class), row.get("status", String.class));
    }

    private static BackupVersion version(Readable row) {
        return new BackupVersion(row.get("project_gid", String.class), row.get("version", Integer.class),
                row.get("name", String.class), row.get("created_by", String.class), Rows.doubleOf(row, "created_on"),
                row.get("status", String.class), row.get("job_token", String.class),
                Rows.nullableLong(row, "row_count"), Rows.nullableLong(row, "byte_count"),
                row.get("verify_status", String.class), row.get("verified_on", Double.class), row.get("skipped_json", String.class));
    }
}
