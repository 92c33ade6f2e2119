package io.restorepoint.gateway.backups;

import io.restorepoint.gateway.control.BackupVersion;
import io.restorepoint.gateway.control.JobStore;
import io.restorepoint.gateway.control.Project;
import io.restorepoint.gateway.control.ProjectStore;
import io.restorepoint.engine.artifact.ArtifactStore;
import io.restorepoint.gateway.jobs.JobAdmission;
import io.restorepoint.gateway.jobs.JobQueue;
import io.restorepoint.gateway.projects.ProjectAccess;
import io.restorepoint.gateway.projects.ProjectChanges;
import io.restorepoint.gateway.requests.Arguments;
import io.restorepoint.schemas.EpochSeconds;
import io.restorepoint.schemas.SchemaVersion;
import io.restorepoint.schemas.command.BackupRequested;
import io.restorepoint.schemas.command.JobCommand;
import io.restorepoint.schemas.command.RestoreRequested;
import io.restorepoint.schemas.command.VerifyRequested;
import io.restorepoint.schemas.job.JobEvent;
import io.restorepoint.schemas.job.JobType;
import io.restorepoint.web.envelope.ApiException;
import io.restorepoint.web.security.Caller;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The backup calls that start jobs. Each records what it starts (versions allocated, never reused; jobs
 * {@code queued}) in one transaction, then hands the jobs to the {@link JobQueue}.
 */
@Service
public class BackupService {

    static final String SAFETY_CREATED_BY = "RestorePoint";
    /** Who scheduled backups are requested by, in the jobs table and the audit of their events. */
    public static final Caller SCHEDULER = new Caller("restorepoint-scheduler", List.of(), null);

    private final ProjectAccess access;
    private final ProjectStore projects;
    private final JobStore jobs;
    private final JobQueue queue;
    private final JobAdmission admission;
    private final ArtifactStore store;
    private final ProjectChanges changes;
    private final TransactionalOperator tx;

    public BackupService(ProjectAccess access, ProjectStore projects, JobStore jobs, JobQueue queue, JobAdmission admission,
            ArtifactStore store, ProjectChanges changes, TransactionalOperator tx) {
        this.changes = changes;
        this.access = access;
        this.projects = projects;
        this.jobs = jobs;
        this.queue = queue;
        this.admission = admission;
        this.store = store;
        this.tx = tx;
    }

    /** A backup accepted for processing; {@code queuePosition} unfinished jobs of the project are ahead of it. */
    public record Accepted(String project, int version, double lastBackedUp, String jobToken, long queuePosition) {
    }

    /** A restore accepted for processing, with the safety backup queued before it. */
    public record RestoreAccepted(String project, int version, double lastRestored, String jobToken, int safetyVersion,
            String safetyJobToken, long queuePosition) {
    }

    /** A verify accepted for processing. */
    public record VerifyAccepted(String project, int version, String jobToken, long queuePosition) {
    }

    /** What a delete did: the versions deleted and those skipped (unknown, reserved, or still being written). */
    public record Deleted(List<Integer> deleted, List<Integer> skipped) {
    }

    public Mono<Accepted> create(Caller caller, String gid, String createdBy, String name) {
        if (name != null && !BackupNames.allowed(name, null)) {
            return Mono.error(Arguments.invalid("name", "name may not imitate the default name 'Backup <n>'"));
        }
        String token = UUID.randomUUID().toString();
        double now = EpochSeconds.now();
        return access.require(caller, gid)
                .flatMap(visible -> projects.lock(gid)
                        .flatMap(project -> admission.admit(gid, 1, "backup")
                                .flatMap(position -> newBackup(project, token, createdBy, name, caller, now, BackupVersion.MANUAL)
                                        .map(command -> Map.entry(command, position))))
                        .as(tx::transactional))
                .flatMap(e -> queue.submit(List.of(JobQueue.queued(e.getKey(), e.getKey().version())), List.of(e.getKey()))
                        .then(changes.backupsChanged(gid, e.getKey().version()))
                        .thenReturn(new Accepted(gid, e.getKey().version(), now, token, e.getValue())));
    }

