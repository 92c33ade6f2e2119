package io.restorepoint.system;

import io.restorepoint.devinfra.Sql;
import io.restorepoint.local.LocalStack;
import io.restorepoint.schemas.kafka.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The table export/import API of the first seed, end to end. */
class ImportIT {

    @Test
    void importInsertsOnlyWhatIsMissingAndReportsBothCounts() throws Exception {
        LocalStack stack = StackFixture.stack();
        String token = stack.adminToken();
        HttpResponse<byte[]> export = Api.client().send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/api/backup/export"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(export.headers().firstValue("Content-Disposition").orElse("")).startsWith("attachment");
        String document = new String(export.body(), java.nio.charset.StandardCharsets.UTF_8);
        long pesaje = Json.MAPPER.readTree(export.body()).get("counts").get("pesaje").asLong();

        var db = stack.database().connectionFactory(LocalStack.DEMO_DATABASE);
        Sql.execute(db, "SET SESSION foreign_key_checks = 0", "DELETE FROM pesaje WHERE ID IN (SELECT ID FROM (SELECT ID FROM pesaje "
                + "ORDER BY ID DESC LIMIT 37) t)", "DELETE FROM auditoria WHERE id <= 5");

        Api.Response imported = Api.post(stack.gatewayUrl() + "/api/backup/import", token, document);
        assertThat(imported.status()).as(String.valueOf(imported.body())).isEqualTo(200);
        JsonNode body = imported.body();
        assertThat(body.get("success").asBoolean()).isTrue();
        assertThat(body.get("imported").get("pesaje").asLong()).isEqualTo(37);
        assertThat(body.get("skipped").get("pesaje").asLong()).isEqualTo(pesaje - 37);
        assertThat(body.get("imported").get("auditoria").asLong()).isEqualTo(5);
        assertThat(body.get("imported").get("usuarios").asLong()).isZero();
        assertThat(body.get("imported").has("sesiones")).isFalse();
        assertThat(Sql.scalar(db, "SELECT COUNT(*) FROM pesaje")).isEqualTo(pesaje);

        Api.Response again = Api.post(stack.gatewayUrl() + "/api/backup/import", token, document);
        assertThat(again.status()).isEqualTo(200);
        long insertedAgain = 0;
        for (JsonNode n : again.body().get("imported")) {
            insertedAgain += n.asLong();
        }
        assertThat(insertedAgain).as("a second identical import inserts nothing").isZero();

        HttpResponse<String> async = Api.client().send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/api/backup/import"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json").header("Prefer", "respond-async")
                .POST(HttpRequest.BodyPublishers.ofString(document)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(async.statusCode()).isEqualTo(202);
        String job = Json.MAPPER.readTree(async.body()).get("result").get("job.token").asString();
        JsonNode end = Jobs.awaitEnd(stack, token, job, Duration.ofSeconds(60));
        assertThat(end.get("status").asString()).isEqualTo("done");
        assertThat(end.get("job").asString()).isEqualTo("import_data");

        JsonNode stats = Api.get(stack.gatewayUrl() + "/api/backup/stats", token).body();
        assertThat(stats.get("tables").get("pesaje").asLong()).isEqualTo(pesaje);
    }
}
