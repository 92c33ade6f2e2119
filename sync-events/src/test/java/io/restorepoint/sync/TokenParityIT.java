package io.restorepoint.sync;

import io.restorepoint.devinfra.DevTokens;
import io.restorepoint.messaging.ContractPublisher;
import io.restorepoint.schemas.SchemaVersion;
import io.restorepoint.schemas.Topics;
import io.restorepoint.schemas.membership.ProjectMembership;
import io.restorepoint.sync.socketio.SocketIoEndpoint;
import io.restorepoint.testsupport.Await;
import io.restorepoint.testsupport.SharedInfra;
import io.restorepoint.testsupport.StackProperties;
import io.restorepoint.testsupport.TestTokens;
import io.restorepoint.web.security.TokenVerifier;
import io.socket.client.IO;
import io.socket.client.Socket;
import io.socket.client.SocketOptionBuilder;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two ways into sync-events, {@code POST /sync/get} over HTTP and the Socket.IO handshake, answer the same
 * token and the same origin the same way: a valid token is let in, an expired one and one signed with another key
 * are a 401 with the same reason, a non-member is a 403 with the same message, and with
 * {@code restorepoint.security.cors-origins} set an origin outside it is refused by both. Both go through
 * web-common's {@link TokenVerifier} and {@code OriginPolicy}; this test keeps them from drifting apart.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TokenParityIT {

    static final String ALLOWED_ORIGIN = "https://console.example";
    static final String OTHER_ORIGIN = "https://elsewhere.example";
    static final String THEIRS = "parity-" + UUID.randomUUID().toString().substring(0, 6);
    static final Duration WAIT = Duration.ofSeconds(20);
    static final JsonMapper JSON = JsonMapper.builder().build();

    @DynamicPropertySource
    static void infra(DynamicPropertyRegistry registry) {
        StackProperties.forService(SharedInfra.freshDatabase("parity")).forEach((k, v) -> registry.add(k, () -> v));
        registry.add("restorepoint.sync.socket-io-port", () -> "0");
        registry.add("restorepoint.security.cors-origins", () -> ALLOWED_ORIGIN);
    }

    @Autowired
    ContractPublisher publisher;

    @Autowired
    SocketIoEndpoint endpoint;

    @LocalServerPort
    int port;

    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    @BeforeEach
    void theirProject() {
        var m = new ProjectMembership(SchemaVersion.V1, THEIRS, "bob", List.of("owner"), "active");
        publisher.publish(Topics.MEMBERSHIPS, m.key(), m, ProjectMembership.CE_TYPE, null, m.key()).block(WAIT);
    }

    @AfterEach
    void close() {
        sockets.forEach(Socket::close);
    }

    @Test
    void aValidTokenIsLetInByBoth() {
        String token = TestTokens.TOKENS.user("alice");
        assertThat(http(token, null, null).status()).isEqualTo(200);
        assertThat(socket(token, null, null).connected()).isTrue();
    }

    @Test
    void anExpiredTokenIsA401WithTheSameReason() {
        Instant now = Instant.now();
        String expired = TestTokens.TOKENS.mint(new com.nimbusds.jwt.JWTClaimsSet.Builder().subject("alice")
                .issueTime(Date.from(now.minusSeconds(600))).expirationTime(Date.from(now.minusSeconds(300))).build());
        sameRefusal(expired, 401, TokenVerifier.EXPIRED);
    }

    @Test
    void aTokenSignedWithAnotherKeyOrMalformedIsA401WithTheSameReason() {
        sameRefusal(new DevTokens("another-secret-that-is-long-enough-0123456789").user("alice"), 401, TokenVerifier.INVALID);
        sameRefusal("not.a.jwt", 401, TokenVerifier.INVALID);
    }

    @Test
    void aNonMemberIsA403WithTheSameMessage() {
        String alice = TestTokens.TOKENS.user("alice");
        Answer http = Await.until("the membership of " + THEIRS + " known", WAIT,
                () -> http(TestTokens.TOKENS.user("bob"), THEIRS, null), a -> a.status() == 200);
        assertThat(http.status()).isEqualTo(200);
        Answer refused = http(alice, THEIRS, null);
        Answer socket = socket(alice, THEIRS, null);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(socket.status()).isEqualTo(403);
        assertThat(socket.reason()).isEqualTo(refused.reason()).isNotBlank();
    }

    @Test
    void anOriginOutsideTheConfiguredOnesIsRefusedByBoth() {
        String token = TestTokens.TOKENS.user("alice");
        assertThat(http(token, null, ALLOWED_ORIGIN).status()).isEqualTo(200);
        assertThat(socket(token, null, ALLOWED_ORIGIN).connected()).isTrue();
        assertThat(http(token, null, OTHER_ORIGIN).status()).isEqualTo(403);
        assertThat(socket(token, null, OTHER_ORIGIN).connected()).isFalse();
    }

    private void sameRefusal(String token, int status, String reason) {
        Answer http = http(token, null, null);
        Answer socket = socket(token, null, null);
        assertThat(http.status()).isEqualTo(status);
        assertThat(socket.status()).isEqualTo(status);
        assertThat(http.reason()).as("HTTP: the WWW-Authenticate error_description").isEqualTo(reason);
        assertThat(socket.reason()).as("Socket.IO: the connect error's reason").isEqualTo(reason);
    }

    /** An answer: the status (200 for a Socket.IO connection), and the reason or message given with a refusal. */
    record Answer(int status, String reason) {
        boolean connected() {
            return status == 200;
        }
    }

    private Answer http(String token, String project, String origin) {
        WebClient.RequestBodySpec request = WebClient.create("http://127.0.0.1:" + port).post().uri("/sync/get")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token).contentType(MediaType.APPLICATION_JSON);
        if (origin != null) {
            request.header(HttpHeaders.ORIGIN, origin);
        }
        return request.bodyValue(project == null ? "{\"cc.cursor\":0,\"limit\":1}" : "{\"cc.cursor\":0,\"limit\":1,\"project\":\"" + project + "\"}")
                .exchangeToMono(r -> r.bodyToMono(String.class).defaultIfEmpty("").map(body -> {
                    int status = r.statusCode().value();
                    String challenge = r.headers().asHttpHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE);
                    if (status == 401 && challenge != null && challenge.contains("error_description=\"")) {
                        String from = challenge.substring(challenge.indexOf("error_description=\"") + 19);
                        return new Answer(status, from.substring(0, from.indexOf('"')));
                    }
                    JsonNode json = body.startsWith("{") ? JSON.readTree(body) : null;
                    return new Answer(status, json == null ? body : json.at("/result/message").asString());
                }))
                .block(WAIT);
    }

    private Answer socket(String token, String project, String origin) {
        SocketOptionBuilder options = SocketOptionBuilder.builder().setPath(SocketIoEndpoint.PATH);
        Map<String, String> auth = new HashMap<>();
        auth.put("JWT", token);
        if (project != null) {
            auth.put("project", project);
        }
        options.setAuth(auth);
        if (origin != null) {
            options.setExtraHeaders(Map.of("Origin", List.of(origin)));
        }
        Socket socket = IO.socket(URI.create("http://127.0.0.1:" + endpoint.port()), options.build());
        sockets.add(socket);
        AtomicReference<Answer> answer = new AtomicReference<>();
        socket.on(Socket.EVENT_CONNECT, args -> answer.set(new Answer(200, null)));
        socket.on(Socket.EVENT_CONNECT_ERROR, args -> {
            if (args.length > 0 && args[0] instanceof JSONObject error && error.optJSONObject("data") != null) {
                JSONObject data = error.optJSONObject("data");
                answer.set(new Answer(data.optInt("code"), data.has("reason") ? data.optString("reason") : error.optString("message")));
            } else { // refused before the Socket.IO handshake (the origin check): a transport error
                answer.set(new Answer(403, String.valueOf(args.length > 0 ? args[0] : null)));
            }
        });
        socket.connect();
        Answer result = Await.until("an answer from the Socket.IO endpoint", WAIT, answer::get, a -> a != null);
        socket.close();
        return result;
    }
}
