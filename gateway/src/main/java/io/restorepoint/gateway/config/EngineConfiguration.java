package io.restorepoint.gateway.config;

import io.restorepoint.engine.connect.DatabaseEndpoint;
import io.restorepoint.engine.artifact.ArtifactStore;
import io.restorepoint.engine.export.Exporter;
import io.restorepoint.engine.imports.ImportStager;
import io.restorepoint.engine.stats.DatabaseStats;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The engine parts the gateway uses directly: synchronous reads of a project's database. The artifact
 * store comes from the artifact-store module ({@code restorepoint.store.*}).
 */
@Configuration
public class EngineConfiguration {

    @Bean
    DatabaseEndpoint managedServer(GatewayProperties properties) {
        return properties.managedDatabase().endpoint();
    }

    @Bean
    Exporter exporter(DatabaseEndpoint managedServer) {
        return new Exporter(managedServer.connectionFactory(null));
    }

    @Bean
    DatabaseStats databaseStats(DatabaseEndpoint managedServer) {
        return new DatabaseStats(managedServer.connectionFactory(null));
    }

    @Bean
    ImportStager importStager(DatabaseEndpoint managedServer, ArtifactStore store) {
        return new ImportStager(managedServer.connectionFactory(null), store);
    }
}
