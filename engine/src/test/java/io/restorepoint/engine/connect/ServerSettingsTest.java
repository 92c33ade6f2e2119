package io.restorepoint.engine.connect;

import io.asyncer.r2dbc.mysql.constant.SslMode;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerSettingsTest {

    @Test
    void unsetValuesTakeTheDefaults() {
        ServerSettings settings = new ServerSettings(null, 0, " ", null, " ", "", "", null, 0);
        DatabaseEndpoint endpoint = settings.endpoint();
        assertThat(endpoint.host()).isEqualTo("127.0.0.1");
        assertThat(endpoint.port()).isEqualTo(3306);
        assertThat(endpoint.user()).isEqualTo("root");
        assertThat(endpoint.tls()).isEqualTo(DatabaseEndpoint.Tls.PREFERRED);
        assertThat(settings.passwordSource()).isEqualTo("none");
    }

    @Test
    void thePasswordIsNeverShown() {
        ServerSettings settings = ServerSettings.of("db.internal", 3307, "backup", "s3cret", "required", null);
        assertThat(settings.toString()).isEqualTo("ServerSettings[backup@db.internal:3307, tls required, password set]");
        assertThat(settings.endpoint().toString()).doesNotContain("s3cret");
        assertThat(settings.endpoint().tls().mode()).isEqualTo(SslMode.REQUIRED);
    }

    @Test
    void aPasswordByEnvironmentVariable() {
        ServerSettings settings = new ServerSettings("h", 1, "u", null, "RP_REPORTS_PASSWORD", null, null, null, 2);
        assertThat(settings.endpoint(Map.of("RP_REPORTS_PASSWORD", "pw")::get).password()).isEqualTo("pw");
        assertThat(settings.toString()).contains("password env RP_REPORTS_PASSWORD").contains("at most 2 connections");
        assertThatThrownBy(() -> settings.endpoint(Map.<String, String>of()::get)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("password-env names RP_REPORTS_PASSWORD, which is not set");
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> new ServerSettings("h", 1, "u", null, null, null, "verify", null, 0).endpoint())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown TLS mode 'verify'");
        assertThatThrownBy(() -> new ServerSettings("h", 1, "u", "pw", "RP_X", null, null, null, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one of password, password-env and password-file");
        assertThatThrownBy(() -> new ServerSettings("h", 70000, "u", null, null, null, null, null, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port");
        assertThatThrownBy(() -> new ServerSettings("h", 1, "u", null, null, null, null, null, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max-connections");
    }
}
