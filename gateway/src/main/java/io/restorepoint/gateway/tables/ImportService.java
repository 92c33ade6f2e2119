package io.restorepoint.gateway.tables;

import io.restorepoint.engine.imports.ImportDocumentException;
import io.restorepoint.engine.imports.StagedImport;
import io.restorepoint.gateway.config.GatewayProperties;
import io.restorepoint.gateway.config.ProjectEngines;
import io.restorepoint.gateway.control.JobRow;
import io.restorepoint.gateway.control.JobStore;
import io.restorepoint.gateway.control.Project;
import io.restorepoint.engine.artifact.ArtifactStore;
import io.restorepoint.gateway.control.ProjectStore;
import io.restorepoint.gateway.jobs.JobAdmission;
import io.restorepoint.gateway.jobs.JobQueue;
import org.springframework.transaction.reactive.TransactionalOperator;
import io.restorepoint.schemas.EpochSeconds;
import io.restorepoint.schemas.SchemaVersion;
import io.restorepoint.schemas.command.ImportRequested;
import io.restorepoint.schemas.job.JobType;
import io.restorepoint.web.envelope.ApiError;
import io.restorepoint.web.envelope.ApiException;
import io.restorepoint.web.security.Caller;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code POST /api/backup/import}: the body is spooled to disk as it arrives (never held in memory,
 * refused past the size limit), validated whole against the database and staged, and only then handed
 * to a worker as an {@code import_data} job. The call waits for the job unless asked not to.
 */
@Service
public class ImportService {

    private final ProjectEngines engines;
    private final JobStore jobs;
    private final ProjectStore projects;
    private final JobQueue queue;
    private final JobAdmission admission;
    private final ArtifactStore store;
    private final TransactionalOperator tx;
    private final GatewayProperties properties;

    public ImportService(ProjectEngines engines, JobStore jobs, ProjectStore projects, JobQueue queue, JobAdmission admission,
            ArtifactStore store, TransactionalOperator tx, GatewayProperties properties) {
        this.engines = engines;
        this.jobs = jobs;
        this.projects = projects;
        this.queue = queue;
        this.admission = admission;
        this.store = store;
        this.tx = tx;
        this.properties = properties;
    }

    private void deleteStagingQuietly(String staging) {
        try {
            store.deleteStaged(staging);
        } catch (IOException | RuntimeException ignored) {
            // a refused import leaves nothing that matters
        }
    }

    /** The job's final (or current, after the wait) state. */
    public Mono<JobRow> submit(Caller caller, Project project, Flux<DataBuffer> body, boolean wait) {
        String token = UUID.randomUUID().toString();
        String staging = "imports/" + token;
        double now = EpochSeconds.now();
        return spool(body)
                .flatMap(file -> Mono.fromCallable(() -> stage(file, project, staging))
                        .subscribeOn(Schedulers.boundedElastic())
                        .doFinally(signal -> deleteQuietly(file)))
                .flatMap(staged -> projects.lock(project.gid())
                        .flatMap(locked -> admission.admit(project.gid(), 1, "import"))
                        .then(jobs.insertQueued(token, project.gid(), JobType.IMPORT_DATA.wire(), null, caller.userId(), now))
                        .as(tx::transactional)
                        .onErrorResume(e -> Mono.fromRunnable(() -> deleteStagingQuietly(staging))
                                .subscribeOn(Schedulers.boundedElastic()).then(Mono.error(e))))
                .then(Mono.defer(() -> {
                    ImportRequested command = new ImportRequested(SchemaVersion.V1, token, project.gid(), project.database(),
                            staging, caller.userId(), now, project.server());
                    return queue.submit(List.of(JobQueue.queued(command, null)), List.of(command));
                }))
                .then(wait ? awaitEnd(token) : jobs.find(token));
    }

    private StagedImport stage(Path file, Project project, String staging) {
        try {
            return engines.stager(project.server()).stage(file, project.database(), Set.copyOf(properties.exportExclude()),
                    Set.copyOf(properties.imports().passwordHashColumns()), staging);
        } catch (ImportDocumentException e) {
            ApiError error = switch (e.status()) {
                case 413 -> ApiError.PAYLOAD_TOO_LARGE;
                case 422 -> ApiError.VALIDATION;
                default -> ApiError.BAD_REQUEST;
            };
            throw new ApiException(error, e.getMessage(), e.info());
        }
    }

    private Mono<Path> spool(Flux<DataBuffer> body) {
        long max = properties.imports().maxBytes().toBytes();
        return Mono.fromCallable(() -> {
                    Files.createDirectories(properties.imports().spool());
                    return Files.createTempFile(properties.imports().spool(), "restorepoint-import-", ".json");
                })
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(file -> {
                    AtomicLong size = new AtomicLong();
                    Flux<DataBuffer> limited = body.doOnNext(buffer -> {
                        if (size.addAndGet(buffer.readableByteCount()) > max) {
                            DataBufferUtils.release(buffer);
                            throw new ApiException(ApiError.PAYLOAD_TOO_LARGE, "The import document is larger than "
                                    + properties.imports().maxBytes().toMegabytes() + " MB", Map.of("max_bytes", max));
                        }
                    });
                    return DataBufferUtils.write(limited, file)
                            .then(Mono.fromCallable(() -> {
                                if (size.get() == 0) {
                                    throw new ApiException(ApiError.BAD_REQUEST, "The request has no body: send the export document");
                                }
                                return file;
                            }))
                            .onErrorResume(e -> {
                                deleteQuietly(file);
                                return Mono.error(e);
                            });
                });
    }

    private Mono<JobRow> awaitEnd(String token) {
        Duration wait = properties.imports().waitFor();
        return jobs.find(token)
                .flatMap(job -> job.isTerminal() ? Mono.just(job) : Mono.empty())
                .repeatWhenEmpty(r -> r.delayElements(Duration.ofMillis(100)))
                .timeout(wait, jobs.find(token));
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a temp file left behind is removed with the temp dir
        }
    }
}