    /**
     * A scheduled backup: {@code claim} runs in the transaction that records the backup, after the project
     * row is locked, and the backup is taken only when it returns true. So the tick and its backup commit
     * together or not at all, and of several gateways claiming one tick exactly one takes the backup.
     *
     * @return the accepted backup, or empty when the claim failed (another instance took the tick)
     */
    public Mono<Accepted> createScheduled(String gid, String createdBy, String name, Mono<Boolean> claim) {
        String token = UUID.randomUUID().toString();
        double now = EpochSeconds.now();
        return projects.lock(gid)
                .flatMap(project -> claim.filter(Boolean::booleanValue)
                        .flatMap(claimed -> admission.admit(gid, 1, "backup"))
                        .flatMap(position -> newBackup(project, token, createdBy, name, SCHEDULER, now, BackupVersion.SCHEDULED)
                                .map(command -> Map.entry(command, position))))
                .as(tx::transactional)
                .flatMap(e -> queue.submit(List.of(JobQueue.queued(e.getKey(), e.getKey().version())), List.of(e.getKey()))
                        .then(changes.backupsChanged(gid, e.getKey().version()))
                        .thenReturn(new Accepted(gid, e.getKey().version(), now, token, e.getValue())));
    }

    /**
     * Restores {@code version}: queues a safety backup of the current data as a new version, then the
     * restore, which refuses to run unless that backup is committed.
     */
    public Mono<RestoreAccepted> restore(Caller caller, String gid, int version) {
        return restore(caller, gid, version, null);
    }

    /** As {@link #restore(Caller, String, int)}, with the DEFINER policy of the request (null: the worker's default). */
    public Mono<RestoreAccepted> restore(Caller caller, String gid, int version, String definers) {
        String token = UUID.randomUUID().toString();
        String safetyToken = UUID.randomUUID().toString();
        double now = EpochSeconds.now();
        return access.require(caller, gid)
                .flatMap(visible -> projects.lock(gid)
                        .flatMap(project -> validVersion(project, version)
                                .flatMap(restored -> admission.admit(gid, 2, "restore")
                                        .map(position -> reactor.util.function.Tuples.of(restored, position)))
                                .flatMap(admitted -> newBackup(project, safetyToken, SAFETY_CREATED_BY,
                                        "Safety backup before restoring version " + version, caller, now, BackupVersion.SAFETY)
                                        .flatMap(safety -> {
                                            RestoreRequested restore = new RestoreRequested(SchemaVersion.V1, token, gid,
                                                    project.database(), version, safety.version(), safetyToken,
                                                    caller.userId(), now, definers, project.server());
                                            return jobs.insertQueued(token, gid, JobType.RESTORE_PROJECT.wire(), version,
                                                            caller.userId(), now)
                                                    .thenReturn(new Planned(List.of(safety, restore), admitted.getT1(),
                                                            safety.version(), admitted.getT2()));
                                        })))
                        .as(tx::transactional))
                .flatMap(planned -> {
                    List<JobEvent> queued = new ArrayList<>();
                    for (JobCommand command : planned.commands()) {
                        queued.add(JobQueue.queued(command, command instanceof BackupRequested b ? b.version() : version));
                    }
                    return queue.submit(queued, planned.commands())
                            .then(changes.backupsChanged(gid, planned.safetyVersion()))
                            .thenReturn(new RestoreAccepted(gid, version, planned.restored().createdOn(), token,
                                    planned.safetyVersion(), safetyToken, planned.position() + 1));
                });
    }

    public Mono<VerifyAccepted> verify(Caller caller, String gid, int version) {
        String token = UUID.randomUUID().toString();
        double now = EpochSeconds.now();
        return access.require(caller, gid)
                .flatMap(visible -> projects.lock(gid)
                        .flatMap(project -> validVersion(project, version)
                                .then(admission.admit(gid, 1, "verify"))
                                .flatMap(position -> jobs.insertQueued(token, gid, JobType.VERIFY_BACKUP.wire(), version,
                                                caller.userId(), now)
                                        .thenReturn(Map.entry(new VerifyRequested(SchemaVersion.V1, token, gid, project.database(),
                                                version, caller.userId(), now, project.server()), position))))
                        .as(tx::transactional))
                .flatMap(e -> queue.submit(List.of(JobQueue.queued(e.getKey(), version)), List.of(e.getKey()))
                        .thenReturn(new VerifyAccepted(gid, version, token, e.getValue())));
    }

