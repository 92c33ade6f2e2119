package io.restorepoint.schemas.kafka;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * CloudEvents 1.0 Kafka protocol binding, binary mode: the payload stays the plain JSON record and
 * the event attributes travel as {@code ce_*} headers, so a CloudEvents SDK and a plain consumer
 * both read the same records.
 */
public final class CloudEventHeaders {

    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String TYPE = "ce_type";
    public static final String SOURCE = "ce_source";
    public static final String SUBJECT = "ce_subject";
    public static final String TIME = "ce_time";
    public static final String DATA_SCHEMA = "ce_dataschema";
    public static final String CONTENT_TYPE = "content-type";
    /** CloudEvents distributed-tracing extension: the W3C {@code traceparent} of the work the event belongs to. */
    public static final String TRACEPARENT = "ce_traceparent";

    private CloudEventHeaders() {
    }

    /**
     * @param id       unique event id
     * @param type     versioned event type, e.g. {@code io.restorepoint.job.v1}
     * @param source   the producing service, e.g. {@code /restorepoint/backup-worker}
     * @param subject  the job token
     * @param time     when it happened
     */
    public static List<Header> of(String id, String type, String source, String subject, Instant time) {
        List<Header> headers = new ArrayList<>(8);
        headers.add(header(SPEC_VERSION, "1.0"));
        headers.add(header(ID, id));
        headers.add(header(TYPE, type));
        headers.add(header(SOURCE, source));
        headers.add(header(SUBJECT, subject));
        headers.add(header(TIME, time.toString()));
        headers.add(header(DATA_SCHEMA, dataSchemaOf(type)));
        headers.add(header(CONTENT_TYPE, "application/json"));
        return headers;
    }

    /** The same headers with the trace context of the work the event belongs to (none when null). */
    public static List<Header> of(String id, String type, String source, String subject, Instant time, TraceContext trace) {
        List<Header> headers = of(id, type, source, subject, time);
        if (trace != null) {
            headers.add(header(TRACEPARENT, trace.traceparent()));
        }
        return headers;
    }

    /** The trace context a record carries, or null. */
    public static TraceContext trace(Headers headers) {
        return TraceContext.parse(read(headers, TRACEPARENT));
    }

    /**
     * The JSON Schema of a type: its path in the {@code schemas} jar and repository
     * ({@code schemas/src/main/resources/schemas/<type>.json}).
     */
    public static String dataSchemaOf(String type) {
        return "/schemas/" + type + ".json";
    }

    public static String read(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
