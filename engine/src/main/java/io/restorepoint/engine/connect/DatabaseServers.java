package io.restorepoint.engine.connect;

import io.r2dbc.spi.ConnectionFactory;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The database servers projects live on, by name: each one's endpoint (its password resolved once, when
 * the registry is made, so a missing secret stops the start-up) and one connection factory per server that
 * keeps its {@code max-connections}. {@value #DEFAULT} is the server of projects that name none (the
 * {@code RP_MANAGED_DB_*} one).
 */
public final class DatabaseServers {

    /** The server of a project that names none. */
    public static final String DEFAULT = "default";

    /** How long a connection beyond a server's limit waits for a free one before its job fails. */
    public static final Duration LIMIT_WAIT = Duration.ofMinutes(5);

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    private final Map<String, ServerSettings> settings;
    private final Map<String, DatabaseEndpoint> endpoints;
    private final Map<String, ConnectionFactory> factories = new ConcurrentHashMap<>();

    public DatabaseServers(Map<String, ServerSettings> servers) {
        this(servers, System::getenv);
    }

    /** As the public constructor, reading {@code password-env} references through {@code env}. */
    public DatabaseServers(Map<String, ServerSettings> servers, Function<String, String> env) {
        if (servers == null || !servers.containsKey(DEFAULT)) {
            throw new IllegalArgumentException("no server named '" + DEFAULT + "' (restorepoint.servers.default, RP_MANAGED_DB_*)");
        }
        Map<String, ServerSettings> sorted = new TreeMap<>();
        Map<String, DatabaseEndpoint> resolved = new LinkedHashMap<>();
        servers.forEach((name, server) -> {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("server name '" + name + "': 1-64 of a-z, 0-9, _ and -, starting with a letter or digit");
            }
            try {
                resolved.put(name, server.endpoint(env));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("server '" + name + "': " + e.getMessage(), e);
            }
            sorted.put(name, server);
        });
        this.settings = Collections.unmodifiableMap(sorted);
        this.endpoints = Map.copyOf(resolved);
    }

    /** A registry of the default server alone. */
    public static DatabaseServers of(ServerSettings defaultServer) {
        return new DatabaseServers(Map.of(DEFAULT, defaultServer));
    }

    /** The names, sorted. */
    public List<String> names() {
        return List.copyOf(settings.keySet());
    }

    public boolean has(String name) {
        return settings.containsKey(name);
    }

    /** The settings of a server (their password is never shown by them). */
    public Optional<ServerSettings> settings(String name) {
        return Optional.ofNullable(settings.get(name));
    }

    /** The endpoint of a server; {@code null} is the default one. */
    public DatabaseEndpoint endpoint(String name) {
        DatabaseEndpoint endpoint = endpoints.get(name == null ? DEFAULT : name);
        if (endpoint == null) {
            throw new IllegalArgumentException("no database server named '" + name + "'; configured: " + names());
        }
        return endpoint;
    }

    /**
     * The one connection factory of a server (no default database), keeping its {@code max-connections} across
     * everything this process does on it; {@code null} is the default server.
     */
    public ConnectionFactory connectionFactory(String name) {
        String key = name == null ? DEFAULT : name;
        DatabaseEndpoint endpoint = endpoint(key);
        return factories.computeIfAbsent(key, k -> {
            int limit = settings.get(k).maxConnections();
            ConnectionFactory plain = endpoint.connectionFactory(null);
            return limit > 0 ? new LimitedConnectionFactory(plain, k, limit, LIMIT_WAIT) : plain;
        });
    }

    @Override
    public String toString() {
        return "DatabaseServers" + settings;
    }
}