    /**
     * Renames a version. The name may not imitate {@code Backup <n>} unless {@code n} is this version's own
     * number; 422 "backup version invalid" for version 0 or a version not listed.
     */
    public Mono<Void> rename(Caller caller, String gid, int version, String name) {
        if (!BackupNames.allowed(name, version)) {
            return Mono.error(Arguments.invalid("name", "name may not imitate the default name of another backup ('Backup <n>')"));
        }
        if (version < 1) {
            return Mono.error(invalidVersion(version));
        }
        return access.require(caller, gid)
                .flatMap(project -> projects.rename(gid, version, name))
                .flatMap(changed -> changed > 0 ? changes.backupsChanged(gid, version) : Mono.error(invalidVersion(version)));
    }

    /**
     * Deletes versions, irreversibly: their artifacts are removed from the store. Unknown versions, version 0
     * and versions whose backup is still being written are skipped silently (and listed as skipped). Numbers
     * are never given again: {@code next_version} does not change.
     */
    public Mono<Deleted> delete(Caller caller, String gid, List<Integer> versions) {
        return access.require(caller, gid).flatMap(project -> deleteVersions(gid, versions));
    }

    /**
     * Deletes versions without a caller: how retention expires scheduled backups. The change reaches
     * clients like any other delete.
     */
    public Mono<Deleted> deleteVersions(String gid, List<Integer> versions) {
        return Mono.just(gid)
                .flatMap(project -> reactor.core.publisher.Flux.fromIterable(versions)
                        .distinct()
                        .concatMap(v -> v < 1 ? Mono.just(Map.entry(v, false))
                                : projects.markDeleted(gid, v).map(n -> Map.entry(v, n > 0)))
                        .collectList())
                .flatMap(results -> {
                    List<Integer> deleted = results.stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
                    List<Integer> skipped = results.stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).toList();
                    return Mono.fromRunnable(() -> removeArtifacts(gid, deleted))
                            .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic())
                            .then(deleted.isEmpty() ? Mono.empty() : changes.backupsChanged(gid, null))
                            .thenReturn(new Deleted(deleted, skipped));
                });
    }

    private void removeArtifacts(String gid, List<Integer> versions) {
        for (int version : versions) {
            try {
                store.delete(new io.restorepoint.engine.artifact.ArtifactId(gid, version));
            } catch (java.io.IOException | RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(BackupService.class)
                        .warn("version {} of {} deleted, but its artifact could not be removed: {}", version, gid, e.toString());
            }
        }
    }

    private record Planned(List<JobCommand> commands, BackupVersion restored, int safetyVersion, long position) {
    }

    /** Takes the project's next version for a new backup and records it and its job; the caller holds the row lock. */
    private Mono<BackupRequested> newBackup(Project project, String token, String createdBy, String name, Caller caller,
            double now, String origin) {
        int version = project.nextVersion();
        String backupName = name == null ? BackupNames.defaultName(version) : name;
        return projects.takeVersion(project.gid(), version, now)
                .then(projects.insertVersion(new BackupVersion(project.gid(), version, backupName, createdBy, now,
                        BackupVersion.PENDING, token), origin))
                .then(jobs.insertQueued(token, project.gid(), JobType.BACKUP_PROJECT.wire(), version, caller.userId(), now))
                .thenReturn(new BackupRequested(SchemaVersion.V1, token, project.gid(), project.database(), version, backupName,
                        createdBy, caller.userId(), now, project.server()));
    }

    /** Version 0 is reserved; only a committed (valid) version can be restored or verified. */
    private Mono<BackupVersion> validVersion(Project project, int version) {
        if (version < 1) {
            return Mono.error(invalidVersion(version));
        }
        return projects.version(project.gid(), version)
                .filter(BackupVersion::isValid)
                .switchIfEmpty(Mono.error(invalidVersion(version)));
    }

    static ApiException invalidVersion(int version) {
        return ApiException.unprocessable("backup version invalid", Map.of("version", version));
    }
}
