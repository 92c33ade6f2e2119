package io.restorepoint.worker;

import io.r2dbc.spi.ConnectionFactory;
import io.restorepoint.devinfra.DatabaseServer;
import io.restorepoint.devinfra.Sql;
import io.restorepoint.engine.artifact.ArtifactId;
import io.restorepoint.engine.artifact.ArtifactStore;
import io.restorepoint.engine.artifact.Manifest;
import io.restorepoint.messaging.ContractPublisher;
import io.restorepoint.schemas.EpochSeconds;
import io.restorepoint.schemas.SchemaVersion;
import io.restorepoint.schemas.Topics;
import io.restorepoint.schemas.command.BackupRequested;
import io.restorepoint.schemas.command.JobCommand;
import io.restorepoint.schemas.command.RestoreRequested;
import io.restorepoint.schemas.kafka.Json;
import io.restorepoint.testsupport.KafkaProbe;
import io.restorepoint.testsupport.SharedInfra;
import io.restorepoint.testsupport.StackProperties;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jobs land on the server their command names (issue 16): one worker, two real servers holding a database of
 * the same name with different data. A backup and a restore on the second server read and write only it; a
 * command naming a server the worker does not know ends rejected, saying so.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class TwoServersIT {

    static final String DATABASE = SharedInfra.freshDatabase("two_servers");
    static final String PROJECT = "s-" + UUID.randomUUID().toString().substring(0, 8);
    static final String SCHEMA = "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20))";

    @DynamicPropertySource
    static void infra(DynamicPropertyRegistry registry) {
        DatabaseServer second = SharedInfra.secondDatabase();
        second.createDatabase(DATABASE);
        Sql.execute(SharedInfra.database().connectionFactory(DATABASE), SCHEMA, "INSERT INTO t VALUES (1, 'default')");
        Sql.execute(second.connectionFactory(DATABASE), SCHEMA,
                "INSERT INTO t VALUES (1, 'second'), (2, 'second'), (3, 'second')",
                "CREATE VIEW only_on_second AS SELECT COUNT(*) AS n FROM t");
        StackProperties.forService("unused").forEach((k, v) -> registry.add(k, () -> v));
        registry.add("RP_STORE_DIR", () -> SharedInfra.dir().resolve("store-" + PROJECT).toString());
        registry.add("restorepoint.servers.second.host", second::host);
        registry.add("restorepoint.servers.second.port", () -> Integer.toString(second.port()));
        registry.add("restorepoint.servers.second.user", second::user);
        registry.add("restorepoint.servers.second.password", second::password);
        registry.add("restorepoint.servers.second.max-connections", () -> "8");
    }

    @Autowired
    ContractPublisher publisher;

    @Autowired
    ArtifactStore store;

    static long rows(ConnectionFactory server) {
        return ((Number) Sql.scalar(server, "SELECT COUNT(*) FROM t")).longValue();
    }

    @Test
    void aBackupAndARestoreOnTheSecondServerTouchOnlyIt() throws Exception {
        ConnectionFactory first = SharedInfra.database().connectionFactory(DATABASE);
        ConnectionFactory second = SharedInfra.secondDatabase().connectionFactory(DATABASE);

        String backup = send(backup(1, "second"));
        assertThat(last(backup).get("status").asString()).isEqualTo("done");
        Manifest manifest = store.manifest(new ArtifactId(PROJECT, 1)).orElseThrow();
        assertThat(manifest.totalRows()).as("the second server's rows").isEqualTo(3);
        assertThat(manifest.objects()).extracting(Manifest.ObjectEntry::name).contains("only_on_second");

        Sql.execute(second, "DELETE FROM t WHERE id > 1", "UPDATE t SET v = 'changed'");
        String safety = send(backup(2, "second"));
        assertThat(last(safety).get("status").asString()).isEqualTo("done");
        String restore = send(new RestoreRequested(SchemaVersion.V1, UUID.randomUUID().toString(), PROJECT, DATABASE, 1, 2,
                safety, "alice", EpochSeconds.now(), null, "second"));
        assertThat(last(restore).get("status").asString()).as("restore %s", last(restore)).isEqualTo("done");

        assertThat(rows(second)).as("the second server is back at version 1").isEqualTo(3);
        assertThat(Sql.scalar(second, "SELECT v FROM t WHERE id = 1")).isEqualTo("second");
        assertThat(rows(first)).as("the default server is untouched").isEqualTo(1);
        assertThat(Sql.scalar(first, "SELECT v FROM t WHERE id = 1")).isEqualTo("default");
    }

    @Test
    void aServerTheWorkerDoesNotKnowEndsTheJobRejected() throws Exception {
        String token = send(backup(10, "nowhere"));
        JsonNode last = last(token);
        assertThat(last.get("status").asString()).isEqualTo("rejected");
        assertThat(last.get("failure").get("reason").asString()).contains("'nowhere'").contains("not configured")
                .contains("[default, second]");
        assertThat(store.manifest(new ArtifactId(PROJECT, 10))).isEmpty();
    }

    private static BackupRequested backup(int version, String server) {
        return new BackupRequested(SchemaVersion.V1, UUID.randomUUID().toString(), PROJECT, DATABASE, version, "Backup " + version,
                "test", "alice", EpochSeconds.now(), server);
    }

    private String send(JobCommand command) {
        publisher.publish(Topics.COMMANDS, PROJECT, command, command.ceType(), command.commandId(), command.commandId())
                .block(Duration.ofSeconds(20));
        return command.commandId();
    }

    private static JsonNode last(String token) {
        return Json.MAPPER.readTree(KafkaProbe.await(SharedInfra.kafka(), Topics.CC_EVENTS.name(),
                r -> token.equals(r.key()) && (r.value().contains("\"status\":\"done\"") || r.value().contains("\"status\":\"rejected\"")),
                1, Duration.ofSeconds(90)).get(0).value());
    }
}
