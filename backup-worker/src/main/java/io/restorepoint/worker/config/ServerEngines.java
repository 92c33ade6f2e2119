package io.restorepoint.worker.config;

import io.restorepoint.engine.connect.DatabaseServers;
import io.restorepoint.engine.dump.Dumper;
import io.restorepoint.engine.imports.Importer;
import io.restorepoint.engine.load.Loader;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The dumper, loader and importer of each database server, made when a job first needs them. A command names
 * its server (absent: {@code default}); a name this worker does not know is refused with
 * {@link IllegalArgumentException}, which the job reports as its rejection.
 */
public final class ServerEngines {

    private final DatabaseServers servers;
    private final Function<String, Dumper> newDumper;
    private final Function<String, Loader> newLoader;
    private final Function<String, Importer> newImporter;
    private final Map<String, Dumper> dumpers = new ConcurrentHashMap<>();
    private final Map<String, Loader> loaders = new ConcurrentHashMap<>();
    private final Map<String, Importer> importers = new ConcurrentHashMap<>();

    public ServerEngines(DatabaseServers servers, Function<String, Dumper> newDumper, Function<String, Loader> newLoader,
            Function<String, Importer> newImporter) {
        this.servers = servers;
        this.newDumper = newDumper;
        this.newLoader = newLoader;
        this.newImporter = newImporter;
    }

    public Dumper dumper(String server) {
        return dumpers.computeIfAbsent(known(server), newDumper);
    }

    public Loader loader(String server) {
        return loaders.computeIfAbsent(known(server), newLoader);
    }

    public Importer importer(String server) {
        return importers.computeIfAbsent(known(server), newImporter);
    }

    private String known(String server) {
        String name = server == null ? DatabaseServers.DEFAULT : server;
        if (!servers.has(name)) {
            throw new IllegalArgumentException("database server '" + name + "' is not configured on this worker "
                    + "(restorepoint.servers: " + servers.names() + ")");
        }
        return name;
    }
}
