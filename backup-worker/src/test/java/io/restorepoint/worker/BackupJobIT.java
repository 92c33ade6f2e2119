package io.restorepoint.worker;

import io.restorepoint.demo.ScrapDemo;
import io.restorepoint.devinfra.Sql;
import io.restorepoint.engine.artifact.ArtifactId;
import io.restorepoint.engine.artifact.ArtifactStore;
import io.restorepoint.engine.artifact.Manifest;
import io.restorepoint.messaging.ContractPublisher;
import io.restorepoint.schemas.EpochSeconds;
import io.restorepoint.schemas.SchemaVersion;
import io.restorepoint.schemas.Topics;
import io.restorepoint.schemas.command.BackupRequested;
import io.restorepoint.schemas.kafka.Json;
import io.restorepoint.testsupport.Await;
import io.restorepoint.testsupport.KafkaProbe;
import io.restorepoint.testsupport.SharedInfra;
import io.restorepoint.testsupport.StackProperties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The worker takes a backup command from the real broker and dumps a real database. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext // one worker context at a time in the pool's consumer group: each test class sees all commands
class BackupJobIT {

    static final String DATABASE = SharedInfra.freshDatabase("worker_demo");
    static final String PROJECT = "w-" + UUID.randomUUID().toString().substring(0, 8);
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void infra(DynamicPropertyRegistry registry) {
        ScrapDemo.install(SharedInfra.database().connectionFactory(DATABASE), 5_000);
        StackProperties.forService("unused").forEach((k, v) -> registry.add(k, () -> v));
        registry.add("RP_STORE_DIR", () -> SharedInfra.dir().resolve("store-" + PROJECT).toString());
    }

    @Autowired
    ContractPublisher publisher;

    @Autowired
    ArtifactStore store;

    @LocalServerPort
    int port;

    @Test
    void backupCommandProducesAnArtifactMatchingTheDatabaseAndEndsDone() throws Exception {
        String token = send(1, DATABASE);
        List<JsonNode> events = eventsUntilTerminal(token);
        assertThat(events).extracting(e -> e.get("status").asString()).first().isEqualTo("processing");
        JsonNode done = events.get(events.size() - 1);
        assertThat(done.get("status").asString()).isEqualTo("done");
        assertThat(done.get("info").get("remaining").asLong()).isZero();
        assertThat(done.get("info").get("total").asLong()).isEqualTo(done.get("result").get("rows").asLong());
        assertThat(done.get("job.token").asString()).isEqualTo(token);
        assertThat(done.get("version").asInt()).isEqualTo(1);

        Manifest manifest = store.manifest(new ArtifactId(PROJECT, 1)).orElseThrow();
        assertThat(manifest.jobToken()).isEqualTo(token);
        assertThat(manifest.tables()).hasSize(14);
        var db = SharedInfra.database().connectionFactory(DATABASE);
        for (Manifest.Table table : manifest.tables()) {
            long count = ((Number) Sql.scalar(db, "SELECT COUNT(*) FROM `" + table.name() + "`")).longValue();
            assertThat(table.rows()).as(table.name()).isEqualTo(count);
            assertThat(table.chunks().stream().mapToLong(Manifest.Chunk::rows).sum()).isEqualTo(count);
        }
        assertThat(done.get("result").get("rows").asLong()).isEqualTo(manifest.totalRows());

        // what operators scrape: the job counted by type and outcome, its rows; ready while the broker answers
        // (the outcome is counted just after it is published: wait for it)
        String metrics = Await.until("the done job in the worker's metrics", Duration.ofSeconds(10),
                () -> get("/actuator/prometheus").body(), body -> body.contains("restorepoint_jobs_ended_total{status=\"done\""));
        assertThat(metric(metrics, "restorepoint_jobs_ended_total\\{status=\"done\",type=\"backup_project\"}")).isGreaterThanOrEqualTo(1);
        assertThat(metric(metrics, "restorepoint_job_rows\\w*\\{type=\"backup_project\"}")).isGreaterThanOrEqualTo(manifest.totalRows());
        assertThat(metric(metrics, "restorepoint_jobs_running\\w*")).isZero();
        assertThat(metrics).as("the command consumer's lag").containsPattern(
                "(?m)^kafka_consumer_fetch_manager_records_lag_max\\{[^}]*client_id=\"restorepoint-worker-\\d+\"[^}]*} \\d");
        assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);

