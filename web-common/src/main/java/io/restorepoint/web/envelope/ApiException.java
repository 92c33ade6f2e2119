package io.restorepoint.web.envelope;

import java.util.Map;

/** An error answered in the envelope: the code decides the HTTP status, the message is for people. */
public class ApiException extends RuntimeException {

    private final ApiError error;
    private final Map<String, Object> info;

    public ApiException(ApiError error, String message, Map<String, Object> info) {
        super(message == null ? error.message() : message);
        this.error = error;
        this.info = info == null ? Map.of() : Map.copyOf(info);
    }

    public ApiException(ApiError error, String message) {
        this(error, message, Map.of());
    }

    public ApiError error() {
        return error;
    }

    public Map<String, Object> info() {
        return info;
    }

    public static ApiException unprocessable(String message, Map<String, Object> info) {
        return new ApiException(ApiError.UNPROCESSABLE_ENTITY, message, info);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(ApiError.FORBIDDEN, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(ApiError.NOT_FOUND, message);
    }
}
