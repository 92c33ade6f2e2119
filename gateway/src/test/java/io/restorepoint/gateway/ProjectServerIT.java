package io.restorepoint.gateway;

import io.restorepoint.devinfra.DatabaseServer;
import io.restorepoint.devinfra.Sql;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A project on another database server (issue 16): the gateway reads its database there (stats, export) and
 * every job command it sends names that server, so the worker connects there. The default server holds a
 * database of the same name with other data, which must never be what is read.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ProjectServerIT {

    static final String DATABASE = SharedInfra.freshDatabase("far");

    @DynamicPropertySource
    static void infra(DynamicPropertyRegistry registry) {
        DatabaseServer second = SharedInfra.secondDatabase();
        second.createDatabase(DATABASE);
        Sql.execute(SharedInfra.database().connectionFactory(DATABASE), "CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1)");
        Sql.execute(second.connectionFactory(DATABASE), "CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1), (2), (3)",
                "CREATE TABLE only_there (id INT PRIMARY KEY)");
        StackProperties.forService(SharedInfra.freshDatabase("gw_far")).forEach((k, v) -> registry.add(k, () -> v));
        registry.add("restorepoint.servers.second.host", second::host);
        registry.add("restorepoint.servers.second.port", () -> Integer.toString(second.port()));
        registry.add("restorepoint.servers.second.user", second::user);
        registry.add("restorepoint.servers.second.password", second::password);
        registry.add("restorepoint.gateway.bootstrap-projects[0].id", () -> "far");
        registry.add("restorepoint.gateway.bootstrap-projects[0].database", () -> DATABASE);
        registry.add("restorepoint.gateway.bootstrap-projects[0].server", () -> "second");
        registry.add("restorepoint.gateway.bootstrap-projects[0].owner", () -> "root");
        registry.add("RP_DEFAULT_PROJECT", () -> "far");
        registry.add("RP_STORE_DIR", () -> SharedInfra.dir().resolve("gw-far-store").toString());
    }

    @LocalServerPort
    int port;

    private WebTestClient http() {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(60)).build();
    }

    @Test
    void statsAndExportReadTheProjectsOwnServer() {
        String admin = "Bearer " + TestTokens.TOKENS.admin("root");
        JsonNode stats = http().get().uri("/api/backup/stats").header(HttpHeaders.AUTHORIZATION, admin)
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(stats.get("tables").get("t").asLong()).isEqualTo(3);
        assertThat(stats.get("tables").has("only_there")).isTrue();

        JsonNode export = Json.MAPPER.readTree(http().get().uri("/api/backup/export").header(HttpHeaders.AUTHORIZATION, admin)
                .exchange().expectStatus().isOk().expectBody(byte[].class).returnResult().getResponseBody());
        assertThat(export.get("data").get("t").size()).isEqualTo(3);
    }

    @Test
    void adminsSeeTheServersWithoutTheirPasswords() {
        JsonNode servers = http().get().uri("/api/servers").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.TOKENS.admin("root"))
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody().get("result").get("servers");
        assertThat(servers).hasSize(2);
        JsonNode second = servers.get(1);
        assertThat(second.get("name").asString()).isEqualTo("second");
        assertThat(second.get("port").asInt()).isEqualTo(SharedInfra.secondDatabase().port());
        String password = SharedInfra.secondDatabase().password();
        assertThat(second.get("password").asString()).isEqualTo(password == null || password.isEmpty() ? "none" : "set");
        assertThat(second.has("secret")).isFalse();
        assertThat(second.propertyNames()).containsExactly("name", "host", "port", "user", "ssl_mode", "password", "max_connections", "default");
        http().get().uri("/api/servers").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.TOKENS.user("root"))
                .exchange().expectStatus().isForbidden();
    }

    @Test
    void everyJobCommandNamesTheProjectsServer() {
        JsonNode created = http().post().uri("/api/p/far/backups/create")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.TOKENS.user("root"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"created_by\":\"test\"}")
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        String token = created.get("result").get("job.token").asString();
        var commands = KafkaProbe.await(SharedInfra.kafka(), Topics.COMMANDS.name(),
                r -> r.value() != null && r.value().contains(token), 1, Duration.ofSeconds(20));
        JsonNode command = Json.MAPPER.readTree(commands.get(0).value());
        assertThat(command.get("database").asString()).isEqualTo(DATABASE);
        assertThat(command.get("server").asString()).isEqualTo("second");
    }
}
