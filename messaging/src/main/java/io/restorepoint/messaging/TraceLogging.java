package io.restorepoint.messaging;

import io.restorepoint.schemas.kafka.TraceContext;
import org.slf4j.MDC;

/**
 * The trace of the work a thread does, in the logging MDC ({@code trace.id}, {@code span.id}: the ECS
 * field names, so structured JSON logs carry them).
 */
public final class TraceLogging {

    public static final String TRACE_ID = "trace.id";
    public static final String SPAN_ID = "span.id";
    private static final String FLAGS = "trace.flags";

    private TraceLogging() {
    }

    /** Puts {@code trace} in the MDC until the returned scope is closed (no-op for null). */
    public static Scope open(TraceContext trace) {
        if (trace == null) {
            return () -> { };
        }
        MDC.put(TRACE_ID, trace.traceId());
        MDC.put(SPAN_ID, trace.spanId());
        MDC.put(FLAGS, trace.flags());
        return () -> {
            MDC.remove(TRACE_ID);
            MDC.remove(SPAN_ID);
            MDC.remove(FLAGS);
        };
    }

    /** The trace of this thread's current work, or null. */
    public static TraceContext current() {
        String trace = MDC.get(TRACE_ID);
        String span = MDC.get(SPAN_ID);
        String flags = MDC.get(FLAGS);
        return trace == null || span == null ? null : new TraceContext(trace, span, flags == null ? "01" : flags);
    }

    /** A scope of {@link #open}. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
