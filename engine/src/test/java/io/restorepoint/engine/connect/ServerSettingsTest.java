package io.restorepoint.engine.connect;

import io.asyncer.r2dbc.mysql.constant.SslMode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerSettingsTest {

    @Test
    void unsetValuesTakeTheDefaults() {
        ServerSettings settings = new ServerSettings(null, 0, " ", null, "", null);
        DatabaseEndpoint endpoint = settings.endpoint();
        assertThat(endpoint.host()).isEqualTo("127.0.0.1");
        assertThat(endpoint.port()).isEqualTo(3306);
        assertThat(endpoint.user()).isEqualTo("root");
        assertThat(endpoint.tls()).isEqualTo(DatabaseEndpoint.Tls.PREFERRED);
    }

    @Test
    void thePasswordIsNeverShown() {
        ServerSettings settings = new ServerSettings("db.internal", 3307, "backup", "s3cret", "required", null);
        assertThat(settings.toString()).isEqualTo("ServerSettings[backup@db.internal:3307, tls required]");
        assertThat(settings.endpoint().toString()).doesNotContain("s3cret");
        assertThat(settings.endpoint().tls().mode()).isEqualTo(SslMode.REQUIRED);
    }

    @Test
    void anUnknownTlsModeIsRefusedWhenTheEndpointIsMade() {
        assertThatThrownBy(() -> new ServerSettings("h", 1, "u", null, "verify", null).endpoint())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown TLS mode 'verify'");
    }
}
