package io.restorepoint.gateway.sync;

import io.restorepoint.gateway.config.GatewayProperties;
import io.restorepoint.web.envelope.ApiError;
import io.restorepoint.web.envelope.EnvelopeWriter;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Map;

/**
 * Serves the Sync API under the gateway's own origin, as the Unicat reference has {@code /api} and
 * {@code /sync} side by side: every {@code /sync/**} request is passed to sync-events as it is (method,
 * query, {@code Authorization}, {@code Last-Event-ID}, body) and its answer streamed back, Server-Sent
 * Events included. sync-events authenticates the caller itself.
 */
@Component
public class SyncProxy implements WebFilter {

    private static final List<String> FORWARDED = List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE, HttpHeaders.ACCEPT,
            "Last-Event-ID");

    private final WebClient client;
    private final EnvelopeWriter envelopes;
    private final boolean enabled;

    public SyncProxy(GatewayProperties properties, EnvelopeWriter envelopes) {
        this.enabled = properties.syncUrl() != null && !properties.syncUrl().isBlank();
        this.client = enabled ? WebClient.builder().baseUrl(properties.syncUrl()).build() : null;
        this.envelopes = envelopes;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String path = request.getPath().pathWithinApplication().value();
        if (!enabled || !(path.equals("/sync") || path.startsWith("/sync/"))) {
            return chain.filter(exchange);
        }
        ServerHttpResponse response = exchange.getResponse();
        String uri = path + (request.getURI().getRawQuery() == null ? "" : "?" + request.getURI().getRawQuery());
        return client.method(request.getMethod())
                .uri(uri)
                .headers(headers -> FORWARDED.forEach(name -> {
                    String value = request.getHeaders().getFirst(name);
                    if (value != null) {
                        headers.set(name, value);
                    }
                }))
                .body((outputMessage, context) -> outputMessage.writeWith(request.getBody()))
                .exchangeToMono(upstream -> {
                    response.setStatusCode(upstream.statusCode());
                    upstream.headers().asHttpHeaders().forEach((name, values) -> {
                        if (!name.equalsIgnoreCase(HttpHeaders.TRANSFER_ENCODING) && !name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH)) {
                            response.getHeaders().put(name, values);
                        }
                    });
                    Flux<DataBuffer> body = upstream.bodyToFlux(DataBuffer.class);
                    return response.writeAndFlushWith(body.map(Flux::just));
                })
                .onErrorResume(e -> envelopes.write(response, ApiError.SERVICE_UNAVAILABLE, "The sync service is not reachable",
                        Map.of()));
    }
}
