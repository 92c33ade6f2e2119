package io.restorepoint.servers;

import io.restorepoint.engine.connect.ServerSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.Map;

/**
 * The database servers of {@code restorepoint.servers.<name>.*}, each a {@link ServerSettings} (host, port,
 * user, password / password-env / password-file, ssl-mode, ssl-ca, max-connections). {@code default} is
 * bound from {@code RP_MANAGED_DB_*} by {@code restorepoint-servers.yml}, which the services import.
 */
@ConfigurationProperties("restorepoint")
public record ServersProperties(Map<String, ServerSettings> servers) {
}
