package io.restorepoint.messaging;

import io.restorepoint.devinfra.Ports;
import io.restorepoint.testsupport.SharedInfra;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code kafka} health contributor against the real broker, and against a port where none listens. */
class KafkaHealthIndicatorIT {

    @Test
    void upWithTheClusterIdWhileTheBrokerAnswers() {
        KafkaHealthIndicator indicator = new KafkaHealthIndicator(Map.of("bootstrap.servers", SharedInfra.kafka()),
                Duration.ofSeconds(5));
        try {
            Health health = indicator.health(true);
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsKey("clusterId").containsEntry("brokers", 1);
        } finally {
            indicator.destroy();
        }
    }

    @Test
    void downWithinItsTimeoutWhenNoBrokerAnswers() {
        int closed = Ports.orFree(0); // free now: nothing listens there
        KafkaHealthIndicator indicator = new KafkaHealthIndicator(Map.of("bootstrap.servers", "127.0.0.1:" + closed),
                Duration.ofSeconds(2));
        try {
            long started = System.nanoTime();
            Health health = indicator.health(true);
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).as("says why").containsKey("error");
            assertThat((System.nanoTime() - started) / 1e9).as("seconds to answer").isLessThan(5);
        } finally {
            indicator.destroy();
        }
    }
}
