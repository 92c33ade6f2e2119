package io.restorepoint.gateway.requests;

import io.restorepoint.web.envelope.ApiError;
import io.restorepoint.web.envelope.ApiException;
import tools.jackson.databind.JsonNode;

import java.util.Map;

/**
 * Reads call parameters from a JSON body with errors a person understands: a missing required
 * parameter is a 400, a parameter of the wrong type or with a bad value a 422 naming it.
 */
public final class Arguments {

    public static final int MAX_TEXT = 200;

    private final JsonNode body;

    public Arguments(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new ApiException(ApiError.BAD_REQUEST, "The request body must be a JSON object");
        }
        this.body = body;
    }

    public String requiredText(String name) {
        JsonNode value = body.get(name);
        if (value == null || value.isNull()) {
            throw new ApiException(ApiError.BAD_REQUEST, "Missing required parameter: " + name, Map.of("parameter", name));
        }
        return text(name, value);
    }

    public String optionalText(String name) {
        JsonNode value = body.get(name);
        return value == null || value.isNull() ? null : text(name, value);
    }

    public boolean has(String name) {
        JsonNode value = body.get(name);
        return value != null && !value.isNull();
    }

    /** A required array of whole numbers; 422 when it is not one. */
    public java.util.List<Integer> intList(String name) {
        JsonNode value = body.get(name);
        if (value == null || !value.isArray()) {
            throw invalid(name, name + " must be an array of whole numbers");
        }
        if (value.size() > 1000) {
            throw invalid(name, name + " may hold at most 1000 versions");
        }
        java.util.List<Integer> out = new java.util.ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isIntegralNumber() || !item.canConvertToInt()) {
                throw invalid(name, name + " must be an array of whole numbers");
            }
            out.add(item.asInt());
        }
        return out;
    }

    /** A required whole number (a version); 400 when missing, 422 when not a whole number. */
    public int requiredInt(String name) {
        JsonNode value = body.get(name);
        if (value == null || value.isNull()) {
            throw new ApiException(ApiError.BAD_REQUEST, "Missing required parameter: " + name, Map.of("parameter", name));
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw invalid(name, name + " must be a whole number");
        }
        return value.asInt();
    }

    /** An optional whole number within [min, max]; 422 otherwise. */
    public Integer optionalInt(String name, int min, int max) {
        JsonNode value = body.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < min || value.asInt() > max) {
            throw invalid(name, name + " must be a whole number from " + min + " to " + max);
        }
        return value.asInt();
    }

    /** An optional true/false; 422 otherwise. */
    public Boolean optionalBoolean(String name) {
        JsonNode value = body.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw invalid(name, name + " must be true or false");
        }
        return value.asBoolean();
    }

    private static String text(String name, JsonNode value) {
        if (!value.isString()) {
            throw invalid(name, name + " must be a string");
        }
        String text = value.asString().strip();
        if (text.isEmpty()) {
            throw invalid(name, name + " must not be empty");
        }
        if (text.length() > MAX_TEXT) {
            throw invalid(name, name + " must be at most " + MAX_TEXT + " characters");
        }
        if (text.chars().anyMatch(c -> c < 0x20)) {
            throw invalid(name, name + " must not contain control characters");
        }
        return text;
    }

    public static ApiException invalid(String parameter, String message) {
        return ApiException.unprocessable(message, Map.of("parameter", parameter));
    }
}
