package io.restorepoint.web.envelope;

import java.util.Map;

/**
 * Every response body: {@code {success, result, data}}. On success {@code result} holds the call's
 * answer (ids) and {@code data} the resources they name; on error {@code result} is
 * {@code {code, message, info}} and {@code data} is always {@code {}}.
 */
public record Envelope(boolean success, Object result, Object data) {

    public static Envelope ok(Object result, Object data) {
        return new Envelope(true, result, data == null ? Map.of() : data);
    }

    public static Envelope ok(Object result) {
        return ok(result, Map.of());
    }

    public static Envelope error(int code, String message, Map<String, Object> info) {
        return new Envelope(false, new ErrorResult(code, message, info == null ? Map.of() : info), Map.of());
    }

    /** The {@code result} of an error. */
    public record ErrorResult(int code, String message, Map<String, Object> info) {
    }
}
