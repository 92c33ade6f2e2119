package io.restorepoint.gateway.limits;

import io.restorepoint.gateway.config.GatewayProperties;
import io.restorepoint.web.envelope.ApiError;
import io.restorepoint.web.envelope.EnvelopeWriter;
import io.restorepoint.web.security.Caller;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.net.InetSocketAddress;
import java.util.Map;

/**
 * Limits {@code /api/**} requests per caller ({@link GatewayProperties.RateLimit}). Runs after
 * authentication, so callers are told apart by their token's subject; a request refused here answers 429
 * in the API's envelope, with {@code Retry-After}, and changes nothing.
 */
@Component
public class RateLimitFilter implements WebFilter, Ordered {

    private final GatewayProperties.RateLimit settings;
    private final TokenBuckets buckets;
    private final EnvelopeWriter writer;

    public RateLimitFilter(GatewayProperties properties, EnvelopeWriter writer) {
        this.settings = properties.rateLimit();
        this.buckets = settings.enabled() ? new TokenBuckets(settings.requestsPerMinute(), settings.burst(), System::nanoTime) : null;
        this.writer = writer;
    }

    /** After Spring Security's filter chain (order -100), before the audit entry. */
    @Override
    public int getOrder() {
        return 0;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (buckets == null || !exchange.getRequest().getPath().pathWithinApplication().value().startsWith("/api/")) {
            return chain.filter(exchange);
        }
        // callers without a valid token were answered 401 by the security chain already; the address is a
        // fallback for paths it lets through unauthenticated
        return Caller.current().map(caller -> "user:" + caller.userId())
                .defaultIfEmpty("address:" + address(exchange))
                .flatMap(key -> {
                    long wait = buckets.take(key);
                    if (wait == 0) {
                        return chain.filter(exchange);
                    }
                    exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(wait));
                    return writer.write(exchange.getResponse(), ApiError.TOO_MANY_REQUESTS,
                            "Too many requests: at most " + settings.requestsPerMinute() + " a minute; retry in " + wait + " s",
                            Map.of("retry_after", wait));
                });
    }

    private static String address(ServerWebExchange exchange) {
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        return remote == null || remote.getAddress() == null ? "unknown" : remote.getAddress().getHostAddress();
    }
}
