package io.restorepoint.worker;

import io.restorepoint.devinfra.Sql;
import io.restorepoint.engine.artifact.ArtifactId;
import io.restorepoint.engine.artifact.ArtifactStore;
import io.restorepoint.messaging.ContractPublisher;
import io.restorepoint.schemas.EpochSeconds;
import io.restorepoint.schemas.SchemaVersion;
import io.restorepoint.schemas.Topics;
import io.restorepoint.schemas.command.BackupRequested;
import io.restorepoint.schemas.kafka.CloudEventHeaders;
import io.restorepoint.schemas.kafka.Json;
import io.restorepoint.testsupport.KafkaProbe;
import io.restorepoint.testsupport.SharedInfra;
import io.restorepoint.testsupport.StackProperties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a worker does when things go wrong: a phase that runs past its timeout, an unreadable command,
 * a command delivered again after its job ended. On the real broker and database.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"restorepoint.worker.phase-timeouts.dump=400ms", "restorepoint.worker.progress-interval=200ms"})
@DirtiesContext
class JobFaultsIT {

    static final String PROJECT = "f-" + UUID.randomUUID().toString().substring(0, 8);
    static final String BIG = SharedInfra.freshDatabase("faults_big");
    static final String SMALL = SharedInfra.freshDatabase("faults_small");
    static final Path STORE = SharedInfra.dir().resolve("store-" + PROJECT);

    @DynamicPropertySource
    static void infra(DynamicPropertyRegistry registry) {
        Sql.execute(SharedInfra.database().connectionFactory(BIG),
                "CREATE TABLE log (id INT PRIMARY KEY, msg VARCHAR(400))",
                "INSERT INTO log SELECT n, REPEAT(CONCAT('line ', n, ' '), 25) FROM " + Sql.sequence(6) + " t WHERE n < 800000");
        Sql.execute(SharedInfra.database().connectionFactory(SMALL),
                "CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1),(2),(3)");
        StackProperties.forService("unused").forEach((k, v) -> registry.add(k, () -> v));
        registry.add("RP_STORE_DIR", STORE::toString);
    }

    @Autowired
    ContractPublisher publisher;

    @Autowired
    ArtifactStore store;

    @Test
    void aPhasePastItsTimeoutStopsTheJobWhichSaysWhichPhaseAndLeavesNoArtifact() throws Exception {
        String token = send(1, BIG);
        List<JsonNode> events = eventsUntilTerminal(token);
        JsonNode last = events.get(events.size() - 1);
        assertThat(last.get("status").asString()).isEqualTo("rejected");
        assertThat(last.get("failure").get("reason").asString())
                .isEqualTo("the dump phase did not finish within its timeout of 0.4s, so the job was stopped");
        List<JsonNode> processing = events.stream().filter(e -> e.get("status").asString().equals("processing")).toList();
        assertThat(processing).as("every progress event carries its phase's deadline").isNotEmpty()
                .allSatisfy(e -> assertThat(e.get("info").get("deadline").asDouble())
                        .isGreaterThan(e.get("created_on").asDouble()));
        assertThat(processing).filteredOn(e -> "dump".equals(e.get("info").get("phase").asString()))
                .allSatisfy(e -> assertThat(e.get("info").get("deadline").asDouble() - e.get("updated_on").asDouble())
                        .isLessThan(0.5));
        assertThat(store.manifest(new ArtifactId(PROJECT, 1))).isEmpty();
        // the rejected event is published only after the discard has stopped every writer and removed their files
        try (Stream<Path> files = Files.walk(STORE)) {
            assertThat(files.filter(Files::isRegularFile).filter(p -> p.toString().contains("000001")).toList())
                    .as("no file of the stopped dump is left behind").isEmpty();
        }
    }

