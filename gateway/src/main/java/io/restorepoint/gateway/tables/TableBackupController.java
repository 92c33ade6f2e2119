package io.restorepoint.gateway.tables;

import io.restorepoint.gateway.control.JobRow;
import io.restorepoint.gateway.audit.AuditFilter;
import io.restorepoint.gateway.jobs.JobViews;
import io.restorepoint.web.envelope.Envelope;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import java.util.LinkedHashMap;
import java.util.Map;
import io.restorepoint.gateway.config.GatewayProperties;
import io.restorepoint.gateway.config.ProjectEngines;
import io.restorepoint.gateway.control.Project;
import io.restorepoint.gateway.projects.ProjectAccess;
import io.restorepoint.web.envelope.ApiError;
import io.restorepoint.web.envelope.ApiException;
import io.restorepoint.web.security.Caller;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Set;

/**
 * The scrap-tracking system's table API ({@code /api/backup/*}, admin only) over the default project.
 * {@code GET /api/backup/export} streams every table (the session table excluded) as one JSON document,
 * from one consistent snapshot, as a download; {@code POST /api/backup/import} loads such a document;
 * {@code GET /api/backup/stats} counts rows.
 */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Table backup API", description = "The scrap-tracking system's export/import/stats API over the default project (admins only)")
@RestController
@RequestMapping("/api/backup")
public class TableBackupController {

    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final ProjectEngines engines;
    private final ImportService imports;
    private final ProjectAccess access;
    private final GatewayProperties properties;

    public TableBackupController(ProjectEngines engines, ImportService imports, ProjectAccess access,
            GatewayProperties properties) {
        this.engines = engines;
        this.imports = imports;
        this.access = access;
        this.properties = properties;
    }

    @io.swagger.v3.oas.annotations.Operation(summary = "Export all tables (admin)", description = "Streams the default project as one JSON document from one consistent snapshot, as a download; sesiones excluded.")
    @GetMapping(path = "/export", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<Flux<DataBuffer>>> export() {
        return adminProject().map(project -> {
            Flux<DataBuffer> body = engines.exporter(project.server()).export(project.gid(), project.database(), Set.copyOf(properties.exportExclude()))
                    .map(DefaultDataBufferFactory.sharedInstance::wrap);
            String file = "restorepoint-" + project.gid() + "-" + FILE_TIME.format(Instant.now()) + ".json";
            return ResponseEntity.ok()
                    .contentType(MediaType.APPLICATION_JSON)
                    .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(file).build().toString())
                    .header(HttpHeaders.CACHE_CONTROL, "no-store")
                    .body(body);
        });
    }

    /**
     * Imports an export document into the default project: {@code INSERT IGNORE} semantics (rows whose key
     * exists are skipped, nothing is updated or deleted), the session table skipped, all or nothing. The
     * answer keeps the seed's shape {@code {success, imported: {table: n}}} and adds {@code skipped} and the
     * usual {@code result}/{@code data}. With {@code Prefer: respond-async}, or when the job takes longer
     * than the configured wait, it answers 202 with the {@code job.token} to follow.
     */
    @io.swagger.v3.oas.annotations.Operation(summary = "Import an export document (admin)", description = "Validated whole before anything is written; INSERT IGNORE semantics, sesiones skipped, one transaction. Waits for the job, or answers 202 with Prefer: respond-async.",
            responses = @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "Accepted",
                    content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json",
                            examples = @io.swagger.v3.oas.annotations.media.ExampleObject(value = "{\"success\":true,\"imported\":{\"areas\":15,\"pesaje\":1523},\"skipped\":{\"areas\":0,\"pesaje\":0,\"sesiones\":12},\"result\":{\"job.token\":\"…\"},\"data\":{}}"))))
    @PostMapping(path = "/import", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<Object>> importDocument(@RequestHeader(name = "Prefer", required = false) String prefer,
            ServerHttpRequest request, org.springframework.web.server.ServerWebExchange exchange) {
        boolean async = prefer != null && prefer.toLowerCase(java.util.Locale.ROOT).contains("respond-async");
        return Caller.current().flatMap(caller -> adminProject()
                .flatMap(project -> imports.submit(caller, project, request.getBody(), !async)))
                .doOnNext(job -> AuditFilter.noteJob(exchange, job.token()))
                .map(this::importAnswer);
    }

    private ResponseEntity<Object> importAnswer(JobRow job) {
        Map<String, Object> view = JobViews.view(job);
        if ("done".equals(job.status())) {
            Map<String, Object> imported = new LinkedHashMap<>();
            Map<String, Object> skipped = new LinkedHashMap<>();
            Object tables = view.get("result") instanceof Map<?, ?> result ? result.get("tables") : null;
            if (tables instanceof Map<?, ?> counts) {
                counts.forEach((table, count) -> {
                    Map<?, ?> c = (Map<?, ?>) count;
                    // as the seed answers: imported lists the tables the import writes, never the excluded ones
                    if (!properties.exportExclude().contains(table)) {
                        imported.put((String) table, c.get("inserted"));
                    }
                    skipped.put((String) table, c.get("skipped"));
                });
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("success", true);
            body.put("imported", imported);
            body.put("skipped", skipped);
            body.put("result", Map.of("job.token", job.token(), "imported", imported, "skipped", skipped));
            body.put("data", Map.of());
            return ResponseEntity.ok(body);
        }
        if ("rejected".equals(job.status())) {
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("process", "import");
            info.put("job.token", job.token());
            if (view.get("failure") instanceof Map<?, ?> failure) {
                info.put("reason", failure.get("reason"));
                if (failure.get("table") != null) {
                    info.put("table", failure.get("table"));
                }
            }
            return ResponseEntity.unprocessableContent().body(Envelope.error(ApiError.PROCESS.code(), ApiError.PROCESS.message(), info));
        }
        return ResponseEntity.accepted().header("Preference-Applied", "respond-async")
                .body(Envelope.ok(Map.of("job.token", job.token(), "job", view)));
    }

    /**
     * {@code GET /api/backup/stats}: exact row counts of every table (the session table included), the
     * database size in MB as a string with two decimals, and the time of the count.
     */
    @io.swagger.v3.oas.annotations.Operation(summary = "Row counts and size (admin)", description = "Exact per-table counts (sesiones included), size in MB with two decimals, and the time.",
            responses = @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "Accepted",
                    content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json",
                            examples = @io.swagger.v3.oas.annotations.media.ExampleObject(value = "{\"tables\":{\"areas\":15,\"pesaje\":15234,\"sesiones\":12},\"database_size_mb\":\"145.67\",\"timestamp\":\"2024-03-15T18:30:00.000Z\"}"))))
    @GetMapping(path = "/stats", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<Map<String, Object>> stats() {
        return adminProject().flatMap(project -> engines.stats(project.server()).of(project.database())).map(s -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("tables", s.tables());
            body.put("database_size_mb", String.format(java.util.Locale.ROOT, "%.2f", s.bytes() / 1024.0 / 1024.0));
            body.put("timestamp", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString());
            return body;
        });
    }

    /** The default project, for admins only. */
    private Mono<Project> adminProject() {
        return Caller.current().flatMap(caller -> {
            if (!caller.isAdmin()) {
                return Mono.error(new ApiException(ApiError.FORBIDDEN, "Forbidden - the backup API is for administrators"));
            }
            return access.require(caller, properties.defaultProject());
        });
    }
}
