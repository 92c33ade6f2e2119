package io.restorepoint.gateway.config;

import io.restorepoint.engine.artifact.ArtifactStore;
import io.restorepoint.engine.connect.DatabaseServers;
import io.restorepoint.engine.export.Exporter;
import io.restorepoint.engine.imports.ImportStager;
import io.restorepoint.engine.stats.DatabaseStats;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The engine parts the gateway uses directly: synchronous reads of a project's database, on the default
 * server of the database-servers module ({@code restorepoint.servers.*}). The artifact store comes from the
 * artifact-store module ({@code restorepoint.store.*}).
 */
@Configuration
public class EngineConfiguration {

    @Bean
    Exporter exporter(DatabaseServers servers) {
        return new Exporter(servers.connectionFactory(DatabaseServers.DEFAULT));
    }

    @Bean
    DatabaseStats databaseStats(DatabaseServers servers) {
        return new DatabaseStats(servers.connectionFactory(DatabaseServers.DEFAULT));
    }

    @Bean
    ImportStager importStager(DatabaseServers servers, ArtifactStore store) {
        return new ImportStager(servers.connectionFactory(DatabaseServers.DEFAULT), store);
    }
}
