package io.restorepoint.schemas.kafka;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class TraceContextTest {

    @Test
    void parsesAValidTraceparentAndContinuesItWithANewSpan() {
        TraceContext parsed = TraceContext.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        assertThat(parsed).isEqualTo(new TraceContext("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", "01"));
        TraceContext child = parsed.child();
        assertThat(child.traceId()).isEqualTo(parsed.traceId());
        assertThat(child.spanId()).isNotEqualTo(parsed.spanId()).matches("[0-9a-f]{16}");
        assertThat(child.traceparent()).matches("00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01");
    }

    @Test
    void malformedOrAllZeroValuesAreIgnored() {
        for (String bad : new String[] {null, "", "garbage", "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                "00-00000000000000000000000000000000-00f067aa0ba902b7-01", "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
                "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"}) {
            assertThat(TraceContext.parse(bad)).as(String.valueOf(bad)).isNull();
        }
    }

    @Test
    void newTracesAreRandomAndTravelAsTheCloudEventsTracingHeader() {
        TraceContext a = TraceContext.newRoot();
        assertThat(a.traceId()).matches("[0-9a-f]{32}").isNotEqualTo(TraceContext.newRoot().traceId());
        RecordHeaders headers = new RecordHeaders(CloudEventHeaders.of("id", "t", "/s", "sub", Instant.now(), a));
        assertThat(CloudEventHeaders.read(headers, "ce_traceparent")).isEqualTo(a.traceparent());
        assertThat(CloudEventHeaders.trace(headers)).isEqualTo(a);
        assertThat(CloudEventHeaders.trace(new RecordHeaders(CloudEventHeaders.of("id", "t", "/s", "sub", Instant.now())))).isNull();
    }
}
