package io.restorepoint.gateway;

import io.restorepoint.schemas.Topics;
import io.restorepoint.schemas.kafka.Json;
import io.restorepoint.testsupport.KafkaProbe;
import io.restorepoint.testsupport.SharedInfra;
import io.restorepoint.testsupport.StackProperties;
import io.restorepoint.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The members API (issue 16): owners and admins manage members, every change shows in 403s and on the membership topic. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MembersIT {

    static final String PROJECT = "team-" + UUID.randomUUID().toString().substring(0, 8);

    @DynamicPropertySource
    static void infra(DynamicPropertyRegistry registry) {
        StackProperties.forService(SharedInfra.freshDatabase("gw_members")).forEach((k, v) -> registry.add(k, () -> v));
        registry.add("restorepoint.gateway.bootstrap-projects[0].id", () -> PROJECT);
        registry.add("restorepoint.gateway.bootstrap-projects[0].database", () -> "team_db");
        registry.add("restorepoint.gateway.bootstrap-projects[0].owner", () -> "olga");
        registry.add("RP_STORE_DIR", () -> SharedInfra.dir().resolve("gw-members-store").toString());
    }

    @LocalServerPort
    int port;

    private JsonNode call(String method, String path, String user, String body, int status) {
        String auth = "Bearer " + (user.equals("admin") ? TestTokens.TOKENS.admin("root") : TestTokens.TOKENS.user(user));
        WebTestClient http = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(30)).build();
        var spec = method.equals("GET") ? http.get().uri("/api/p/" + PROJECT + path)
                : http.post().uri("/api/p/" + PROJECT + path).contentType(MediaType.APPLICATION_JSON).bodyValue(body);
        return spec.header(HttpHeaders.AUTHORIZATION, auth).exchange().expectStatus().isEqualTo(status)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    static JsonNode published(String user, String status) {
        return Json.MAPPER.readTree(KafkaProbe.await(SharedInfra.kafka(), Topics.MEMBERSHIPS.name(),
                r -> r.value() != null && r.value().contains(PROJECT) && r.value().contains("\"" + user + "\"")
                        && r.value().contains("\"" + status + "\""), 1, Duration.ofSeconds(20)).get(0).value());
    }

    @Test
    void ownersAddPromoteAndRemoveMembersAndTheLastOwnerStays() {
        call("GET", "/init", "bob", null, 403);
        JsonNode added = call("POST", "/members/add", "olga", "{\"user\":\"bob\"}", 200).get("result").get("members");
        assertThat(added.findValuesAsString("user")).containsExactly("bob", "olga");
        assertThat(published("bob", "active")).isNotNull();
        call("GET", "/init", "bob", null, 200);

        // a plain member manages nothing; a second add is refused
        call("POST", "/members/add", "bob", "{\"user\":\"carol\"}", 403);
        call("GET", "/members", "bob", null, 403);
        assertThat(call("POST", "/members/add", "olga", "{\"user\":\"bob\"}", 422).get("result").get("code").asInt()).isEqualTo(1003);

        // the last owner can neither leave nor step down
        JsonNode last = call("POST", "/members/remove", "olga", "{\"user\":\"olga\"}", 422);
        assertThat(last.get("result").get("message").asString()).contains("last owner");
        call("POST", "/members/update", "olga", "{\"user\":\"olga\",\"role\":\"member\"}", 422);

        // with a second owner she can
        call("POST", "/members/update", "olga", "{\"user\":\"bob\",\"role\":\"owner\"}", 200);
        JsonNode after = call("POST", "/members/remove", "bob", "{\"user\":\"olga\"}", 200).get("result").get("members");
        assertThat(after.findValuesAsString("user")).containsExactly("bob");
        assertThat(published("olga", "removed")).isNotNull();
        call("GET", "/init", "olga", null, 403);

        // admins manage any project; bad input names the field
        call("POST", "/members/add", "admin", "{\"user\":\"olga\",\"role\":\"owner\"}", 200);
        assertThat(call("POST", "/members/add", "admin", "{\"user\":\"dan\",\"role\":\"boss\"}", 422)
                .get("result").get("info").get("parameter").asString()).isEqualTo("role");
        assertThat(call("POST", "/members/remove", "admin", "{\"user\":\"nobody\"}", 422)
                .get("result").get("info").get("parameter").asString()).isEqualTo("user");
        call("POST", "/members/add", "admin", "{}", 400);
        assertThat(call("GET", "/members", "admin", null, 200).get("result").get("members").findValuesAsString("user"))
                .containsExactly("bob", "olga");
    }
}
