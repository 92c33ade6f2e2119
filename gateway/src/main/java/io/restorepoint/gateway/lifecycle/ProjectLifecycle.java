package io.restorepoint.gateway.lifecycle;

import io.restorepoint.engine.artifact.ArtifactId;
import io.restorepoint.engine.artifact.ArtifactStore;
import io.restorepoint.engine.connect.DatabaseServers;
import io.restorepoint.gateway.control.JobStore;
import io.restorepoint.gateway.control.Member;
import io.restorepoint.gateway.control.Project;
import io.restorepoint.gateway.control.ProjectStore;
import io.restorepoint.gateway.control.ScheduleStore;
import io.restorepoint.gateway.projects.MembershipPublisher;
import io.restorepoint.gateway.schedules.ScheduleService;
import io.restorepoint.schemas.EpochSeconds;
import io.restorepoint.web.envelope.ApiError;
import io.restorepoint.web.envelope.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A project's life by API (global admins): created on a configured server, renamed, archived (its backups
 * are kept, it takes no new ones: no project call reaches it and no schedule fires) or made active again, and
 * deleted: only without backups, or with {@code delete_backups}, which removes their artifacts too. Never
 * while one of its jobs runs. Membership changes reach sync-events through the membership topic.
 */
@Service
public class ProjectLifecycle {

    public static final String ACTIVE = "active";
    public static final String ARCHIVED = "archived";

    private static final Logger log = LoggerFactory.getLogger(ProjectLifecycle.class);
    /** A database name this service creates commands for: letters, digits, _ and $, at most 64 (no quoting games). */
    private static final Pattern DATABASE = Pattern.compile("[A-Za-z0-9_$]{1,64}");

    private final ProjectStore projects;
    private final JobStore jobs;
    private final ScheduleStore scheduleRows;
    private final ScheduleService schedules;
    private final MembershipPublisher memberships;
    private final DatabaseServers servers;
    private final ArtifactStore store;
    private final TransactionalOperator tx;

    public ProjectLifecycle(ProjectStore projects, JobStore jobs, ScheduleStore scheduleRows, ScheduleService schedules,
            MembershipPublisher memberships, DatabaseServers servers, ArtifactStore store, TransactionalOperator tx) {
        this.projects = projects;
        this.jobs = jobs;
        this.scheduleRows = scheduleRows;
        this.schedules = schedules;
        this.memberships = memberships;
        this.servers = servers;
        this.store = store;
        this.tx = tx;
    }

    /** What a new project is: all checked before anything is written. */
    public record NewProject(String id, String name, String database, String server, String owner) {
    }

    public Flux<Project> all() {
        return projects.all();
    }

    public Mono<Project> create(NewProject p) {
        check(Project.isValidId(p.id()), "id", "id must be 1-64 letters, digits, '_' or '-'");
        check(p.database() != null && DATABASE.matcher(p.database()).matches(), "database",
                "database must be 1-64 letters, digits, '_' or '$'");
        check(servers.has(p.server()), "server", "no database server named '" + p.server() + "'; configured: " + servers.names());
        check(Member.isValidUser(p.owner()), "owner", "owner must be a user id (the JWT subject)");
        check(p.name().length() <= 200, "name", "name must be at most 200 characters");
        return projects.create(p.id(), p.name(), p.database(), p.server(), p.owner(), EpochSeconds.now())
                .flatMap(created -> created
                        ? schedules.ensureDefault(p.id()).then(projects.find(p.id()))
                        : Mono.error(new ApiException(ApiError.PROCESS, "A project with id " + p.id() + " already exists",
                                Map.of("parameter", "id"))))
                .flatMap(project -> memberships.publish(new Member(project.gid(), project.owner(), "owner", "active"))
                        .thenReturn(project))
                .doOnNext(project -> log.info("project {} created (database {} on server {}, owner {})", project.gid(),
                        project.database(), project.server(), project.owner()));
    }

    /** Changes the name and/or status; null leaves it as it is. */
    public Mono<Project> update(String id, String name, String status) {
        if (status != null) {
            check(ACTIVE.equals(status) || ARCHIVED.equals(status), "status", "status must be active or archived");
        }
        if (name != null) {
            check(!name.isBlank() && name.length() <= 200, "name", "name must be 1-200 characters");
        }
        return find(id)
                .flatMap(project -> projects.update(id, name == null ? project.name() : name, status == null ? project.status() : status)
                        .then(projects.find(id)));
    }

    /** Deletes the project; refused while a job of it runs, and while it has backups unless {@code deleteBackups}. */
    public Mono<Map<String, Object>> delete(String id, boolean deleteBackups) {
        return find(id)
                .flatMap(project -> jobs.active(id).flatMap(active -> active > 0
                        ? Mono.error(new ApiException(ApiError.PROCESS, "Project " + id + " has " + active
                                + " unfinished job(s); delete it once they end"))
                        : projects.liveVersions(id).collectList()))
                .flatMap(live -> !live.isEmpty() && !deleteBackups
                        ? Mono.error(new ApiException(ApiError.PROCESS, "Project " + id + " has " + live.size()
                                + " backup(s); delete them first, or send delete_backups: true to delete them with it",
                                Map.of("parameter", "delete_backups", "backups", live.size())))
                        : projects.allVersions(id).collectList())
                .flatMap(versions -> deleteArtifacts(id, versions)
                        .then(projects.members(id).collectList())
                        .flatMap(members -> jobs.deleteProject(id)
                                .then(scheduleRows.deleteProject(id))
                                .then(projects.deleteProject(id))
                                .as(tx::transactional)
                                .then(Flux.fromIterable(members)
                                        .concatMap(m -> memberships.publish(new Member(id, m.user(), m.role(), "removed")))
                                        .then())
                                .thenReturn(Map.<String, Object>of("project", id, "deleted_backups", versions.size(),
                                        "removed_members", members.size()))))
                .doOnNext(r -> log.info("project {} deleted ({} artifacts removed)", id, r.get("deleted_backups")));
    }

    /** The artifacts first: a failure leaves the rows, so the delete can be asked again (no artifact is ever orphaned). */
    private Mono<Void> deleteArtifacts(String id, List<Integer> versions) {
        return Flux.fromIterable(versions)
                .concatMap(v -> Mono.fromCallable(() -> {
                    try {
                        return store.delete(new ArtifactId(id, v));
                    } catch (IOException e) {
                        throw new UncheckedIOException("artifact " + id + "@v" + v + " could not be deleted: " + e.getMessage(), e);
                    }
                }).subscribeOn(Schedulers.boundedElastic()))
                .then();
    }

    private Mono<Project> find(String id) {
        if (!Project.isValidId(id)) {
            return Mono.error(ApiException.notFound("No such project"));
        }
        return projects.find(id).switchIfEmpty(Mono.error(ApiException.notFound("No such project")));
    }

    private static void check(boolean ok, String parameter, String message) {
        if (!ok) {
            throw ApiException.unprocessable(message, Map.of("parameter", parameter));
        }
    }
}
