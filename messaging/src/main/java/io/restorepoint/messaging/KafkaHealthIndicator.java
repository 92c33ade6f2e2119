package io.restorepoint.messaging;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code kafka} health: UP when the cluster answers {@code describeCluster} within the timeout (with its id
 * and broker count), DOWN otherwise. Part of every service's readiness group, so an orchestrator stops
 * sending traffic to a service that cannot reach the broker (the gateway could not queue a job).
 */
public class KafkaHealthIndicator extends AbstractHealthIndicator implements DisposableBean {

    private final Admin admin;
    private final Duration timeout;

    public KafkaHealthIndicator(Map<String, Object> adminProperties, Duration timeout) {
        super("Kafka health check failed");
        Map<String, Object> props = new HashMap<>(adminProperties);
        int millis = (int) timeout.toMillis();
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        props.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "restorepoint-health");
        this.admin = Admin.create(props);
        this.timeout = timeout;
    }

    /** An unreachable broker is an expected state, reported as DOWN with the reason, not logged as a stack trace. */
    @Override
    protected void doHealthCheck(Health.Builder builder) throws InterruptedException {
        DescribeClusterResult cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()));
        try {
            String clusterId = cluster.clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            int brokers = cluster.nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
            builder.up().withDetail("clusterId", clusterId).withDetail("brokers", brokers);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            builder.down().withDetail("error", cause.getClass().getSimpleName() + ": " + cause.getMessage());
        }
    }

    @Override
    public void destroy() {
        admin.close(Duration.ofSeconds(2));
    }
}
