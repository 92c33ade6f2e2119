package io.restorepoint.gateway.audit;

import io.restorepoint.web.envelope.ApiException;
import io.restorepoint.web.envelope.Envelope;
import io.restorepoint.web.security.Caller;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.util.Map;

/** {@code GET /api/audit?project=&limit=}: the newest audit entries, for admins. */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Audit", description = "The audit log")
@RestController
public class AuditController {

    private final AuditStore audit;

    public AuditController(AuditStore audit) {
        this.audit = audit;
    }

    @io.swagger.v3.oas.annotations.Operation(summary = "Audit log (admin)", description = "Who asked for what, when, on which project, with which job, and the outcome; newest first.")
    @GetMapping(path = "/api/audit", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<Envelope> recent(@RequestParam(name = "project", required = false) String project,
            @RequestParam(name = "limit", defaultValue = "100") int limit) {
        if (limit < 1 || limit > 1000) {
            return Mono.error(ApiException.unprocessable("limit must be from 1 to 1000", Map.of("parameter", "limit")));
        }
        return Caller.currentAdmin("Forbidden - the audit log is for administrators")
                .flatMap(caller -> audit.recent(project, limit).collectList())
                .map(entries -> Envelope.ok(Map.of("entries", entries)));
    }
}
