package io.restorepoint.worker.config;

import io.restorepoint.engine.artifact.ArtifactStore;
import io.restorepoint.engine.connect.DatabaseEndpoint;
import io.restorepoint.engine.dump.DumpOptions;
import io.restorepoint.engine.dump.Dumper;
import io.restorepoint.engine.imports.Importer;
import io.restorepoint.engine.load.LoadOptions;
import io.restorepoint.engine.load.Loader;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The engine as the worker uses it: one managed server, and the artifact store of the artifact-store
 * module ({@code restorepoint.store.*}).
 */
@Configuration
public class EngineConfiguration {

    @Bean
    DatabaseEndpoint managedServer(WorkerProperties properties) {
        return properties.database().endpoint();
    }

    @Bean
    Loader loader(DatabaseEndpoint managedServer, ArtifactStore store, WorkerProperties properties) {
        int connections = properties.dump().connections() > 0 ? properties.dump().connections()
                : Runtime.getRuntime().availableProcessors();
        return new Loader(managedServer.connectionFactory(null), store, new LoadOptions(connections, properties.restoreDefiners(),
                properties.restoreDeferIndexesFromRows()));
    }

    @Bean
    Importer importer(DatabaseEndpoint managedServer, ArtifactStore store) {
        return new Importer(managedServer.connectionFactory(null), store);
    }

    @Bean
    Dumper dumper(DatabaseEndpoint managedServer, ArtifactStore store, WorkerProperties properties) {
        WorkerProperties.Dump dump = properties.dump();
        DumpOptions defaults = DumpOptions.defaults();
        DumpOptions options = new DumpOptions(defaults.rowsPerStatement(), defaults.bytesPerStatement(),
                defaults.rowsPerChunk(),
                dump.connections() > 0 ? dump.connections() : Runtime.getRuntime().availableProcessors(),
                dump.chunkRows(), dump.longQueryGuard(), dump.lockWaitTimeout(), dump.skipUnreadableObjects(), dump.consistency(),
                new DumpOptions.Throttle(dump.maxRowsPerSecond(), dump.threadsRunningLimit()));
        return new Dumper(managedServer.connectionFactory(null), store, options);
    }
}
