package io.restorepoint.sync.socketio;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProtocolFixesTest {

    @Test
    void aConnectWithoutAuthGetsAnEmptyAuthPayload() {
        assertThat(ProtocolFixes.withAuthPayloads("40")).isEqualTo("40{}");
        assertThat(ProtocolFixes.withAuthPayloads("40/admin,")).isEqualTo("40/admin,{}");
        assertThat(ProtocolFixes.withAuthPayloads("40/admin")).isEqualTo("40/admin,{}");
        assertThat(ProtocolFixes.withAuthPayloads("3\u001e40")).isEqualTo("3\u001e40{}");
    }

    @Test
    void everythingElseIsLeftAlone() {
        assertThat(ProtocolFixes.withAuthPayloads("40{\"JWT\":\"a.b.c\"}")).isEqualTo("40{\"JWT\":\"a.b.c\"}");
        assertThat(ProtocolFixes.withAuthPayloads("42[\"authorization\",{\"JWT\":\"x\"}]")).isEqualTo("42[\"authorization\",{\"JWT\":\"x\"}]");
        assertThat(ProtocolFixes.withAuthPayloads("41")).isEqualTo("41");
        assertThat(ProtocolFixes.withAuthPayloads("3")).isEqualTo("3");
    }

    @Test
    void anEngineIoCloseIsRecognisedInAPollingPayload() {
        assertThat(ProtocolFixes.closes("1")).isTrue();
        assertThat(ProtocolFixes.closes("3\u001e1")).isTrue();
        assertThat(ProtocolFixes.closes("41")).isFalse();
        assertThat(ProtocolFixes.closes("10")).isFalse();
    }
}
