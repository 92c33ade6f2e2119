package io.restorepoint.gateway.servers;

import io.restorepoint.engine.connect.DatabaseServers;
import io.restorepoint.engine.connect.ServerSettings;
import io.restorepoint.web.envelope.Envelope;
import io.restorepoint.web.security.Caller;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/servers}: the configured database servers, for admins, never with a password: where each
 * one's password comes from is shown ({@code env NAME}, {@code file PATH}, {@code set} or {@code none}).
 */
@io.swagger.v3.oas.annotations.tags.Tag(name = "Servers", description = "The database servers projects live on")
@RestController
public class ServerController {

    private final DatabaseServers servers;

    public ServerController(DatabaseServers servers) {
        this.servers = servers;
    }

    @io.swagger.v3.oas.annotations.Operation(summary = "Database servers (admin)", description = "Every configured server by name: host, port, account, TLS mode, where its password comes from (never the password), connection limit.")
    @GetMapping(path = "/api/servers", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<Envelope> list() {
        return Caller.currentAdmin("Forbidden - the server list is for administrators")
                .map(caller -> Envelope.ok(Map.of("servers", servers.names().stream().map(this::view).toList())));
    }

    private Map<String, Object> view(String name) {
        ServerSettings s = servers.settings(name).orElseThrow();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", name);
        view.put("host", s.host());
        view.put("port", s.port());
        view.put("user", s.user());
        view.put("ssl_mode", s.sslMode());
        view.put("password", s.passwordSource());
        view.put("max_connections", s.maxConnections());
        view.put("default", DatabaseServers.DEFAULT.equals(name));
        return view;
    }
}
