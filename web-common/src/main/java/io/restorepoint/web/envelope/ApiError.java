package io.restorepoint.web.envelope;

import org.springframework.http.HttpStatus;

/**
 * The error codes of the API. Codes below 1000 are HTTP statuses; application codes 1000+ travel on
 * HTTP 422. Clients branch on {@code code}; {@code message} is for people and may vary.
 */
public enum ApiError {
    BAD_REQUEST(400, "Bad request", HttpStatus.BAD_REQUEST),
    PERMISSION_DENIED(401, "Permission denied", HttpStatus.UNAUTHORIZED),
    FORBIDDEN(403, "Forbidden", HttpStatus.FORBIDDEN),
    NOT_FOUND(404, "Not found", HttpStatus.NOT_FOUND),
    METHOD_NOT_ALLOWED(405, "Method not allowed", HttpStatus.METHOD_NOT_ALLOWED),
    GONE(410, "Gone", HttpStatus.GONE),
    PAYLOAD_TOO_LARGE(413, "Payload too large", HttpStatus.CONTENT_TOO_LARGE),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type", HttpStatus.UNSUPPORTED_MEDIA_TYPE),
    UNPROCESSABLE_ENTITY(422, "Unprocessable Entity", HttpStatus.UNPROCESSABLE_CONTENT),
    TOO_MANY_REQUESTS(429, "Too many requests", HttpStatus.TOO_MANY_REQUESTS),
    INTERNAL_SERVER_ERROR(500, "Internal server error", HttpStatus.INTERNAL_SERVER_ERROR),
    SERVICE_UNAVAILABLE(503, "Service unavailable", HttpStatus.SERVICE_UNAVAILABLE),
    UNEXPECTED(1000, "Unexpected error", HttpStatus.UNPROCESSABLE_CONTENT),
    VALIDATION(1001, "Validation error", HttpStatus.UNPROCESSABLE_CONTENT),
    PROCESS(1003, "Process error", HttpStatus.UNPROCESSABLE_CONTENT);

    private final int code;
    private final String message;
    private final HttpStatus status;

    ApiError(int code, String message, HttpStatus status) {
        this.code = code;
        this.message = message;
        this.status = status;
    }

    public int code() {
        return code;
    }

    public String message() {
        return message;
    }

    public HttpStatus status() {
        return status;
    }

    public static ApiError forStatus(int status) {
        for (ApiError error : values()) {
            if (error.code == status) {
                return error;
            }
        }
        return status >= 500 ? INTERNAL_SERVER_ERROR : BAD_REQUEST;
    }
}
