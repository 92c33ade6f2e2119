package io.restorepoint.gateway.lifecycle;

import io.restorepoint.engine.connect.DatabaseServers;
import io.restorepoint.gateway.config.GatewayProperties;
import io.restorepoint.gateway.control.ProjectStore;
import io.restorepoint.gateway.projects.MembershipPublisher;
import io.restorepoint.gateway.schedules.ScheduleService;
import io.restorepoint.schemas.EpochSeconds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.util.retry.Retry;

import java.time.Duration;

/**
 * At start-up (its own package: it uses projects and schedules, which must not use each other): ensures the
 * configured bootstrap projects exist, each with the default backup schedule unless it has
 * one, then publishes every membership.
 */
@Component
public class ProjectBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(ProjectBootstrap.class);

    private final GatewayProperties properties;
    private final ProjectStore projects;
    private final MembershipPublisher memberships;
    private final ScheduleService schedules;
    private final DatabaseServers servers;

    public ProjectBootstrap(GatewayProperties properties, ProjectStore projects, MembershipPublisher memberships,
            ScheduleService schedules, DatabaseServers servers) {
        this.schedules = schedules;
        this.servers = servers;
        this.properties = properties;
        this.projects = projects;
        this.memberships = memberships;
    }

    @Override
    public void run(ApplicationArguments args) {
        for (GatewayProperties.BootstrapProject p : properties.bootstrapProjects()) {
            if (!servers.has(p.server())) {
                throw new IllegalStateException("bootstrap project " + p.id() + " names database server '" + p.server()
                        + "', which is not configured (restorepoint.servers: " + servers.names() + ")");
            }
        }
        Flux.fromIterable(properties.bootstrapProjects())
                .concatMap(p -> projects.create(p.id(), p.name() == null ? p.id() : p.name(), p.database(), p.server(), p.owner(),
                                EpochSeconds.now())
                        .doOnNext(created -> {
                            if (created) {
                                log.info("registered project {} (database {} on server {}, owner {})", p.id(), p.database(),
                                        p.server(), p.owner());
                            }
                        })
                        .then(schedules.ensureDefault(p.id()))
                        .doOnNext(scheduled -> {
                            if (scheduled) {
                                log.info("project {} is backed up on the default schedule", p.id());
                            }
                        }))
                .then(memberships.publishAll())
                .doOnNext(n -> log.info("published {} project memberships", n))
                .retryWhen(Retry.backoff(10, Duration.ofSeconds(1)))
                .block(Duration.ofMinutes(3));
    }
}
