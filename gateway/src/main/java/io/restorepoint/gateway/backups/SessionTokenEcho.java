package io.restorepoint.gateway.backups;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Unicat's clients keep their session token current from a response header: every authenticated answer
 * of {@code /api/p/**} carries {@code Authorization: <JWT>} (no prefix), as Unicat's own API sends it.
 * RestorePoint issues no tokens, so the header holds the caller's own token; the browser may read it
 * (CORS exposes {@code Authorization}). Runs after the security filters: a request that reaches it was
 * authenticated, and a 401 never carries the header.
 */
@Component
public class SessionTokenEcho implements WebFilter, Ordered {

    private static final String PREFIX = "Bearer ";

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 1;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
                && exchange.getRequest().getPath().pathWithinApplication().value().startsWith("/api/p/")) {
            String token = authorization.substring(PREFIX.length()).trim();
            exchange.getResponse().beforeCommit(() -> {
                var status = exchange.getResponse().getStatusCode();
                if (status == null || status.value() != 401) {
                    exchange.getResponse().getHeaders().set(HttpHeaders.AUTHORIZATION, token);
                }
                return Mono.empty();
            });
        }
        return chain.filter(exchange);
    }
}
