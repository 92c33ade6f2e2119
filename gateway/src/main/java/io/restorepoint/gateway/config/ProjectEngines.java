package io.restorepoint.gateway.config;

import io.restorepoint.engine.artifact.ArtifactStore;
import io.restorepoint.engine.connect.DatabaseServers;
import io.restorepoint.engine.export.Exporter;
import io.restorepoint.engine.imports.ImportStager;
import io.restorepoint.engine.stats.DatabaseStats;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engine parts the gateway uses directly: synchronous reads of a project's database, on the server the
 * project names (the database-servers module, {@code restorepoint.servers.*}), one of each per server. The
 * artifact store comes from the artifact-store module ({@code restorepoint.store.*}).
 */
@Component
public class ProjectEngines {

    private final DatabaseServers servers;
    private final ArtifactStore store;
    private final Map<String, Exporter> exporters = new ConcurrentHashMap<>();
    private final Map<String, DatabaseStats> stats = new ConcurrentHashMap<>();
    private final Map<String, ImportStager> stagers = new ConcurrentHashMap<>();

    public ProjectEngines(DatabaseServers servers, ArtifactStore store) {
        this.servers = servers;
        this.store = store;
    }

    /** The export of databases on {@code server}; an unknown server is refused. */
    public Exporter exporter(String server) {
        return exporters.computeIfAbsent(key(server), s -> new Exporter(servers.connectionFactory(s)));
    }

    public DatabaseStats stats(String server) {
        return stats.computeIfAbsent(key(server), s -> new DatabaseStats(servers.connectionFactory(s)));
    }

    public ImportStager stager(String server) {
        return stagers.computeIfAbsent(key(server), s -> new ImportStager(servers.connectionFactory(s), store));
    }

    private String key(String server) {
        String name = server == null ? DatabaseServers.DEFAULT : server;
        servers.endpoint(name); // refuses an unknown name before anything is cached
        return name;
    }
}
