package io.restorepoint.system;

import io.restorepoint.devinfra.DatabaseServer;
import io.restorepoint.local.LocalStack;
import io.restorepoint.local.LocalStackOptions;
import io.restorepoint.testsupport.Await;
import io.restorepoint.testsupport.SharedInfra;
import org.junit.jupiter.api.Test;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.mysql.MySQLContainer;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The walking skeleton on Testcontainers (Apache Kafka and MySQL 8.4) where a Docker engine exists.
 * Without one it is skipped and says so; {@code mvn verify -Ptestcontainers} runs every integration test
 * on containers instead of the embedded broker and MariaDB.
 */
class ContainerStackIT {

    @Test
    void backupEndsDoneOnKafkaAndMySqlContainers() {
        SharedInfra.requireDocker();
        try (KafkaContainer kafka = new KafkaContainer("apache/kafka:4.2.1");
                MySQLContainer mysql = new MySQLContainer("mysql:8.4").withUsername("root").withPassword("test")) {
            kafka.start();
            mysql.start();
            DatabaseServer db = DatabaseServer.external(mysql.getHost(), mysql.getMappedPort(3306), "root", "test");
            Path root = Path.of("").toAbsolutePath().getParent();
            LocalStackOptions options = LocalStackOptions.forTests(root, Path.of("target", "container-stack").toAbsolutePath())
                    .withExternal(kafka.getBootstrapServers(), db.host(), db.port(), db.user(), db.password());
            try (LocalStack stack = LocalStack.start(options)) {
                Api.Response created = Api.post(stack.gatewayUrl() + "/api/p/demo/backups/create", stack.adminToken(),
                        "{\"created_by\":\"containers\"}");
                assertThat(created.status()).isEqualTo(200);
                String job = created.body().get("result").get("job.token").asString();
                Await.until("job done on containers", Duration.ofSeconds(120),
                        () -> WalkingSkeletonIT.jobEvents(stack, stack.adminToken(), job),
                        events -> events.stream().anyMatch(e -> "done".equals(e.get("data").get("status").asString())));
            }
        }
    }
}
