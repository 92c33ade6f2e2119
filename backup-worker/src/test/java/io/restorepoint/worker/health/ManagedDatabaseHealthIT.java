package io.restorepoint.worker.health;

import io.restorepoint.devinfra.DatabaseServer;
import io.restorepoint.devinfra.Ports;
import io.restorepoint.engine.connect.DatabaseEndpoint;
import io.restorepoint.testsupport.SharedInfra;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The worker's {@code managedDatabase} health against the real server, and against a port where none listens. */
class ManagedDatabaseHealthIT {

    @Test
    void upWithTheServerVersionWhileTheDatabaseAnswers() {
        DatabaseServer db = SharedInfra.database();
        Health health = new ManagedDatabaseHealthIndicator(new DatabaseEndpoint(db.host(), db.port(), db.user(), db.password()))
                .health(true);
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(String.valueOf(health.getDetails().get("version"))).containsIgnoringCase("mariadb");
    }

    @Test
    void downWithTheReasonWhenTheDatabaseIsGone() {
        int closed = Ports.orFree(0); // free now: nothing listens there
        DatabaseServer db = SharedInfra.database();
        DatabaseEndpoint gone = new DatabaseEndpoint("127.0.0.1", closed, db.user(), db.password());
        Health health = new ManagedDatabaseHealthIndicator(gone.connectionFactory(null), Duration.ofSeconds(2)).health(true);
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsKey("error");
    }

    @Test
    void downWithinItsTimeoutWhenTheServerHangs() throws Exception {
        // accepts connections and never says a word: the probe must give up at its timeout, not hang
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            DatabaseServer db = SharedInfra.database();
            DatabaseEndpoint hung = new DatabaseEndpoint("127.0.0.1", silent.getLocalPort(), db.user(), db.password());
            long started = System.nanoTime();
            Health health = new ManagedDatabaseHealthIndicator(hung.connectionFactory(null), Duration.ofSeconds(1)).health(true);
            double seconds = (System.nanoTime() - started) / 1e9;
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(String.valueOf(health.getDetails().get("error"))).containsIgnoringCase("timeout");
            assertThat(seconds).as("seconds to answer").isBetween(0.9, 5.0);
        }
    }
}
