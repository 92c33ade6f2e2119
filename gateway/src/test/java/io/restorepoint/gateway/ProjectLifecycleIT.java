package io.restorepoint.gateway;

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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The projects API (issue 16): register on a named server, validate, rename, archive and reactivate, delete. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ProjectLifecycleIT {

    static final String CONTROL = SharedInfra.freshDatabase("gw_life");
    static final Path STORE = SharedInfra.dir().resolve("gw-life-store-" + UUID.randomUUID().toString().substring(0, 8));
    static final String ADMIN = "Bearer " + TestTokens.TOKENS.admin("root");

    @DynamicPropertySource
    static void infra(DynamicPropertyRegistry registry) {
        var second = SharedInfra.secondDatabase();
        StackProperties.forService(CONTROL).forEach((k, v) -> registry.add(k, () -> v));
        registry.add("restorepoint.servers.second.host", second::host);
        registry.add("restorepoint.servers.second.port", () -> Integer.toString(second.port()));
        registry.add("restorepoint.servers.second.user", second::user);
        registry.add("restorepoint.servers.second.password", second::password);
        registry.add("RP_STORE_DIR", STORE::toString);
        registry.add("restorepoint.gateway.schedules.poll-interval", () -> "100ms");
        registry.add("restorepoint.gateway.schedules.retention-interval", () -> "1s");
    }

    @LocalServerPort
    int port;

    private JsonNode call(String method, String uri, String auth, String body, int status) {
        var spec = (method.equals("GET") ? http().get().uri(uri) : http().post().uri(uri).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body == null ? "{}" : body));
        return spec.header(HttpHeaders.AUTHORIZATION, auth).exchange().expectStatus().isEqualTo(status)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private WebTestClient http() {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(30)).build();
    }

    static String id(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aProjectIsRegisteredOnANamedServerAndItsOwnerIsItsFirstMember() {
        String id = id("life");
        JsonNode created = call("POST", "/api/projects/create", ADMIN,
                "{\"id\":\"" + id + "\",\"name\":\"Shop\",\"database\":\"shop_db\",\"server\":\"second\",\"owner\":\"olga\"}", 200);
        JsonNode project = created.get("result").get("project");
        assertThat(project.get("server").asString()).isEqualTo("second");
        assertThat(project.get("status").asString()).isEqualTo("active");
        assertThat(project.get("owner").asString()).isEqualTo("olga");
        assertThat(project.get("next_version").asInt()).isEqualTo(1);

        JsonNode listed = call("GET", "/api/projects", ADMIN, null, 200).get("result").get("projects");
        assertThat(listed.findValuesAsString("id")).contains(id);
        call("GET", "/api/p/" + id + "/init", "Bearer " + TestTokens.TOKENS.user("olga"), null, 200);
        call("GET", "/api/p/" + id + "/init", "Bearer " + TestTokens.TOKENS.user("mallory"), null, 403);
        var membership = KafkaProbe.await(SharedInfra.kafka(), Topics.MEMBERSHIPS.name(),
                r -> r.value() != null && r.value().contains(id) && r.value().contains("olga"), 1, Duration.ofSeconds(20));
        assertThat(Json.MAPPER.readTree(membership.get(0).value()).get("status").asString()).isEqualTo("active");

        JsonNode audit = call("GET", "/api/audit?project=" + id, ADMIN, null, 200).get("result").get("entries");
        assertThat(audit.toString()).contains("projects/create");

        JsonNode again = call("POST", "/api/projects/create", ADMIN, "{\"id\":\"" + id + "\",\"database\":\"other\"}", 422);
        assertThat(again.get("result").get("code").asInt()).isEqualTo(1003);
        assertThat(again.get("result").get("message").asString()).contains("already exists");
    }

    @Test
    void badInputIsRefusedNamingTheFieldAndChangesNothing() {
        int before = call("GET", "/api/projects", ADMIN, null, 200).get("result").get("projects").size();
        String[][] cases = {
                {"{\"id\":\"has space\",\"database\":\"d\"}", "422", "id"},
                {"{\"id\":\"ok-1\",\"database\":\"bad`name\"}", "422", "database"},
                {"{\"id\":\"ok-2\",\"database\":\"d\",\"server\":\"nowhere\"}", "422", "server"},
                {"{\"id\":\"ok-3\"}", "400", "database"},
                {"[1,2]", "400", null},
        };
        for (String[] c : cases) {
            JsonNode refused = call("POST", "/api/projects/create", ADMIN, c[0], Integer.parseInt(c[1]));
            assertThat(refused.get("success").asBoolean()).isFalse();
            if (c[2] != null) {
                assertThat(refused.get("result").get("info").get("parameter").asString()).as(c[0]).isEqualTo(c[2]);
            }
        }
        call("POST", "/api/projects/create", "Bearer " + TestTokens.TOKENS.user("olga"), "{\"id\":\"mine\",\"database\":\"d\"}", 403);
        call("GET", "/api/projects", "Bearer " + TestTokens.TOKENS.user("olga"), null, 403);
        assertThat(call("GET", "/api/projects", ADMIN, null, 200).get("result").get("projects").size()).isEqualTo(before);
    }

    @Test
    void anArchivedProjectKeepsItsBackupsTakesNoNewOnesAndCanComeBack() {
        String id = id("arch");
        call("POST", "/api/projects/create", ADMIN, "{\"id\":\"" + id + "\",\"database\":\"arch_db\",\"owner\":\"olga\"}", 200);
        JsonNode archived = call("POST", "/api/projects/" + id + "/update", ADMIN, "{\"name\":\"Old shop\",\"status\":\"archived\"}", 200)
                .get("result").get("project");
        assertThat(archived.get("status").asString()).isEqualTo("archived");
        assertThat(archived.get("name").asString()).isEqualTo("Old shop");
        String owner = "Bearer " + TestTokens.TOKENS.user("olga");
        call("POST", "/api/p/" + id + "/backups/create", owner, "{\"created_by\":\"t\"}", 403);
        call("POST", "/api/p/" + id + "/backups/create", ADMIN, "{\"created_by\":\"t\"}", 404);
        call("POST", "/api/projects/" + id + "/update", ADMIN, "{\"status\":\"gone\"}", 422);

        call("POST", "/api/projects/" + id + "/update", ADMIN, "{\"status\":\"active\"}", 200);
        call("GET", "/api/p/" + id + "/init", owner, null, 200);
        call("POST", "/api/projects/nope-" + UUID.randomUUID().toString().substring(0, 4) + "/update", ADMIN, "{\"name\":\"x\"}", 404);
    }

    @Test
    void retentionLeavesAnArchivedProjectsBackupsAlone() throws Exception {
        String id = id("keep");
        String owner = "Bearer " + TestTokens.TOKENS.user("olga");
        call("POST", "/api/projects/create", ADMIN, "{\"id\":\"" + id + "\",\"database\":\"keep_db\",\"owner\":\"olga\"}", 200);
        // a schedule that keeps one scheduled backup and never fires during the test (once a year)
        call("POST", "/api/p/" + id + "/backups/schedule", owner,
                "{\"name\":\"yearly\",\"cron\":\"0 0 0 1 1 *\",\"keep_last\":1,\"keep_days\":0}", 200);
        call("POST", "/api/projects/" + id + "/update", ADMIN, "{\"status\":\"archived\"}", 200);
        var control = SharedInfra.database().connectionFactory(CONTROL);
        for (int v = 1; v <= 3; v++) {
            Sql.execute(control, "INSERT INTO backup_versions (project_gid, version, name, created_by, created_on, status, job_token, "
                    + "origin) VALUES ('" + id + "', " + v + ", 'Backup " + v + "', 'schedule:yearly', " + v + ", 'valid', '"
                    + UUID.randomUUID() + "', 'scheduled')");
        }
        String valid = "SELECT COUNT(*) FROM backup_versions WHERE project_gid = '" + id + "' AND status = 'valid'";
        Thread.sleep(3_000); // three retention sweeps
        assertThat(Sql.scalar(control, valid)).as("an archived project keeps its backups").isEqualTo(3L);

        call("POST", "/api/projects/" + id + "/update", ADMIN, "{\"status\":\"active\"}", 200);
        io.restorepoint.testsupport.Await.until("retention of the active project again", Duration.ofSeconds(20),
                () -> Sql.scalar(control, valid), n -> Long.valueOf(1L).equals(n));
    }

    @Test
    void aProjectWithBackupsIsDeletedOnlyWithThemAndNeverWhileAJobRuns() throws Exception {
        String id = id("del");
        call("POST", "/api/projects/create", ADMIN, "{\"id\":\"" + id + "\",\"database\":\"del_db\",\"owner\":\"olga\"}", 200);
        var control = SharedInfra.database().connectionFactory(CONTROL);
        Sql.execute(control, "INSERT INTO backup_versions (project_gid, version, name, created_by, created_on, status, job_token, origin) "
                + "VALUES ('" + id + "', 1, 'Backup 1', 't', 1, 'valid', '" + UUID.randomUUID() + "', 'manual')");
        Path artifact = Files.createDirectories(STORE.resolve(id).resolve("000001"));
        Files.writeString(artifact.resolve("manifest.json"), "{}");
        String job = UUID.randomUUID().toString();
        Sql.execute(control, "INSERT INTO jobs (token, project_gid, job, status, version, requested_by, created_on, updated_on) "
                + "VALUES ('" + job + "', '" + id + "', 'verify_backup', 'queued', 1, 'olga', 0, 0)");

        JsonNode running = call("POST", "/api/projects/" + id + "/delete", ADMIN, "{\"delete_backups\":true}", 422);
        assertThat(running.get("result").get("message").asString()).contains("unfinished job");
        Sql.execute(control, "UPDATE jobs SET status = 'done' WHERE token = '" + job + "'");

        JsonNode withBackups = call("POST", "/api/projects/" + id + "/delete", ADMIN, null, 422);
        assertThat(withBackups.get("result").get("message").asString()).contains("1 backup(s)").contains("delete_backups");
        assertThat(Files.exists(artifact)).as("nothing was deleted").isTrue();

        JsonNode deleted = call("POST", "/api/projects/" + id + "/delete", ADMIN, "{\"delete_backups\":true}", 200).get("result");
        assertThat(deleted.get("deleted_backups").asInt()).isEqualTo(1);
        assertThat(Files.exists(artifact)).isFalse();
        assertThat(call("GET", "/api/projects", ADMIN, null, 200).get("result").get("projects").findValuesAsString("id")).doesNotContain(id);
        assertThat(Sql.scalar(control, "SELECT COUNT(*) FROM jobs WHERE project_gid = '" + id + "'")).isEqualTo(0L);
        call("GET", "/api/p/" + id + "/init", "Bearer " + TestTokens.TOKENS.user("olga"), null, 403);
        var removed = KafkaProbe.await(SharedInfra.kafka(), Topics.MEMBERSHIPS.name(),
                r -> r.value() != null && r.value().contains(id) && r.value().contains("\"removed\""), 1, Duration.ofSeconds(20));
        assertThat(removed).isNotEmpty();
    }
}
