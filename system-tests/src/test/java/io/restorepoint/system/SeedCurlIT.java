package io.restorepoint.system;

import io.restorepoint.local.LocalStack;
import io.restorepoint.schemas.kafka.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every curl line and request example of the two seed documents, replayed against the running stack with
 * only the host, the token and the project id adapted, checking status and body shape field by field.
 */
class SeedCurlIT {

    private static final List<String> SEED_TABLES = List.of("areas", "catnp", "fallas", "pesaje", "usuarios", "turnos", "cadenas",
            "lineas", "categorias_scrap", "unidades", "roles", "tolerancias", "auditoria");

    @Test
    void scrapApiSeed() throws Exception {
        LocalStack stack = StackFixture.stack();
        String token = stack.adminToken();
        String base = stack.gatewayUrl();

        // curl -X GET http://localhost:3001/api/backup/export -H "Authorization: Bearer YOUR_TOKEN" -o backup.json
        Path backup = Files.createTempFile("backup", ".json");
        HttpResponse<Path> export = Api.client().send(HttpRequest.newBuilder(URI.create(base + "/api/backup/export"))
                .GET().header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofFile(backup));
        assertThat(export.statusCode()).isEqualTo(200);
        JsonNode doc = Json.MAPPER.readTree(backup.toFile());
        assertThat(Instant.parse(doc.get("exportDate").asString())).isBefore(Instant.now().plusSeconds(1));
        assertThat(doc.get("version").isString()).isTrue();
        assertThat(doc.get("version").asString()).isEqualTo("2.0");
        assertThat(doc.get("server").isString()).isTrue();
        assertThat(doc.get("data").propertyNames()).containsAll(SEED_TABLES).doesNotContain("sesiones");
        JsonNode area = doc.get("data").get("areas").get(0);
        assertThat(area.get("id").isIntegralNumber()).isTrue();
        assertThat(area.get("AREA").isString()).isTrue();
        assertThat(area.get("CADENA").isString()).isTrue();
        assertThat(area.get("activo").isIntegralNumber()).isTrue();
        JsonNode pesaje = doc.get("data").get("pesaje").get(0);
        assertThat(pesaje.get("ID").isIntegralNumber()).isTrue();
        assertThat(pesaje.get("AREA").isString()).isTrue();
        assertThat(pesaje.get("NP").isString()).isTrue();
        assertThat(pesaje.get("COSTO").isNumber()).isTrue();
        assertThat(pesaje.get("FECHA_REGISTRO").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        JsonNode usuario = doc.get("data").get("usuarios").get(0);
        assertThat(usuario.get("id").isIntegralNumber()).isTrue();
        assertThat(usuario.get("nombre").isString()).isTrue();
        assertThat(usuario.get("gafete").isString()).isTrue();
        assertThat(usuario.get("contra").asString()).startsWith("$2a$10$");
        assertThat(usuario.get("activo").isIntegralNumber()).isTrue();

        // curl -X POST http://localhost:3001/api/backup/import -H "Authorization: Bearer YOUR_TOKEN"
        //      -H "Content-Type: application/json" -d @backup.json
        HttpResponse<String> imported = Api.client().send(HttpRequest.newBuilder(URI.create(base + "/api/backup/import"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofFile(backup)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(imported.statusCode()).isEqualTo(200);
        JsonNode result = Json.MAPPER.readTree(imported.body());
        assertThat(result.get("success").asBoolean()).isTrue();
        assertThat(result.get("imported").propertyNames()).containsExactlyInAnyOrderElementsOf(
                result.get("imported").propertyNames().stream().filter(SEED_TABLES::contains).toList());
        assertThat(result.get("imported").propertyNames()).containsAll(SEED_TABLES);
        result.get("imported").forEach(n -> assertThat(n.isIntegralNumber()).isTrue());

        // curl -X GET http://localhost:3001/api/backup/stats -H "Authorization: Bearer YOUR_TOKEN"
        JsonNode stats = Api.get(base + "/api/backup/stats", token).body();
        assertThat(stats.get("tables").propertyNames()).containsAll(SEED_TABLES).contains("sesiones");
        stats.get("tables").forEach(n -> assertThat(n.isIntegralNumber()).isTrue());
        assertThat(stats.get("database_size_mb").asString()).matches("\\d+\\.\\d{2}");
        assertThat(Instant.parse(stats.get("timestamp").asString())).isNotNull();
        Files.deleteIfExists(backup);
    }

    @Test
    void theSeedsWebComponentOnALocalDevelopmentServerMayCallTheLocalStack() throws Exception {
        LocalStack stack = StackFixture.stack();
        assertThat(LocalStack.DEV_ORIGINS).contains("http://localhost:5173", "http://localhost:3000");
        for (String origin : LocalStack.DEV_ORIGINS) {
            HttpResponse<String> preflight = preflight(stack, origin);
            assertThat(preflight.statusCode()).as(origin).isEqualTo(200);
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).as(origin).contains(origin);
        }
        for (String origin : List.of("http://evil.example", "http://localhost:5174", "https://localhost:5173")) {
            assertThat(preflight(stack, origin).statusCode()).as(origin).isEqualTo(403);
        }
    }

    private static HttpResponse<String> preflight(LocalStack stack, String origin) throws Exception {
        return Api.client().send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/api/backup/stats"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", origin)
                .header("Access-Control-Request-Method", "GET").header("Access-Control-Request-Headers", "authorization")
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void unicatBackupSeed() {
        LocalStack stack = StackFixture.stack();
        String token = stack.adminToken();
        // POST /api/p/<project gid>/backups/create  Authorization: Bearer <JWT>
        Api.Response created = Api.post(stack.gatewayUrl() + "/api/p/demo/backups/create", token,
                "{\"created_by\":\"Update Catalog module (Unicat Connect)\",\"name\":\"Update Catalog pre-upload backup\"}");
        assertThat(created.status()).isEqualTo(200);
        // Unicat's clients keep their session token current from this header (the JWT, no prefix)
        assertThat(created.raw().headers().firstValue("Authorization")).contains(token);
        JsonNode body = created.body();
        assertThat(body.get("success").asBoolean()).isTrue();
        JsonNode result = body.get("result");
        assertThat(result.get("project").asString()).isEqualTo("demo");
        assertThat(result.get("version").isIntegralNumber()).isTrue();
        assertThat(result.get("last_backed_up").isFloatingPointNumber()).isTrue();
        assertThat(UUID.fromString(result.get("job.token").asString())).isNotNull();
        JsonNode backups = body.get("data").get("cc.projects").get("demo").get("backups");
        JsonNode entry = backups.get("versions").get(0);
        assertThat(entry.get("version").asInt()).isEqualTo(result.get("version").asInt());
        assertThat(entry.get("name").asString()).isEqualTo("Update Catalog pre-upload backup");
        assertThat(entry.get("created_by").asString()).isEqualTo("Update Catalog module (Unicat Connect)");
        assertThat(entry.get("timestamp").asDouble()).isEqualTo(result.get("last_backed_up").asDouble());
        assertThat(backups.get("next_version").asInt()).isEqualTo(result.get("version").asInt() + 1);
        assertThat(created.raw().body()).as("epoch seconds as plain floats").contains("\"last_backed_up\":1");

        // the sync event: { type, cursor, action, data_type, data_key, data {project_gid, job, status, info, created_on, updated_on, event_id, worker_id} }
        String job = result.get("job.token").asString();
        Jobs.awaitEnd(stack, token, job, Duration.ofSeconds(60));
        JsonNode event = WalkingSkeletonIT.jobEvents(stack, token, job).get(0);
        assertThat(event.get("type").asString()).isEqualTo("cc");
        assertThat(event.get("cursor").isIntegralNumber()).isTrue();
        assertThat(event.get("action").asString()).isEqualTo("UPDATE");
        assertThat(event.get("data_type").asString()).isEqualTo("jobs");
        assertThat(event.get("data_key").asString()).isEqualTo(job);
        JsonNode data = event.get("data");
        assertThat(data.get("project_gid").asString()).isEqualTo("demo");
        assertThat(data.get("job").asString()).isEqualTo("backup_project");
        assertThat(data.get("status").asString()).isIn("queued", "rejected", "processing", "done");
        assertThat(data.get("info").get("total").isIntegralNumber()).isTrue();
        assertThat(data.get("info").get("remaining").isIntegralNumber()).isTrue();
        assertThat(data.get("created_on").isNumber()).isTrue();
        assertThat(data.get("updated_on").isNumber()).isTrue();

        // 401 Unauthorized - missing or expired JWT; 403 Forbidden - not a member of this project
        Api.Response unauthorized = Api.post(stack.gatewayUrl() + "/api/p/demo/backups/create", null, "{\"created_by\":\"x\"}");
        assertThat(unauthorized.status()).isEqualTo(401);
        assertThat(unauthorized.raw().headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer realm=");
        Api.Response forbidden = Api.post(stack.gatewayUrl() + "/api/p/demo/backups/create", stack.tokens().user("stranger"),
                "{\"created_by\":\"x\"}");
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.body().get("result").get("code").asInt()).isEqualTo(403);
        assertThat(forbidden.body().get("data").isEmpty()).isTrue();
    }
}
