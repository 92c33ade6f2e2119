package io.restorepoint.sync;

import io.restorepoint.devinfra.DevTokens;
import io.restorepoint.messaging.ContractPublisher;
import io.restorepoint.schemas.SchemaVersion;
import io.restorepoint.schemas.Topics;
import io.restorepoint.schemas.job.JobStatus;
import io.restorepoint.schemas.job.ProjectDataChanged;
import io.restorepoint.schemas.membership.ProjectMembership;
import io.restorepoint.sync.feed.FeedMapper;
import io.restorepoint.sync.feed.FeedService;
import io.restorepoint.sync.socketio.SocketIoEndpoint;
import io.restorepoint.testsupport.Await;
import io.restorepoint.testsupport.SharedInfra;
import io.restorepoint.testsupport.StackProperties;
import io.restorepoint.testsupport.TestTokens;
import io.socket.client.IO;
import io.socket.client.Socket;
import io.socket.client.SocketOptionBuilder;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Sync API over Socket.IO at {@code /sync/io}, driven by the Java socket.io client (protocol v5, the v4
 * clients' protocol) with its default options (polling first, then the upgrade to WebSocket): auth in the
 * handshake, catch-up then live job events in order, per-project visibility, the project stream, connect
 * errors, token expiry and refresh.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SocketIoIT {

    static final String MINE = "io-mine-" + UUID.randomUUID().toString().substring(0, 6);
    static final String THEIRS = "io-theirs-" + UUID.randomUUID().toString().substring(0, 6);
    static final Duration WAIT = Duration.ofSeconds(20);

    @DynamicPropertySource
    static void infra(DynamicPropertyRegistry registry) {
        StackProperties.forService(SharedInfra.freshDatabase("syncio")).forEach((k, v) -> registry.add(k, () -> v));
        registry.add("restorepoint.sync.socket-io-port", () -> "0");
    }

    @Autowired
    ContractPublisher publisher;

    @Autowired
    SocketIoEndpoint endpoint;

    @Autowired
    FeedService feed;

    private final List<Client> clients = new CopyOnWriteArrayList<>();
    private static boolean members;

    @AfterEach
    void closeClients() {
        clients.forEach(Client::close);
    }

    private synchronized void members() {
        if (!members) {
            membership(MINE, "alice", "active");
            membership(THEIRS, "bob", "active");
            members = true;
        }
    }

    @Test
    void aClientCatchesUpThenGetsAJobsEventsLiveInOrderAndOnlyOfItsProjects() {
        members();
        String earlier = job(MINE, UUID.randomUUID().toString(), JobStatus.DONE);
        job(THEIRS, UUID.randomUUID().toString(), JobStatus.DONE);
        long stored = Await.until("the earlier job stored", WAIT, () -> feed.latest(FeedMapper.CC).block(), n -> n >= 2);

        Client alice = connect(auth(TestTokens.TOKENS.user("alice"), "cc_cursor", 0));
        Await.until("connected", WAIT, () -> alice.connected, c -> c);
        Await.until("catch-up", WAIT, () -> alice.dataKeys("cc"), keys -> keys.contains(earlier));
        assertThat(endpoint.transport(UUID.fromString(alice.socket.id())))
                .as("a stock client starts with long-polling").isIn("polling", "websocket");
        Await.until("the upgrade to WebSocket", WAIT, () -> endpoint.transport(UUID.fromString(alice.socket.id())),
                "websocket"::equals);

        String token = UUID.randomUUID().toString();
        job(MINE, token, JobStatus.QUEUED);
        job(THEIRS, UUID.randomUUID().toString(), JobStatus.QUEUED);
        job(MINE, token, JobStatus.PROCESSING);
        job(MINE, token, JobStatus.DONE);
        List<JSONObject> live = Await.until("the job's three events", WAIT,
                () -> alice.changes("cc").stream().filter(c -> token.equals(c.optString("data_key"))).toList(), l -> l.size() >= 3);

        assertThat(live).extracting(c -> c.optJSONObject("data").optString("status")).containsExactly("queued", "processing", "done");
        assertThat(live).allSatisfy(c -> {
            assertThat(c.optString("type")).isEqualTo("cc");
            assertThat(c.optString("action")).isEqualTo("UPDATE");
            assertThat(c.optString("data_type")).isEqualTo("jobs");
            assertThat(c.optJSONObject("data").optString("project_gid")).isEqualTo(MINE);
        });
        List<Long> cursors = alice.changes("cc").stream().map(c -> c.optLong("cursor")).toList();
        assertThat(cursors).as("every cursor once, increasing").isSorted().doesNotHaveDuplicates();
        assertThat(cursors.get(0)).isLessThanOrEqualTo(stored);
        assertThat(alice.changes("cc")).as("alice is no member of " + THEIRS)
                .noneMatch(c -> THEIRS.equals(c.optJSONObject("data").optString("project_gid")));
        assertThat(alice.errors).isEmpty();

        Client carol = connect(auth(TestTokens.TOKENS.user("carol"), "cc_cursor", 0));
        Await.until("carol connected", WAIT, () -> carol.connected, c -> c);
        String after = job(MINE, UUID.randomUUID().toString(), JobStatus.DONE);
        Await.until("alice gets the next one", WAIT, () -> alice.dataKeys("cc"), keys -> keys.contains(after));
        assertThat(carol.changes("cc")).as("a user of no project sees nothing").isEmpty();

        Client live2 = connect(auth(TestTokens.TOKENS.user("alice")));
        Await.until("connected without a cursor", WAIT, () -> live2.connected, c -> c);
        String next = job(MINE, UUID.randomUUID().toString(), JobStatus.DONE);
        Await.until("a live event", WAIT, () -> live2.dataKeys("cc"), keys -> keys.contains(next));
        assertThat(live2.dataKeys("cc")).as("no cc_cursor: live events only").doesNotContain(earlier, token, after);
    }

    @Test
    void aMissingExpiredOrForgedTokenIsAConnectError() {
        Instant now = Instant.now();
        String expired = TestTokens.TOKENS.mint(new com.nimbusds.jwt.JWTClaimsSet.Builder().subject("alice")
                .issueTime(Date.from(now.minusSeconds(600))).expirationTime(Date.from(now.minusSeconds(300))).build());
        String forged = new DevTokens("another-secret-that-is-long-enough-0123456789").user("alice");
        List<Client> refused = List.of(connect(null), connect(Map.of("cc_cursor", 0)), connect(auth(expired, "cc_cursor", 0)),
                connect(auth(forged, "cc_cursor", 0)), connect(auth("not.a.jwt", "cc_cursor", 0)));
        for (Client client : refused) {
            JSONObject error = Await.until("a connect error", WAIT, () -> client.connectError, e -> e != null);
            assertThat(error.optString("message")).isEqualTo("Permission denied");
            assertThat(error.optJSONObject("data").optInt("code")).isEqualTo(401);
        }
        assertThat(refused.get(2).connectError.optJSONObject("data").optString("reason")).contains("expired");
        members();
        job(MINE, UUID.randomUUID().toString(), JobStatus.DONE);
        sleep(500);
        assertThat(refused).allSatisfy(client -> {
            assertThat(client.connected).isFalse();
            assertThat(client.events).isEmpty();
        });
    }

    @Test
    void theProjectStreamCarriesDataChangesToMembersOnly() {
        members();
        Client refused = connect(auth(TestTokens.TOKENS.user("alice"), "project", THEIRS));
        JSONObject error = Await.until("a connect error", WAIT, () -> refused.connectError, e -> e != null);
        assertThat(error.optString("message")).isEqualTo("Forbidden - not a member of this project");
        assertThat(error.optJSONObject("data").optInt("code")).isEqualTo(403);

        Client alice = connect(auth(TestTokens.TOKENS.user("alice"), "project", MINE, "cursor", 0));
        Client root = connect(auth(TestTokens.TOKENS.admin("root"), "project", THEIRS));
        Await.until("connected", WAIT, () -> alice.connected && root.connected, c -> c);
        String mine = dataChanged(MINE, "restore");
        String theirs = dataChanged(THEIRS, "import");
        String mine2 = dataChanged(MINE, "import");
        Await.until("alice's project events", WAIT, () -> alice.changes("project"), l -> l.size() >= 2);
        Await.until("root's project event", WAIT, () -> root.changes("project"), l -> !l.isEmpty());
        assertThat(alice.changes("project")).extracting(c -> c.optJSONObject("data").optString("job.token"))
                .containsExactly(mine, mine2);
        assertThat(alice.changes("project")).allSatisfy(c -> {
            assertThat(c.optString("type")).isEqualTo("project");
            assertThat(c.optString("data_type")).isEqualTo("data");
            assertThat(c.optString("data_key")).isEqualTo(MINE);
        });
        assertThat(alice.changes("project").stream().map(c -> c.optLong("cursor")).toList()).isSorted().doesNotHaveDuplicates();
        assertThat(root.changes("project")).extracting(c -> c.optJSONObject("data").optString("job.token")).containsExactly(theirs);
        assertThat(alice.events).allSatisfy(e -> assertThat(e.name()).isIn("cc", "project"));
    }

    @Test
    void anExpiredTokenEndsTheConnectionUnlessARefreshedOneWasSent() throws Exception {
        members();
        Client expiring = connect(auth(shortLived("alice", 3)));
        Client refreshed = connect(auth(shortLived("alice", 3)));
        Await.until("connected", WAIT, () -> expiring.connected && refreshed.connected, c -> c);

        CompletableFuture<JSONObject> ack = new CompletableFuture<>();
        refreshed.socket.emit("authorization", new Object[] {new JSONObject(Map.of("JWT", TestTokens.TOKENS.user("alice")))},
                args -> ack.complete((JSONObject) args[0]));
        JSONObject answer = ack.get(10, TimeUnit.SECONDS);
        assertThat(answer.getBoolean("success")).isTrue();
        assertThat(answer.getJSONObject("result").getLong("expires_on")).isGreaterThan(Instant.now().plusSeconds(600).getEpochSecond());

        CompletableFuture<JSONObject> refusedAck = new CompletableFuture<>();
        refreshed.socket.emit("authorization", new Object[] {new JSONObject(Map.of("JWT", TestTokens.TOKENS.user("bob")))},
                args -> refusedAck.complete((JSONObject) args[0]));
        assertThat(refusedAck.get(10, TimeUnit.SECONDS).getBoolean("success")).as("another user's token").isFalse();

        Await.until("token-expired", WAIT, () -> expiring.names(), names -> names.contains("token-expired"));
        Await.until("then disconnected", WAIT, () -> expiring.disconnectReason, r -> r != null);
        assertThat(expiring.disconnectReason).isEqualTo("io server disconnect");

        String after = job(MINE, UUID.randomUUID().toString(), JobStatus.DONE);
        Await.until("the refreshed connection goes on", WAIT, () -> refreshed.dataKeys("cc"), keys -> keys.contains(after));
        assertThat(refreshed.connected).isTrue();
        assertThat(refreshed.names()).doesNotContain("token-expired");
    }

    // --- client -------------------------------------------------------------------------------------------

    record Event(String name, Object payload) {
    }

    /** A socket.io client with default options but the path and the auth payload, recording what it gets. */
    final class Client {
        final Socket socket;
        final List<Event> events = new CopyOnWriteArrayList<>();
        final List<Object> errors = new CopyOnWriteArrayList<>();
        volatile boolean connected;
        volatile JSONObject connectError;
        volatile String disconnectReason;

        Client(Map<String, Object> auth) {
            SocketOptionBuilder options = SocketOptionBuilder.builder().setPath(SocketIoEndpoint.PATH);
            if (auth != null) {
                options.setAuth(jsonValues(auth));
            }
            socket = IO.socket(URI.create("http://127.0.0.1:" + endpoint.port()), options.build());
            socket.on(Socket.EVENT_CONNECT, args -> connected = true);
            socket.on(Socket.EVENT_CONNECT_ERROR, args -> connectError = args.length > 0 && args[0] instanceof JSONObject o ? o
                    : new JSONObject(Map.of("message", String.valueOf(args.length > 0 ? args[0] : null))));
            socket.on(Socket.EVENT_DISCONNECT, args -> {
                connected = false;
                disconnectReason = String.valueOf(args.length > 0 ? args[0] : null);
            });
            for (String name : List.of("cc", "project", "token-expired", "sync-error")) {
                socket.on(name, args -> events.add(new Event(name, args.length > 0 ? args[0] : null)));
            }
            socket.connect();
        }

        List<String> names() {
            return events.stream().map(Event::name).toList();
        }

        List<JSONObject> changes(String stream) {
            List<JSONObject> changes = new ArrayList<>();
            for (Event event : events) {
                if (event.name().equals(stream)) {
                    if (!(event.payload() instanceof JSONArray array) || array.length() == 0) {
                        errors.add("not a non-empty JSON array: " + event.payload());
                        continue;
                    }
                    for (int i = 0; i < array.length(); i++) {
                        changes.add(array.optJSONObject(i));
                    }
                }
            }
            return changes;
        }

        List<String> dataKeys(String stream) {
            return changes(stream).stream().map(c -> c.optString("data_key")).toList();
        }

        void close() {
            socket.close();
        }
    }

    private Client connect(Map<String, Object> auth) {
        Client client = new Client(auth);
        clients.add(client);
        return client;
    }

    /**
     * The Java client types its auth as a map of strings but sends it through {@code new JSONObject(map)}: cursors
     * given as numbers stay JSON numbers, as a JavaScript client sends them.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Map<String, String> jsonValues(Map<String, Object> auth) {
        return (Map) auth;
    }

    private static Map<String, Object> auth(String jwt, Object... more) {
        Map<String, Object> auth = new HashMap<>();
        auth.put("JWT", jwt);
        for (int i = 0; i < more.length; i += 2) {
            auth.put((String) more[i], more[i + 1]);
        }
        return auth;
    }

    private static String shortLived(String user, int seconds) {
        Instant now = Instant.now();
        return TestTokens.TOKENS.mint(new com.nimbusds.jwt.JWTClaimsSet.Builder().subject(user)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(seconds))).build());
    }

    // --- publishing ---------------------------------------------------------------------------------------

    private void membership(String project, String user, String status) {
        var m = new ProjectMembership(SchemaVersion.V1, project, user, List.of("member"), status);
        publisher.publish(Topics.MEMBERSHIPS, m.key(), m, ProjectMembership.CE_TYPE, null, m.key()).block(WAIT);
    }

    private String job(String project, String token, JobStatus status) {
        return JobEvents.publish(publisher, project, token, status);
    }

    private String dataChanged(String project, String reason) {
        String token = UUID.randomUUID().toString();
        var event = new ProjectDataChanged(SchemaVersion.V1, UUID.randomUUID().toString(), project, reason, token, 1,
                List.of("pesaje"), 2.5);
        publisher.publish(Topics.PROJECT_EVENTS, project, event, ProjectDataChanged.CE_TYPE, event.eventId(), token).block(WAIT);
        return token;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
