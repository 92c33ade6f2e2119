package io.restorepoint.web.envelope;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

import java.util.Map;

/**
 * Turns every error into the envelope: API errors as they are, framework errors (unknown path, wrong
 * method, bad JSON, body too large, wrong content type) by their status, and anything unexpected into
 * a 500 whose body says nothing about the cause (the cause goes to the log, with a reference).
 */
public final class EnvelopeErrorHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(EnvelopeErrorHandler.class);

    private final EnvelopeWriter writer;

    public EnvelopeErrorHandler(EnvelopeWriter writer) {
        this.writer = writer;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        if (reactor.netty.channel.AbortedException.isConnectionReset(ex) || ex instanceof reactor.netty.channel.AbortedException) {
            // the client went away (an SSE client reconnecting, a closed tab): nothing to answer, nothing wrong
            log.debug("client disconnected from {} {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath());
            return Mono.empty();
        }
        if (ex instanceof ApiException api) {
            return writer.write(exchange.getResponse(), api.error(), api.getMessage(), api.info());
        }
        if (isTooLarge(ex)) {
            return writer.write(exchange.getResponse(), ApiError.PAYLOAD_TOO_LARGE, "The request body is too large", Map.of());
        }
        if (ex instanceof UnsupportedMediaTypeStatusException) {
            return writer.write(exchange.getResponse(), ApiError.UNSUPPORTED_MEDIA_TYPE,
                    "Send the body as application/json", Map.of());
        }
        if (ex instanceof MethodNotAllowedException) {
            return writer.write(exchange.getResponse(), ApiError.METHOD_NOT_ALLOWED,
                    "Method " + exchange.getRequest().getMethod() + " is not allowed here", Map.of());
        }
        if (ex instanceof ServerWebInputException input) {
            return writer.write(exchange.getResponse(), ApiError.BAD_REQUEST, inputMessage(input), Map.of());
        }
        if (ex instanceof ResponseStatusException status) {
            ApiError error = ApiError.forStatus(status.getStatusCode().value());
            if (error == ApiError.INTERNAL_SERVER_ERROR) {
                return internal(exchange, ex);
            }
            return writer.write(exchange.getResponse(), error, error.message(), Map.of());
        }
        return internal(exchange, ex);
    }

    private Mono<Void> internal(ServerWebExchange exchange, Throwable ex) {
        String reference = exchange.getRequest().getId();
        log.error("unexpected error on {} {} (reference {})", exchange.getRequest().getMethod(),
                exchange.getRequest().getPath(), reference, ex);
        return writer.write(exchange.getResponse(), ApiError.INTERNAL_SERVER_ERROR, "Internal server error",
                Map.of("reference", reference));
    }

    private static boolean isTooLarge(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof DataBufferLimitException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return ex instanceof ResponseStatusException rse && rse.getStatusCode().value() == 413;
    }

    private static String inputMessage(ServerWebInputException ex) {
        Throwable cause = ex.getCause();
        if (cause instanceof DecodingException) {
            return "The request body is not valid JSON for this call";
        }
        String reason = ex.getReason();
        return reason == null ? "Bad request" : reason;
    }
}
