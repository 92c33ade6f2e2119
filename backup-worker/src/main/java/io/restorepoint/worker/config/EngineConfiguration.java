package io.restorepoint.worker.config;

import io.restorepoint.engine.artifact.ArtifactStore;
import io.restorepoint.engine.connect.DatabaseEndpoint;
import io.restorepoint.engine.connect.DatabaseServers;
import io.restorepoint.engine.dump.DumpOptions;
import io.restorepoint.engine.dump.Dumper;
import io.restorepoint.engine.imports.Importer;
import io.restorepoint.engine.load.LoadOptions;
import io.restorepoint.engine.load.Loader;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The engine as the worker uses it: the default server of the database-servers module
 * ({@code restorepoint.servers.*}), and the artifact store of the artifact-store module ({@code restorepoint.store.*}).
 */
@Configuration
public class EngineConfiguration {

    /** The default server's endpoint (its health indicator). */
    @Bean
    DatabaseEndpoint managedServer(DatabaseServers servers) {
        return servers.endpoint(DatabaseServers.DEFAULT);
    }

    @Bean
    Loader loader(DatabaseServers servers, ArtifactStore store, WorkerProperties properties) {
        int connections = properties.dump().connections() > 0 ? properties.dump().connections()
                : Runtime.getRuntime().availableProcessors();
        return new Loader(servers.connectionFactory(DatabaseServers.DEFAULT), store, new LoadOptions(connections, properties.restoreDefiners(),
                properties.restoreDeferIndexesFromRows()));
    }

    @Bean
    Importer importer(DatabaseServers servers, ArtifactStore store) {
        return new Importer(servers.connectionFactory(DatabaseServers.DEFAULT), store);
    }

    @Bean
    Dumper dumper(DatabaseServers servers, ArtifactStore store, WorkerProperties properties) {
        WorkerProperties.Dump dump = properties.dump();
        DumpOptions defaults = DumpOptions.defaults();
        DumpOptions options = new DumpOptions(defaults.rowsPerStatement(), defaults.bytesPerStatement(),
                defaults.rowsPerChunk(),
                dump.connections() > 0 ? dump.connections() : Runtime.getRuntime().availableProcessors(),
                dump.chunkRows(), dump.longQueryGuard(), dump.lockWaitTimeout(), dump.skipUnreadableObjects(), dump.consistency(),
                new DumpOptions.Throttle(dump.maxRowsPerSecond(), dump.threadsRunningLimit()));
        return new Dumper(servers.connectionFactory(DatabaseServers.DEFAULT), store, options);
    }
}
