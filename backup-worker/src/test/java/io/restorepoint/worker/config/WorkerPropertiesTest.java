package io.restorepoint.worker.config;

import io.asyncer.r2dbc.mysql.constant.SslMode;
import io.restorepoint.engine.connect.DatabaseEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkerPropertiesTest {

    static WorkerProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("restorepoint.worker", WorkerProperties.class);
    }

    @Test
    void theManagedServerIsReachedWithTheDefaultTlsUnlessConfigured() {
        DatabaseEndpoint endpoint = bind(Map.of("restorepoint.worker.database.host", "db.internal")).database().endpoint();
        assertThat(endpoint.host()).isEqualTo("db.internal");
        assertThat(endpoint.tls()).isEqualTo(DatabaseEndpoint.Tls.PREFERRED);
    }

    @Test
    void verifiedTlsWithACaFile(@TempDir Path dir) throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        WorkerProperties properties = bind(Map.of("restorepoint.worker.database.ssl-mode", "verify-identity",
                "restorepoint.worker.database.ssl-ca", ca.toString(), "restorepoint.worker.database.password", "s3cret"));
        DatabaseEndpoint endpoint = properties.database().endpoint();
        assertThat(endpoint.tls().mode()).isEqualTo(SslMode.VERIFY_IDENTITY);
        assertThat(endpoint.tls().ca()).isEqualTo(ca);
        assertThat(properties.database().toString()).doesNotContain("s3cret").contains("tls verify-identity");
    }

    @Test
    void aMistypedModeStopsTheStartUpNamingTheChoices() {
        WorkerProperties properties = bind(Map.of("restorepoint.worker.database.ssl-mode", "verify"));
        assertThatThrownBy(() -> properties.database().endpoint()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown TLS mode 'verify'; one of disabled, preferred, required, verify-ca, verify-identity");
    }
}
