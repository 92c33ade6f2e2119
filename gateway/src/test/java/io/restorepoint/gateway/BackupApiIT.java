package io.restorepoint.gateway;

import com.nimbusds.jwt.JWTClaimsSet;
import io.restorepoint.devinfra.DevTokens;
import io.restorepoint.messaging.ContractPublisher;
import io.restorepoint.schemas.SchemaVersion;
import io.restorepoint.schemas.Topics;
import io.restorepoint.schemas.job.JobEvent;
import io.restorepoint.schemas.job.JobFailure;
import io.restorepoint.schemas.job.JobInfo;
import io.restorepoint.schemas.job.JobResult;
import io.restorepoint.schemas.job.JobStatus;
import io.restorepoint.schemas.job.JobType;
import io.restorepoint.schemas.kafka.CloudEventHeaders;
import io.restorepoint.schemas.kafka.Json;
import io.restorepoint.testsupport.Await;
import io.restorepoint.testsupport.KafkaProbe;
import io.restorepoint.testsupport.SharedInfra;
import io.restorepoint.testsupport.StackProperties;
import io.restorepoint.testsupport.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The backup create call against a real broker and database: versions, envelope, commands, auth. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BackupApiIT {

    static final String PROJECT = "p-" + UUID.randomUUID().toString().substring(0, 8);
    static final String OTHER = "q-" + UUID.randomUUID().toString().substring(0, 8);

    @DynamicPropertySource
    static void infra(DynamicPropertyRegistry registry) {
        StackProperties.forService(SharedInfra.freshDatabase("gw_control")).forEach((k, v) -> registry.add(k, () -> v));
        registry.add("restorepoint.gateway.bootstrap-projects[0].id", () -> PROJECT);
        registry.add("restorepoint.gateway.bootstrap-projects[0].database", () -> "scrap_" + PROJECT.replace('-', '_'));
        registry.add("restorepoint.gateway.bootstrap-projects[0].owner", () -> "alice");
        registry.add("restorepoint.gateway.bootstrap-projects[1].id", () -> OTHER);
        registry.add("restorepoint.gateway.bootstrap-projects[1].database", () -> "other_db");
        registry.add("restorepoint.gateway.bootstrap-projects[1].owner", () -> "bob");
    }

    @LocalServerPort
    int port;

    @Autowired
    ContractPublisher publisher;

    WebTestClient http;

    @BeforeEach
    void client() {
        http = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(30)).build();
    }

    @Test
    void createAllocatesVersionsAnswersInTheEnvelopeAndQueuesTheCommand() {
        JsonNode first = create("alice", "{\"created_by\":\"Update Catalog module\",\"name\":\"Before upload\"}", 200);
        assertThat(first.get("success").asBoolean()).isTrue();
        JsonNode result = first.get("result");
        String token = result.get("job.token").asString();
        assertThat(result.get("project").asString()).isEqualTo(PROJECT);
        assertThat(result.get("version").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(result.get("last_backed_up").asDouble()).isGreaterThan(1.6e9);
        assertThat(UUID.fromString(token)).isNotNull();
        int version = result.get("version").asInt();
        JsonNode backups = first.get("data").get("cc.projects").get(PROJECT).get("backups");
        assertThat(backups.get("next_version").asInt()).isEqualTo(version + 1);
        JsonNode listed = backups.get("versions").get(0);
        assertThat(listed.get("version").asInt()).isEqualTo(version);
        assertThat(listed.get("name").asString()).isEqualTo("Before upload");
        assertThat(listed.get("created_by").asString()).isEqualTo("Update Catalog module");
        assertThat(listed.get("timestamp").asDouble()).isEqualTo(result.get("last_backed_up").asDouble());
        assertThat(listed.get("status").asString()).isEqualTo("pending");

        var commands = KafkaProbe.await(SharedInfra.kafka(), Topics.COMMANDS.name(),
                r -> r.value() != null && r.value().contains(token), 1, Duration.ofSeconds(20));
        JsonNode command = Json.MAPPER.readTree(commands.get(0).value());
        assertThat(commands.get(0).key()).isEqualTo(PROJECT);
        assertThat(command.get("type").asString()).isEqualTo("backup.requested");
        assertThat(command.get("command_id").asString()).isEqualTo(token);
        assertThat(command.get("version").asInt()).isEqualTo(version);
        assertThat(command.get("database").asString()).isEqualTo("scrap_" + PROJECT.replace('-', '_'));
        assertThat(command.get("requested_by").asString()).isEqualTo("alice");
        assertThat(CloudEventHeaders.read(commands.get(0).headers(), CloudEventHeaders.SUBJECT)).isEqualTo(token);

        var queued = KafkaProbe.await(SharedInfra.kafka(), Topics.CC_EVENTS.name(),
                r -> token.equals(r.key()), 1, Duration.ofSeconds(20));
        assertThat(Json.MAPPER.readTree(queued.get(0).value()).get("status").asString()).isEqualTo("queued");

        String raw = http.post().uri("/api/p/{p}/backups/create", PROJECT)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.TOKENS.user("alice"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"created_by\":\"raw\"}")
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(raw).as("timestamps are plain epoch seconds, as in the seed").matches(".*\"last_backed_up\":1\\d{9}\\.\\d+,.*");

        JsonNode second = create("alice", "{\"created_by\":\"cli\"}", 200);
        assertThat(second.get("result").get("version").asInt()).isEqualTo(version + 2);
        assertThat(second.get("data").get("cc.projects").get(PROJECT).get("backups").get("versions").get(0)
                .get("name").asString()).isEqualTo("Backup " + (version + 2));
    }

    @Test
    void jobEventsSettleTheVersion() {
        JsonNode doneCreated = create("alice", "{\"created_by\":\"t\"}", 200).get("result");
        String done = doneCreated.get("job.token").asString();
        int doneVersion = doneCreated.get("version").asInt();
        String failed = create("alice", "{\"created_by\":\"t\"}", 200).get("result").get("job.token").asString();
        publish(done, JobStatus.PROCESSING, null, null);
        publish(done, JobStatus.DONE, null, new JobResult(10, 1234));
        publish(failed, JobStatus.PROCESSING, null, null);
        publish(failed, JobStatus.REJECTED, JobFailure.processError(JobType.BACKUP_PROJECT, "table pesaje: boom", "pesaje"), null);
        // a late event after the end changes nothing
        publish(done, JobStatus.PROCESSING, null, null);

        JsonNode versions = Await.until("versions settled", Duration.ofSeconds(20),
                () -> init("alice").get("data").get("cc.projects").get(PROJECT).get("backups").get("versions"),
                list -> stream(list).anyMatch(v -> v.get("version").asInt() == doneVersion && "valid".equals(v.get("status").asString())));
        // other tests of this class settle versions of the same project too: this test's own is looked up by number
        JsonNode valid = stream(versions).filter(v -> v.get("version").asInt() == doneVersion).findFirst().orElseThrow();
        assertThat(valid.get("size").asLong()).isEqualTo(1234);
        assertThat(stream(versions).map(v -> v.get("status").asString())).doesNotContain("failed");
        assertThat(stream(versions).count()).as("the failed version is not listed")
                .isEqualTo(stream(versions).filter(v -> !v.get("status").asString().equals("failed")).count());
    }

    @Test
    void aBackupThatLeftObjectsOutIsListedWithWhatItLacks() {
        JsonNode created = create("alice", "{\"created_by\":\"partial\"}", 200).get("result");
        String partial = created.get("job.token").asString();
        int version = created.get("version").asInt();
        String whole = create("alice", "{\"created_by\":\"whole\"}", 200).get("result").get("job.token").asString();
        publish(whole, JobStatus.DONE, null, new JobResult(10, 99, null, java.util.Map.of("view", 2), null, null));
        publish(partial, JobStatus.DONE, null, new JobResult(10, 99, null, java.util.Map.of("view", 2), null,
                java.util.List.of(new JobResult.SkippedObject("trigger", "*", "the backup account lacks TRIGGER"))));
        JsonNode listed = Await.until("the partial version settled", Duration.ofSeconds(20),
                () -> stream(init("alice").get("data").get("cc.projects").get(PROJECT).get("backups").get("versions"))
                        .filter(v -> v.get("version").asInt() == version).findFirst().orElse(null),
                v -> v != null && "valid".equals(v.get("status").asString()));
        assertThat(listed.get("skipped").toString())
                .isEqualTo("[{\"kind\":\"trigger\",\"name\":\"*\",\"reason\":\"the backup account lacks TRIGGER\"}]");
        JsonNode wholeListed = Await.until("the whole version settled", Duration.ofSeconds(20),
                () -> stream(init("alice").get("data").get("cc.projects").get(PROJECT).get("backups").get("versions"))
                        .filter(v -> "whole".equals(v.get("created_by").asString())).findFirst().orElse(null),
                v -> v != null && "valid".equals(v.get("status").asString()));
        assertThat(wholeListed.has("skipped")).as("a whole backup lists nothing left out").isFalse();
    }

    @Test
    void onlyAdministratorsMayRestoreWithTheRestoringAccountAsDefiner() {
        String body = "{\"version\":1,\"definers\":\"restoring_account\"}";
        JsonNode refused = http.post().uri("/api/p/{p}/backups/restore", PROJECT)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.TOKENS.user("alice"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isForbidden()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertError(refused, 403, "for administrators only");
        JsonNode unknown = http.post().uri("/api/p/{p}/backups/restore", PROJECT)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.TOKENS.user("alice"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"version\":1,\"definers\":\"root\"}")
                .exchange().expectStatus().isEqualTo(422)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertError(unknown, 422, "definers must be");
    }

    @Test
    void invalidArgumentsAreRefusedInTheEnvelope() {
        assertError(create("alice", "{\"name\":\"x\"}", 400), 400, "created_by");
        assertError(create("alice", "{\"created_by\":\"x\",\"name\":\"Backup 7\"}", 422), 422, "Backup");
        assertError(create("alice", "{\"created_by\":\"x\",\"name\":\"  backup   12 \"}", 422), 422, "Backup");
        assertError(create("alice", "{\"created_by\":42}", 422), 422, "created_by");
        assertError(create("alice", "{\"created_by\":\"" + "x".repeat(201) + "\"}", 422), 422, "200");
        assertError(create("alice", "[1,2]", 400), 400, "JSON object");
        assertError(create("alice", "{not json", 400), 400, "JSON");
    }

    @Test
    void everyAuthFailureIsA401WithAChallengeAndTheEnvelope() {
        Instant now = Instant.now();
        String expired = TestTokens.TOKENS.mint(new JWTClaimsSet.Builder().subject("alice")
                .issueTime(Date.from(now.minusSeconds(7200))).expirationTime(Date.from(now.minusSeconds(3600))).build());
        String wrongKey = new DevTokens("another-secret-another-secret-another-secret").user("alice");
        String none = DevTokens.unsigned(Map.of("sub", "alice", "exp", now.getEpochSecond() + 3600));
        for (String token : new String[] {null, expired, wrongKey, none, "garbage"}) {
            var spec = http.post().uri("/api/p/{p}/backups/create", PROJECT).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"created_by\":\"x\"}");
            if (token != null) {
                spec = spec.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
            }
            var response = spec.exchange().expectStatus().isUnauthorized()
                    .expectHeader().valueMatches(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"restorepoint\".*")
                    .expectBody(JsonNode.class).returnResult();
            JsonNode body = response.getResponseBody();
            assertThat(body.get("success").asBoolean()).isFalse();
            assertThat(body.get("result").get("code").asInt()).isEqualTo(401);
            assertThat(body.get("data").isEmpty()).isTrue();
        }
    }

    @Test
    void nonMembersGet403AndAdminsSeeEveryProject() {
        assertError(create("bob", "{\"created_by\":\"x\"}", 403), 403, "not a member");
        assertError(createAs(TestTokens.TOKENS.user("carol"), "nope-no-such", "{\"created_by\":\"x\"}", 403), 403, "not a member");
        assertThat(createAs(TestTokens.TOKENS.admin("root"), OTHER, "{\"created_by\":\"admin\"}", 200)
                .get("result").get("project").asString()).isEqualTo(OTHER);
        assertError(createAs(TestTokens.TOKENS.admin("root"), "nope-no-such", "{\"created_by\":\"x\"}", 404), 404, "project");
    }

    @Test
    void unknownPathsAndMethodsAnswerInTheEnvelope() {
        JsonNode notFound = http.get().uri("/api/nothing/here").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.TOKENS.user("alice"))
                .exchange().expectStatus().isNotFound().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertError(notFound, 404, "");
        JsonNode wrongMethod = http.get().uri("/api/p/{p}/backups/create", PROJECT)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.TOKENS.user("alice"))
                .exchange().expectStatus().isEqualTo(405).expectBody(JsonNode.class).returnResult().getResponseBody();
        assertError(wrongMethod, 405, "GET");
        JsonNode wrongType = http.post().uri("/api/p/{p}/backups/create", PROJECT).contentType(MediaType.TEXT_PLAIN)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.TOKENS.user("alice")).bodyValue("created_by=x")
                .exchange().expectStatus().isEqualTo(415).expectBody(JsonNode.class).returnResult().getResponseBody();
        assertError(wrongType, 415, "application/json");
    }

    private JsonNode init(String user) {
        return http.get().uri("/api/p/{p}/init", PROJECT).header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.TOKENS.user(user))
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    @Test
    void initShowsTheProjectToMembersOnly() {
        JsonNode init = init("alice");
        assertThat(init.get("result").get("project").asString()).isEqualTo(PROJECT);
        assertThat(init.get("result").get("user").asString()).isEqualTo("alice");
        assertThat(init.get("data").get("cc.projects").get(PROJECT).get("backups").has("next_version")).isTrue();
        http.get().uri("/api/p/{p}/init", PROJECT).header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.TOKENS.user("bob"))
                .exchange().expectStatus().isForbidden();
    }

    private JsonNode create(String user, String body, int status) {
        return createAs(TestTokens.TOKENS.user(user), PROJECT, body, status);
    }

    private JsonNode createAs(String token, String project, String body, int status) {
        return http.post().uri("/api/p/{p}/backups/create", project)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isEqualTo(status)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private void publish(String token, JobStatus status, JobFailure failure, JobResult result) {
        JobEvent event = new JobEvent(SchemaVersion.V1, UUID.randomUUID().toString(), token, PROJECT,
                JobType.BACKUP_PROJECT, status, new JobInfo(10, status == JobStatus.DONE ? 0 : 5, "rows", null, null),
                1, 2, 1, null, "test-worker", failure, result);
        publisher.publish(Topics.CC_EVENTS, token, event, JobEvent.CE_TYPE, event.eventId(), token).block(Duration.ofSeconds(20));
    }

    private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> out = new java.util.ArrayList<>();
        array.forEach(out::add);
        return out.stream();
    }

    private static void assertError(JsonNode body, int code, String messagePart) {
        assertThat(body.get("success").asBoolean()).isFalse();
        assertThat(body.get("result").get("code").asInt()).isEqualTo(code);
        assertThat(body.get("result").get("message").asString()).containsIgnoringCase(messagePart);
        assertThat(body.get("data").isObject() && body.get("data").isEmpty()).isTrue();
    }
}