        // the same command delivered again reports done again and leaves the artifact alone
        publisher.publish(Topics.COMMANDS, PROJECT, command(token, 1, DATABASE), BackupRequested.CE_TYPE, token, token)
                .block(Duration.ofSeconds(20));
        KafkaProbe.await(SharedInfra.kafka(), Topics.CC_EVENTS.name(),
                r -> token.equals(r.key()) && r.value().contains("\"status\":\"done\""), 2, Duration.ofSeconds(30));
        assertThat(store.manifest(new ArtifactId(PROJECT, 1)).orElseThrow().completedAt()).isEqualTo(manifest.completedAt());
    }

    private HttpResponse<String> get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("GET " + path, e);
        }
    }

    /** The value of the sample line whose name and labels match {@code pattern}. */
    private static double metric(String exposition, String pattern) {
        Matcher m = Pattern.compile("(?m)^" + pattern + " ([0-9.eE+-]+)").matcher(exposition);
        assertThat(m.find()).as("a sample " + pattern + " in\n" + exposition).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void progressIsReportedAtMostOncePerSecondWithShrinkingRemainingAndPerTableDetail() throws Exception {
        String big = SharedInfra.freshDatabase("worker_big");
        var db = SharedInfra.database().connectionFactory(big);
        Sql.execute(db, "CREATE TABLE log (id INT PRIMARY KEY, msg VARCHAR(400))",
                "INSERT INTO log SELECT n, REPEAT(CONCAT('line ', n, ' '), 25) FROM " + Sql.sequence(6) + " t WHERE n < 700000",
                "CREATE TABLE small (id INT PRIMARY KEY)", "INSERT INTO small VALUES (1),(2),(3)",
                "ANALYZE TABLE log, small");
        String token = send(3, big);
        List<JsonNode> events = eventsUntilTerminal(token);
        List<JsonNode> processing = events.stream().filter(e -> e.get("status").asString().equals("processing")).toList();
        assertThat(processing.size()).as("a dump of 700k rows reports progress along the way").isGreaterThanOrEqualTo(2);
        for (int i = 1; i < processing.size(); i++) {
            double gap = processing.get(i).get("updated_on").asDouble() - processing.get(i - 1).get("updated_on").asDouble();
            assertThat(gap).as("seconds between progress events").isGreaterThanOrEqualTo(0.95);
        }
        JsonNode mid = processing.get(processing.size() - 1);
        assertThat(mid.get("info").get("total").asLong()).isGreaterThan(0);
        assertThat(mid.get("info").get("remaining").asLong()).isLessThan(mid.get("info").get("total").asLong());
        assertThat(mid.get("info").get("tables")).anySatisfy(t -> assertThat(t.get("table").asString()).isEqualTo("log"));
        JsonNode done = events.get(events.size() - 1);
        assertThat(done.get("status").asString()).isEqualTo("done");
        assertThat(done.get("info").get("total").asLong()).isEqualTo(700_003);
        assertThat(done.get("info").get("remaining").asLong()).isZero();
    }

    @Test
    void aDownstreamTeamReadsTheJobTopicWithTheCloudEventsSdkOrAsPlainJson() {
        String token = send(4, DATABASE);
        eventsUntilTerminal(token);
        java.util.Map<String, Object> props = java.util.Map.of("bootstrap.servers", SharedInfra.kafka());
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, io.cloudevents.CloudEvent>(props,
                new org.apache.kafka.common.serialization.StringDeserializer(), new io.cloudevents.kafka.CloudEventDeserializer())) {
            var partition = new org.apache.kafka.common.TopicPartition(Topics.CC_EVENTS.name(), 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<io.cloudevents.CloudEvent> events = new java.util.ArrayList<>();
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (token.equals(r.key())) {
                        events.add(r.value());
                    }
                });
            }
            assertThat(events).isNotEmpty();
            io.cloudevents.CloudEvent last = events.get(events.size() - 1);
            assertThat(last.getType()).isEqualTo("io.restorepoint.job.v1");
            assertThat(last.getSubject()).isEqualTo(token);
            assertThat(last.getSource().toString()).isEqualTo("/restorepoint/backup-worker");
            assertThat(last.getDataSchema().toString()).isEqualTo("/schemas/io.restorepoint.job.v1.json");
            assertThat(last.getTime()).isNotNull();
            JsonNode data = Json.MAPPER.readTree(last.getData().toBytes());
            assertThat(data.get("job.token").asString()).isEqualTo(token);
            assertThat(data.get("status").asString()).isEqualTo("done");
        }
        List<JsonNode> plain = eventsUntilTerminal(token);
        assertThat(plain.get(plain.size() - 1).get("type").asString()).as("a plain JSON reader sees the same record").isEqualTo("job");
    }

    @Test
    void missingDatabaseEndsRejectedWithAReasonAndNoArtifact() throws Exception {
        String token = send(2, "no_such_db_" + PROJECT.replace('-', '_'));
        List<JsonNode> events = eventsUntilTerminal(token);
        JsonNode last = events.get(events.size() - 1);
        assertThat(last.get("status").asString()).isEqualTo("rejected");
        assertThat(last.get("failure").get("code").asInt()).isEqualTo(1003);
        assertThat(last.get("failure").get("process").asString()).isEqualTo("backup");
        assertThat(last.get("failure").get("reason").asString()).contains("no_such_db_").contains("does not exist");
        assertThat(store.manifest(new ArtifactId(PROJECT, 2))).isEmpty();
    }

    private String send(int version, String database) {
        String token = UUID.randomUUID().toString();
        publisher.publish(Topics.COMMANDS, PROJECT, command(token, version, database), BackupRequested.CE_TYPE, token, token)
                .block(Duration.ofSeconds(20));
        return token;
    }

    private static BackupRequested command(String token, int version, String database) {
        return new BackupRequested(SchemaVersion.V1, token, PROJECT, database, version, "Backup " + version, "test",
                "alice", EpochSeconds.now(), null);
    }

    private static List<JsonNode> eventsUntilTerminal(String token) {
        List<ConsumerRecord<String, String>> records = KafkaProbe.await(SharedInfra.kafka(), Topics.CC_EVENTS.name(),
                r -> token.equals(r.key()) && (r.value().contains("\"status\":\"done\"") || r.value().contains("\"status\":\"rejected\"")),
                1, Duration.ofSeconds(60));
        return KafkaProbe.readToEnd(SharedInfra.kafka(), Topics.CC_EVENTS.name(), r -> token.equals(r.key())).stream()
                .map(r -> Json.MAPPER.readTree(r.value()))
                .toList();
    }
}
