package io.restorepoint.gateway;

import io.restorepoint.devinfra.DevTokens;
import io.restorepoint.testsupport.SharedInfra;
import io.restorepoint.testsupport.StackProperties;
import io.restorepoint.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-caller rate limit: a burst passes, the next request is 429 in the envelope with Retry-After, others go on. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RateLimitIT {

    @DynamicPropertySource
    static void infra(DynamicPropertyRegistry registry) {
        StackProperties.forService(SharedInfra.freshDatabase("gw_ratelimit")).forEach((k, v) -> registry.add(k, () -> v));
        registry.add("RP_JWT_ISSUER", () -> DevTokens.ISSUER);
        registry.add("RP_JWT_AUDIENCE", () -> DevTokens.AUDIENCE);
        registry.add("RP_STORE_DIR", () -> SharedInfra.dir().resolve("ratelimit-store").toString());
        registry.add("RP_RATE_LIMIT_ENABLED", () -> "true");
        registry.add("RP_RATE_LIMIT_PER_MINUTE", () -> "2");
        registry.add("RP_RATE_LIMIT_BURST", () -> "5");
    }

    @LocalServerPort
    int port;

    @Test
    void aCallerPastTheBurstIsToldToWaitAndOthersAreNot() {
        WebTestClient http = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(30)).build();
        String alice = TestTokens.TOKENS.user("alice");
        for (int i = 0; i < 5; i++) {
            http.get().uri("/api/p/nope/init").header(HttpHeaders.AUTHORIZATION, "Bearer " + alice).exchange()
                    .expectStatus().value(status -> assertThat(status).isNotEqualTo(429));
        }
        JsonNode refused = http.get().uri("/api/p/nope/init").header(HttpHeaders.AUTHORIZATION, "Bearer " + alice).exchange()
                .expectStatus().isEqualTo(429)
                .expectHeader().value(HttpHeaders.RETRY_AFTER, wait -> assertThat(Long.parseLong(wait)).isBetween(1L, 30L))
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(refused.get("success").asBoolean()).isFalse();
        assertThat(refused.get("result").get("code").asInt()).isEqualTo(429);

        http.get().uri("/api/p/nope/init").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.TOKENS.user("bob")).exchange()
                .expectStatus().value(status -> assertThat(status).isNotEqualTo(429));
        http.get().uri("/actuator/health").exchange().expectStatus().isOk(); // not limited: outside /api
    }
}
