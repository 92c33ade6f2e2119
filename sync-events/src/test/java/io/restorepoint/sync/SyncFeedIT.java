package io.restorepoint.sync;

import io.restorepoint.messaging.ContractPublisher;
import io.restorepoint.schemas.SchemaVersion;
import io.restorepoint.schemas.Topics;
import io.restorepoint.schemas.job.JobStatus;
import io.restorepoint.schemas.membership.ProjectMembership;
import io.restorepoint.testsupport.Await;
import io.restorepoint.testsupport.SharedInfra;
import io.restorepoint.testsupport.SseClient;
import io.restorepoint.testsupport.StackProperties;
import io.restorepoint.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The cc feed built from the real job topic: cursors, visibility, paging, catch-up then live over SSE. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class SyncFeedIT {

    static final String MINE = "mine-" + UUID.randomUUID().toString().substring(0, 6);
    static final String THEIRS = "theirs-" + UUID.randomUUID().toString().substring(0, 6);

    @DynamicPropertySource
    static void infra(DynamicPropertyRegistry registry) {
        StackProperties.forService(SharedInfra.freshDatabase("sync")).forEach((k, v) -> registry.add(k, () -> v));
        registry.add("restorepoint.sync.retention", () -> "2s");
        registry.add("restorepoint.sync.prune-interval", () -> "1h");
        registry.add("restorepoint.sync.socket-io-port", () -> "-1"); // SocketIoIT covers it
    }

    @Autowired
    io.restorepoint.sync.feed.FeedPruner pruner;

    @Autowired
    ContractPublisher publisher;

    @Autowired
    org.springframework.context.ApplicationContext context;

    @LocalServerPort
    int port;

    static boolean seeded;

    private WebClient client(String token) {
        // pages of up to 1,000 events: other test classes of this JVM fill the same topic
        return WebClient.builder().baseUrl("http://127.0.0.1:" + port)
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(32 * 1024 * 1024))
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token).build();
    }

    private synchronized void seed() {
        if (seeded) {
            return;
        }
        membership(MINE, "alice", "active");
        membership(THEIRS, "bob", "active");
        for (int i = 0; i < 5; i++) {
            job(MINE, JobStatus.PROCESSING);
            job(THEIRS, JobStatus.PROCESSING);
        }
        seeded = true;
    }

    @Test
    void getReturnsOnlyVisibleEventsInCursorOrderWithPaging() {
        seed();
        List<JsonNode> alice = Await.until("alice's events", Duration.ofSeconds(20), () -> all(TestTokens.TOKENS.user("alice"), 0, 3),
                events -> events.size() >= 5);
        assertThat(alice).allSatisfy(e -> {
            assertThat(e.get("type").asString()).isEqualTo("cc");
            assertThat(e.get("action").asString()).isEqualTo("UPDATE");
            assertThat(e.get("data_type").asString()).isEqualTo("jobs");
            assertThat(e.get("data").get("project_gid").asString()).isEqualTo(MINE);
            assertThat(e.get("data").get("job").asString()).isEqualTo("backup_project");
        });
        List<Long> cursors = alice.stream().map(e -> e.get("cursor").asLong()).toList();
        assertThat(cursors).isSorted().doesNotHaveDuplicates();

        List<JsonNode> admin = all(TestTokens.TOKENS.admin("root"), 0, 1000);
        assertThat(admin.stream().map(e -> e.get("data").get("project_gid").asString())).contains(MINE, THEIRS);

        List<JsonNode> carol = all(TestTokens.TOKENS.user("carol"), 0, 1000);
        assertThat(carol).as("a user of no project sees nothing").isEmpty();

        JsonNode cursors2 = client(TestTokens.TOKENS.user("alice")).post().uri("/sync/cursors")
                .retrieve().bodyToMono(JsonNode.class).block();
        assertThat(cursors2.get("result").get("cc.cursor").asLong()).isGreaterThanOrEqualTo(cursors.get(cursors.size() - 1));
    }

    @Test
    void streamCatchesUpThenDeliversLiveEventsExactlyOnce() {
        seed();
        Await.until("events stored", Duration.ofSeconds(20), () -> all(TestTokens.TOKENS.user("alice"), 0, 100), events -> events.size() >= 5);
        List<JsonNode> stored = all(TestTokens.TOKENS.user("alice"), 0, 100);
        long resumeFrom = stored.get(1).get("cursor").asLong();

        List<ServerSentEvent<String>> received = new CopyOnWriteArrayList<>();
        var subscription = client(TestTokens.TOKENS.user("alice")).get().uri("/sync/stream")
                .header("Last-Event-ID", Long.toString(resumeFrom)).accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve().bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() { })
                .filter(e -> "cc".equals(e.event()))
                .subscribe(received::add);
        try {
            Await.until("catch-up", Duration.ofSeconds(20), received::size, n -> n >= stored.size() - 2);
            String liveToken = job(MINE, JobStatus.DONE);
            job(THEIRS, JobStatus.DONE);
            Await.until("live event", Duration.ofSeconds(20), () -> received,
                    list -> list.stream().anyMatch(e -> e.data().contains(liveToken)));
            List<Long> ids = received.stream().map(e -> Long.parseLong(e.id())).toList();
            assertThat(ids).isSorted().doesNotHaveDuplicates();
            assertThat(ids.get(0)).isEqualTo(stored.get(2).get("cursor").asLong());
            assertThat(received).noneMatch(e -> e.data().contains(THEIRS));

            // what operators scrape, without a token: this client counted, and how far ingestion lags the topics
            String metrics = WebClient.create("http://127.0.0.1:" + port).get().uri("/actuator/prometheus")
                    .retrieve().bodyToMono(String.class).block(Duration.ofSeconds(10));
            assertThat(metrics).containsPattern("(?m)^restorepoint_feed_clients(\\{[^}]*})? [1-9]")
                    .containsPattern("(?m)^kafka_consumer_fetch_manager_records_lag\\w*\\{[^}]*stream=\"cc\"");
        } finally {
            subscription.dispose();
        }
    }

    @Test
    void theProjectStreamCarriesOneProjectsDataChangesToItsMembersOnly() {
        seed();
        String first = dataChanged(MINE, "restore");
        String other = dataChanged(THEIRS, "import");
        String second = dataChanged(MINE, "import");
        JsonNode result = Await.until("project events", Duration.ofSeconds(20),
                () -> client(TestTokens.TOKENS.user("alice")).post().uri("/sync/get").contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{\"cc.cursor\":0,\"project\":\"" + MINE + "\",\"cursor\":0}")
                        .retrieve().bodyToMono(JsonNode.class).block().get("result"),
                r -> r.get("project_events").size() >= 2);
        List<String> keys = new ArrayList<>();
        result.get("project_events").forEach(e -> {
            assertThat(e.get("type").asString()).isEqualTo("project");
            assertThat(e.get("data_type").asString()).isEqualTo("data");
            assertThat(e.get("data_key").asString()).isEqualTo(MINE);
            keys.add(e.get("data").get("job.token").asString());
        });
        assertThat(keys).containsExactly(first, second).doesNotContain(other);
        assertThat(result.get("cursor").asLong()).isEqualTo(result.get("project_events").get(1).get("cursor").asLong());
        assertThat(result.get("events").size()).as("the cc stream comes along").isGreaterThan(0);

        var refused = client(TestTokens.TOKENS.user("alice")).post().uri("/sync/get").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"project\":\"" + THEIRS + "\"}").exchangeToMono(r -> Mono.just(r.statusCode().value())).block();
        assertThat(refused).isEqualTo(403);

        long projectCursor = result.get("project_events").get(0).get("cursor").asLong();
        try (SseClient sse = SseClient.open("http://127.0.0.1:" + port + "/sync/stream?project=" + MINE,
                TestTokens.TOKENS.user("alice"), "0:" + projectCursor)) {
            String live = dataChanged(MINE, "restore");
            var events = Await.until("project events over SSE", Duration.ofSeconds(20), sse::events,
                    list -> list.stream().anyMatch(e -> e.data().contains(live)));
            List<String> projectIds = events.stream().filter(e -> "project".equals(e.event())).map(e -> e.data()).toList();
            assertThat(projectIds).hasSize(2);
            assertThat(projectIds.get(0)).contains(second);
            assertThat(events.get(events.size() - 1).id()).matches("\\d+:\\d+");
        }
    }

    @Test
    void aStreamEndsWhenItsTokenExpires() {
        Instant now = Instant.now();
        String shortLived = TestTokens.TOKENS.mint(new com.nimbusds.jwt.JWTClaimsSet.Builder().subject("alice")
                .issueTime(java.util.Date.from(now)).expirationTime(java.util.Date.from(now.plusSeconds(3))).build());
        try (SseClient sse = SseClient.open("http://127.0.0.1:" + port + "/sync/stream", shortLived, null)) {
            Await.until("the stream ends at expiry", Duration.ofSeconds(20), sse::ended, ended -> ended);
            assertThat(sse.events()).last().satisfies(e -> assertThat(e.event()).isEqualTo("token-expired"));
        }
    }

    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE) // prunes the store: runs after the tests that read from cursor 0
    void aCursorOlderThanTheStoreKeepsIsAnsweredGone() {
        seed();
        Await.until("events stored", Duration.ofSeconds(20), () -> all(TestTokens.TOKENS.admin("root"), 0, 1000),
                events -> events.size() >= 10);
        long removed = pruner.pruneNow(); // retention is 2 s here: everything but the newest event goes
        assertThat(removed).isPositive();
        var gone = client(TestTokens.TOKENS.admin("root")).post().uri("/sync/get").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"cc.cursor\":1}")
                .exchangeToMono(r -> r.bodyToMono(JsonNode.class).map(b -> List.of(r.statusCode().value(), b))).block();
        assertThat(gone.get(0)).isEqualTo(410);
        JsonNode body = (JsonNode) gone.get(1);
        assertThat(body.get("result").get("code").asInt()).isEqualTo(410);
        assertThat(body.get("result").get("message").asString()).contains("older than the cc feed keeps");
        long oldest = body.get("result").get("info").get("oldest_cursor").asLong();
        JsonNode fresh = client(TestTokens.TOKENS.admin("root")).post().uri("/sync/get").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"cc.cursor\":" + oldest + "}").retrieve().bodyToMono(JsonNode.class).block();
        assertThat(fresh.get("success").asBoolean()).isTrue();
    }

    @Test
    void membershipsAndIngestorsStartBeforeThePortOpensAndStopAfterItCloses() {
        // SmartLifecycle: lower phases start first and stop last
        int webServer = context.getBeansOfType(SmartLifecycle.class).values().stream()
                .filter(bean -> bean.getClass().getSimpleName().equals("WebServerStartStopLifecycle"))
                .mapToInt(SmartLifecycle::getPhase).findFirst().orElseThrow();
        int ingestors = context.getBeansOfType(io.restorepoint.sync.feed.FeedIngestor.class).values().stream()
                .mapToInt(SmartLifecycle::getPhase).max().orElseThrow();
        int memberships = context.getBean(io.restorepoint.sync.access.Memberships.class).getPhase();
        assertThat(memberships).isLessThan(ingestors);
        assertThat(ingestors).isLessThan(webServer);
    }

    @Test
    void requestsWithoutAValidTokenAreRefused() {
        var response = WebClient.create("http://127.0.0.1:" + port).post().uri("/sync/get")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                .exchangeToMono(r -> r.bodyToMono(JsonNode.class).map(body -> List.of(r.statusCode().value(), body)))
                .block();
        assertThat(response.get(0)).isEqualTo(401);
        assertThat(((JsonNode) response.get(1)).get("result").get("code").asInt()).isEqualTo(401);
        var bad = client(TestTokens.TOKENS.user("alice")).post().uri("/sync/get").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"cc.cursor\":-4}")
                .exchangeToMono(r -> Mono.just(r.statusCode().value())).block();
        assertThat(bad).isEqualTo(422);
    }

    private List<JsonNode> all(String token, long from, int limit) {
        List<JsonNode> events = new ArrayList<>();
        long cursor = from;
        while (true) {
            JsonNode body = client(token).post().uri("/sync/get").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"cc.cursor\":" + cursor + ",\"limit\":" + limit + "}")
                    .retrieve().bodyToMono(JsonNode.class).block();
            JsonNode result = body.get("result");
            result.get("events").forEach(events::add);
            cursor = result.get("cc.cursor").asLong();
            if (!result.get("more").asBoolean()) {
                return events;
            }
        }
    }

    private void membership(String project, String user, String status) {
        var m = new ProjectMembership(SchemaVersion.V1, project, user, List.of("member"), status);
        publisher.publish(Topics.MEMBERSHIPS, m.key(), m, ProjectMembership.CE_TYPE, null, m.key()).block(Duration.ofSeconds(20));
    }

    private String dataChanged(String project, String reason) {
        String token = UUID.randomUUID().toString();
        var event = new io.restorepoint.schemas.job.ProjectDataChanged(SchemaVersion.V1, UUID.randomUUID().toString(), project,
                reason, token, 1, List.of("pesaje"), 2.5);
        publisher.publish(Topics.PROJECT_EVENTS, project, event, io.restorepoint.schemas.job.ProjectDataChanged.CE_TYPE,
                event.eventId(), token).block(Duration.ofSeconds(20));
        return token;
    }

    private String job(String project, JobStatus status) {
        return JobEvents.publish(publisher, project, UUID.randomUUID().toString(), status);
    }
}