    @Test
    void anUnreadableCommandIsDeadLetteredWithItsReasonAndItsJobEndsRejected() {
        String token = UUID.randomUUID().toString();
        ProducerRecord<String, byte[]> poison = new ProducerRecord<>(Topics.COMMANDS.name(), PROJECT,
                "{\"type\":\"backup_requested\",\"version\":".getBytes(StandardCharsets.UTF_8));
        poison.headers().add(CloudEventHeaders.SUBJECT, token.getBytes(StandardCharsets.UTF_8));
        poison.headers().add(CloudEventHeaders.TYPE, BackupRequested.CE_TYPE.getBytes(StandardCharsets.UTF_8));
        try (var producer = new KafkaProducer<String, byte[]>(Map.of("bootstrap.servers", SharedInfra.kafka()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(poison).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        List<ConsumerRecord<String, String>> dead = KafkaProbe.await(SharedInfra.kafka(), Topics.COMMANDS_DLT.name(),
                r -> PROJECT.equals(r.key()) && token.equals(header(r, CloudEventHeaders.SUBJECT)), 1, Duration.ofSeconds(60));
        assertThat(header(dead.get(0), "kafka_dlt-exception-message")).isNotBlank();
        List<JsonNode> events = eventsUntilTerminal(token);
        assertThat(events).hasSize(1);
        JsonNode rejected = events.get(0);
        assertThat(rejected.get("status").asString()).isEqualTo("rejected");
        assertThat(rejected.get("job").asString()).isEqualTo("backup_project");
        assertThat(rejected.get("project_gid").asString()).isEqualTo(PROJECT);
        assertThat(rejected.get("failure").get("reason").asString()).startsWith("the command could not be processed and was moved to the dead-letter topic: ");
    }

    @Test
    void aCommandDeliveredAgainAfterItsJobEndedIsNotRunAgain() throws Exception {
        // ended rejected: the database does not exist yet
        String missing = "faults_later_" + PROJECT.substring(2);
        String token = UUID.randomUUID().toString();
        publish(token, 2, missing);
        List<JsonNode> first = eventsUntilTerminal(token);
        assertThat(first.get(first.size() - 1).get("status").asString()).isEqualTo("rejected");

        // the database appears, the same command comes again: the job stays what it was, nothing is dumped
        SharedInfra.database().createDatabase(missing);
        publish(token, 2, missing);
        KafkaProbe.await(SharedInfra.kafka(), Topics.CC_EVENTS.name(),
                r -> token.equals(r.key()) && r.value().contains("\"status\":\"rejected\""), 2, Duration.ofSeconds(60));
        List<String> statuses = KafkaProbe.readToEnd(SharedInfra.kafka(), Topics.CC_EVENTS.name(), r -> token.equals(r.key())).stream()
                .map(r -> Json.MAPPER.readTree(r.value()).get("status").asString()).toList();
        assertThat(statuses.subList(first.size(), statuses.size())).as("after the first outcome: only that outcome again")
                .containsExactly("rejected");
        assertThat(store.manifest(new ArtifactId(PROJECT, 2))).isEmpty();

        // ended done: delivered again, the same done comes back, without a second run
        String done = send(3, SMALL);
        List<JsonNode> doneEvents = eventsUntilTerminal(done);
        JsonNode outcome = doneEvents.get(doneEvents.size() - 1);
        assertThat(outcome.get("status").asString()).isEqualTo("done");
        publish(done, 3, SMALL);
        KafkaProbe.await(SharedInfra.kafka(), Topics.CC_EVENTS.name(),
                r -> done.equals(r.key()) && r.value().contains("\"status\":\"done\""), 2, Duration.ofSeconds(60));
        List<ConsumerRecord<String, String>> again = KafkaProbe.readToEnd(SharedInfra.kafka(), Topics.CC_EVENTS.name(),
                r -> done.equals(r.key()));
        JsonNode repeated = Json.MAPPER.readTree(again.get(again.size() - 1).value());
        assertThat(again).hasSize(doneEvents.size() + 1);
        assertThat(repeated.get("event_id").asString()).as("the recorded outcome, published again")
                .isEqualTo(outcome.get("event_id").asString());
        assertThat(repeated.get("result")).isEqualTo(outcome.get("result"));
    }

    private String send(int version, String database) {
        String token = UUID.randomUUID().toString();
        publish(token, version, database);
        return token;
    }

    private void publish(String token, int version, String database) {
        BackupRequested command = new BackupRequested(SchemaVersion.V1, token, PROJECT, database, version, "Backup " + version,
                "test", "alice", EpochSeconds.now(), null);
        publisher.publish(Topics.COMMANDS, PROJECT, command, BackupRequested.CE_TYPE, token, token).block(Duration.ofSeconds(20));
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static List<JsonNode> eventsUntilTerminal(String token) {
        KafkaProbe.await(SharedInfra.kafka(), Topics.CC_EVENTS.name(),
                r -> token.equals(r.key()) && (r.value().contains("\"status\":\"done\"") || r.value().contains("\"status\":\"rejected\"")),
                1, Duration.ofSeconds(60));
        return KafkaProbe.readToEnd(SharedInfra.kafka(), Topics.CC_EVENTS.name(), r -> token.equals(r.key())).stream()
                .map(r -> Json.MAPPER.readTree(r.value()))
                .toList();
    }
}
