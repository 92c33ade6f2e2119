package io.restorepoint.schemas.kafka;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A W3C Trace Context ({@code traceparent}: {@code 00-<trace id>-<span id>-<flags>}). The gateway takes
 * it from the HTTP request (or starts one), and it travels with every command and job event as the
 * CloudEvents distributed-tracing extension header {@code ce_traceparent}, so one trace id links the
 * request, the worker's log lines and the feed events of the job.
 *
 * @param traceId 32 lowercase hex digits, not all zero
 * @param spanId  16 lowercase hex digits, not all zero
 * @param flags   2 hex digits ({@code 01}: sampled)
 */
public record TraceContext(String traceId, String spanId, String flags) {

    private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new trace. */
    public static TraceContext newRoot() {
        return new TraceContext(hex(16), hex(8), "01");
    }

    /** The context of a {@code traceparent} value, or null when it is absent or malformed (then a new trace starts). */
    public static TraceContext parse(String traceparent) {
        if (traceparent == null) {
            return null;
        }
        var m = TRACEPARENT.matcher(traceparent.trim());
        if (!m.matches() || m.group(1).equals("0".repeat(32)) || m.group(2).equals("0".repeat(16))) {
            return null;
        }
        return new TraceContext(m.group(1), m.group(2), m.group(3));
    }

    /** The same trace, a new span (what a service passes on for the work it does). */
    public TraceContext child() {
        return new TraceContext(traceId, hex(8), flags);
    }

    public String traceparent() {
        return "00-" + traceId + "-" + spanId + "-" + flags;
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        do {
            RANDOM.nextBytes(b);
        } while (allZero(b));
        return HexFormat.of().formatHex(b);
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}
