package io.restorepoint.gateway.control;

import io.restorepoint.schemas.kafka.Json;

/** JSON text of contract values, for the control tables. */
public final class Jsons {

    private Jsons() {
    }

    public static String write(Object value) {
        return value == null ? null : Json.MAPPER.writeValueAsString(value);
    }
}
