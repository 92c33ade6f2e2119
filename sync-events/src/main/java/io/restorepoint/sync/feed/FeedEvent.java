package io.restorepoint.sync.feed;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * One event of a feed as clients receive it, kept as its JSON text:
 * {@code {type, cursor, action, data_type, data_key, data}}.
 *
 * @param stream   {@code cc} or {@code project}
 * @param cursor   position in its stream
 * @param project  the project it concerns (for filtering; not part of the JSON envelope itself)
 * @param dataType the event's {@code data_type}
 * @param dataKey  the event's {@code data_key}
 * @param json     the event's JSON
 */
public record FeedEvent(String stream, long cursor, String project, String dataType, String dataKey, String json) {

    @JsonValue
    @JsonRawValue
    public String json() {
        return json;
    }
}
