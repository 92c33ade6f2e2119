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
 * The engine as the worker uses it: one dumper, loader and importer per database server of the
 * database-servers module ({@code restorepoint.servers.*}), each job on the server its command names, and
 * the artifact store of the artifact-store module ({@code restorepoint.store.*}).
 */
@Configuration
public class EngineConfiguration {

    /** The default server's endpoint (its health indicator). */
    @Bean
    DatabaseEndpoint managedServer(DatabaseServers servers) {
        return servers.endpoint(DatabaseServers.DEFAULT);
    }

    @Bean
    ServerEngines serverEngines(DatabaseServers servers, ArtifactStore store, WorkerProperties properties) {
        int connections = properties.dump().connections() > 0 ? properties.dump().connections()
                : Runtime.getRuntime().availableProcessors();
        WorkerProperties.Dump dump = properties.dump();
        DumpOptions defaults = DumpOptions.defaults();
        DumpOptions dumpOptions = new DumpOptions(defaults.rowsPerStatement(), defaults.bytesPerStatement(),
                defaults.rowsPerChunk(), connections, dump.chunkRows(), dump.longQueryGuard(), dump.lockWaitTimeout(),
                dump.skipUnreadableObjects(), dump.consistency(),
                new DumpOptions.Throttle(dump.maxRowsPerSecond(), dump.threadsRunningLimit()));
        LoadOptions loadOptions = new LoadOptions(connections, properties.restoreDefiners(), properties.restoreDeferIndexesFromRows());
        return new ServerEngines(servers, server -> new Dumper(servers.connectionFactory(server), store, dumpOptions),
                server -> new Loader(servers.connectionFactory(server), store, loadOptions),
                server -> new Importer(servers.connectionFactory(server), store));
    }

    /** The default server's dumper (the start-up warm-up runs through it). */
    @Bean
    Dumper dumper(ServerEngines engines) {
        return engines.dumper(DatabaseServers.DEFAULT);
    }
}
