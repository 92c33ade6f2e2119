package io.restorepoint.servers;

import io.restorepoint.engine.connect.DatabaseServers;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/** The one {@link DatabaseServers} registry of a service, from {@link ServersProperties}. */
@AutoConfiguration
@EnableConfigurationProperties(ServersProperties.class)
public class DatabaseServersAutoConfiguration {

    /** A missing {@code default} server, a bad name or an unresolvable password stops the start-up, naming the server. */
    @Bean
    @ConditionalOnMissingBean
    DatabaseServers databaseServers(ServersProperties properties) {
        return new DatabaseServers(properties.servers());
    }
}
