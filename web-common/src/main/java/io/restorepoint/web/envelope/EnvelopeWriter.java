package io.restorepoint.web.envelope;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import java.util.Map;

/** Writes an envelope straight to a response, for places outside controllers (security, error handler). */
public final class EnvelopeWriter {

    private final JsonMapper json;

    public EnvelopeWriter(JsonMapper json) {
        this.json = json;
    }

    public Mono<Void> write(ServerHttpResponse response, HttpStatusCode status, Envelope envelope) {
        if (response.isCommitted()) {
            return Mono.empty();
        }
        response.setStatusCode(status);
        HttpHeaders headers = response.getHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        headers.setCacheControl("no-store");
        byte[] bytes = json.writeValueAsBytes(envelope);
        DataBuffer buffer = response.bufferFactory().wrap(bytes);
        return response.writeWith(Mono.just(buffer));
    }

    public Mono<Void> write(ServerHttpResponse response, ApiError error, String message, Map<String, Object> info) {
        return write(response, error.status(), Envelope.error(error.code(), message == null ? error.message() : message, info));
    }
}
