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
        DatabaseEndpoint gone = new DatabaseEndpoint("127.0.0.1", closed, db.user(), "s3cret-never-shown");
        long started = System.nanoTime();
        Health health = new ManagedDatabaseHealthIndicator(gone.connectionFactory(null), Duration.ofSeconds(2)).health(true);
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsKey("error");
        assertThat(health.toString()).doesNotContain("s3cret-never-shown");
        assertThat((System.nanoTime() - started) / 1e9).as("seconds to answer").isLessThan(5);
    }
}
