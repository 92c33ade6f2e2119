package io.restorepoint.gateway.audit;

import io.restorepoint.gateway.config.GatewayProperties;
import io.restorepoint.schemas.EpochSeconds;
import io.restorepoint.web.security.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes an audit entry for every command an authenticated caller sends (every {@code POST} under
 * {@code /api}, and the table export): who, what, when, on which project, the job it started, and how it
 * ended. Controllers name the job with {@link #noteJob}. Writing the entry never delays or fails the
 * response.
 */
@Component
public class AuditFilter implements WebFilter, Ordered {

    private static final Logger log = LoggerFactory.getLogger(AuditFilter.class);
    private static final String JOB = AuditFilter.class.getName() + ".job";
    private static final String PROJECT = AuditFilter.class.getName() + ".project";
    private static final Pattern PROJECT_PATH = Pattern.compile("^/api/p/([^/]+)/(.+)$");
    /** The projects API names its project in the path ({@code /api/projects/<id>/update}) or, on create, in the body. */
    private static final Pattern ADMIN_PROJECT_PATH = Pattern.compile("^/api/projects/([^/]+)/(.+)$");

    private final AuditStore audit;
    private final GatewayProperties properties;

    public AuditFilter(AuditStore audit, GatewayProperties properties) {
        this.audit = audit;
        this.properties = properties;
    }

    /** Names the project a request is about when its path does not (a project being created), for its audit entry. */
    public static void noteProject(ServerWebExchange exchange, String project) {
        exchange.getAttributes().put(PROJECT, project);
    }

    /** Names the job a request started, for its audit entry. */
    public static void noteJob(ServerWebExchange exchange, String jobToken) {
        exchange.getAttributes().put(JOB, jobToken);
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        HttpMethod method = exchange.getRequest().getMethod();
        boolean audited = path.startsWith("/api/") && (HttpMethod.POST.equals(method) || path.equals("/api/backup/export"));
        if (!audited) {
            return chain.filter(exchange);
        }
        // the entry is written when the response is committed, so it sees the final status, errors included
        return Caller.current()
                .doOnNext(caller -> exchange.getResponse().beforeCommit(() -> {
                    write(exchange, caller, path, method);
                    return Mono.empty();
                }))
                .then(chain.filter(exchange));
    }

    private void write(ServerWebExchange exchange, Caller caller, String path, HttpMethod method) {
        String project = properties.defaultProject();
        String action = path.substring("/api/".length());
        Matcher m = PROJECT_PATH.matcher(path);
        Matcher admin = ADMIN_PROJECT_PATH.matcher(path);
        if (m.matches()) {
            project = m.group(1);
            action = m.group(2);
        } else if (admin.matches()) {
            project = admin.group(1);
        }
        if (exchange.getAttributes().get(PROJECT) instanceof String named) {
            project = named;
        }
        var status = exchange.getResponse().getStatusCode();
        int code = status == null ? 200 : status.value();
        AuditStore.Entry entry = new AuditStore.Entry(0, EpochSeconds.now(), caller.userId(), caller.isAdmin(), method.name(),
                action.length() > 100 ? action.substring(0, 100) : action, project.length() > 64 ? null : project,
                (String) exchange.getAttributes().get(JOB), code, code < 400 ? "accepted" : "refused");
        audit.record(entry).subscribeOn(Schedulers.boundedElastic())
                .subscribe(v -> { }, e -> log.warn("audit entry not written for {} {}: {}", method, path, e.toString()));
    }
}
