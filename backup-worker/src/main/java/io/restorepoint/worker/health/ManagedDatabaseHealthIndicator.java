package io.restorepoint.worker.health;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;

/**
 * {@code managedDatabase} health: UP when the managed server (the projects' databases a worker dumps and
 * restores) answers {@code SELECT VERSION()} within the timeout, DOWN with the reason otherwise. In the
 * readiness group: a worker that cannot reach the database should not be sent jobs by an orchestrator.
 */
@Component("managedDatabase")
public class ManagedDatabaseHealthIndicator extends AbstractHealthIndicator {

    private final ConnectionFactory server;
    private final Duration timeout;

    @org.springframework.beans.factory.annotation.Autowired
    public ManagedDatabaseHealthIndicator(io.restorepoint.engine.connect.DatabaseEndpoint managedServer) {
        this(managedServer.connectionFactory(null), Duration.ofSeconds(3));
    }

    public ManagedDatabaseHealthIndicator(ConnectionFactory server, Duration timeout) {
        super("managed database health check failed");
        this.server = server;
        this.timeout = timeout;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        try {
            String version = Mono.usingWhen(Mono.from(server.create()),
                            (Connection c) -> Flux.from(c.createStatement("SELECT VERSION()").execute())
                                    .flatMap(result -> result.map((row, meta) -> row.get(0, String.class)))
                                    .next(),
                            Connection::close)
                    .block(timeout);
            builder.up().withDetail("version", version);
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null && e.getMessage() != null && e.getMessage().startsWith("java.") ? e.getCause() : e;
            builder.down().withDetail("error", cause.getClass().getSimpleName() + ": " + cause.getMessage());
        }
    }
}
