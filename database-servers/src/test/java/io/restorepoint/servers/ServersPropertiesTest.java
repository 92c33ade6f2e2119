package io.restorepoint.servers;

import io.asyncer.r2dbc.mysql.constant.SslMode;
import io.restorepoint.engine.connect.DatabaseEndpoint;
import io.restorepoint.engine.connect.DatabaseServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code restorepoint.servers.*} as the gateway and the worker bind it (these were the worker's own tests of its server). */
class ServersPropertiesTest {

    static DatabaseServers bind(Map<String, String> values) {
        return new DatabaseServers(new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("restorepoint", ServersProperties.class).servers());
    }

    @Test
    void theManagedServerIsReachedWithTheDefaultTlsUnlessConfigured() {
        DatabaseEndpoint endpoint = bind(Map.of("restorepoint.servers.default.host", "db.internal")).endpoint(DatabaseServers.DEFAULT);
        assertThat(endpoint.host()).isEqualTo("db.internal");
        assertThat(endpoint.port()).isEqualTo(3306);
        assertThat(endpoint.tls()).isEqualTo(DatabaseEndpoint.Tls.PREFERRED);
    }

    @Test
    void verifiedTlsWithACaFile(@TempDir Path dir) throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        DatabaseServers servers = bind(Map.of("restorepoint.servers.default.ssl-mode", "verify-identity",
                "restorepoint.servers.default.ssl-ca", ca.toString(), "restorepoint.servers.default.password", "s3cret"));
        DatabaseEndpoint endpoint = servers.endpoint(DatabaseServers.DEFAULT);
        assertThat(endpoint.tls().mode()).isEqualTo(SslMode.VERIFY_IDENTITY);
        assertThat(endpoint.tls().ca()).isEqualTo(ca);
        assertThat(endpoint.password()).isEqualTo("s3cret");
        assertThat(servers.settings(DatabaseServers.DEFAULT).orElseThrow().toString()).doesNotContain("s3cret").contains("tls verify-identity");
        assertThat(servers.toString()).doesNotContain("s3cret");
    }

    @Test
    void aMistypedModeStopsTheStartUpNamingTheChoices() {
        assertThatThrownBy(() -> bind(Map.of("restorepoint.servers.default.ssl-mode", "verify"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("server 'default': unknown TLS mode 'verify'; one of disabled, preferred, required, verify-ca, verify-identity");
    }

    @Test
    void moreServersWithPasswordsByReference(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("reports.pw"), "from-a-file\n");
        DatabaseServers servers = bind(Map.of("restorepoint.servers.default.host", "a",
                "restorepoint.servers.reports.host", "reports.internal", "restorepoint.servers.reports.port", "3307",
                "restorepoint.servers.reports.password-file", secret.toString(), "restorepoint.servers.reports.max-connections", "4"));
        assertThat(servers.names()).containsExactly("default", "reports");
        assertThat(servers.endpoint("reports").password()).isEqualTo("from-a-file");
        assertThat(servers.endpoint("reports").port()).isEqualTo(3307);
        assertThat(servers.settings("reports").orElseThrow().toString()).doesNotContain("from-a-file")
                .contains("password file " + secret).contains("at most 4 connections");
        assertThatThrownBy(() -> servers.endpoint("nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'nope'").hasMessageContaining("[default, reports]");
    }

    @Test
    void theServicesStartOnlyWithAWellFormedDefaultServer() {
        ApplicationContextRunner runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DatabaseServersAutoConfiguration.class));
        runner.withPropertyValues("restorepoint.servers.default.host=db1", "restorepoint.servers.second.host=db2")
                .run(ctx -> assertThat(ctx.getBean(DatabaseServers.class).names()).containsExactly("default", "second"));
        runner.withPropertyValues("restorepoint.servers.other.host=db2")
                .run(ctx -> assertThat(ctx).getFailure().rootCause().hasMessageContaining("no server named 'default'"));
        runner.withPropertyValues("restorepoint.servers.default.password-env=RP_TEST_SURELY_UNSET_VARIABLE")
                .run(ctx -> assertThat(ctx).getFailure().rootCause().hasMessageContaining("RP_TEST_SURELY_UNSET_VARIABLE")
                        .hasMessageContaining("not set"));
    }
}
