package io.restorepoint.gateway.tracing;

import io.restorepoint.schemas.kafka.TraceContext;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Starts the trace of every request: continues the caller's W3C {@code traceparent} when it sends a valid
 * one, starts a new trace otherwise. The trace id is answered in {@code traceparent} (so a client can quote
 * it) and put in the Reactor context, from where the contract publisher copies it onto every command and
 * job event the request produces ({@code ce_traceparent}); workers log under it and the feed's job events
 * carry it as {@code trace_id}.
 */
@Component
public class TraceFilter implements WebFilter, Ordered {

    public static final String HEADER = "traceparent";

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        TraceContext incoming = TraceContext.parse(exchange.getRequest().getHeaders().getFirst(HEADER));
        TraceContext trace = incoming == null ? TraceContext.newRoot() : incoming.child();
        exchange.getResponse().getHeaders().set(HEADER, trace.traceparent());
        exchange.getAttributes().put(TraceContext.class.getName(), trace);
        return chain.filter(exchange).contextWrite(context -> context.put(TraceContext.class, trace));
    }
}
