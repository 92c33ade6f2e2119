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

        // a document that carries the session table too (as a hand-made or older export may): it is skipped
        var withSessions = (tools.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(document);
        var sessions = ((tools.jackson.databind.node.ObjectNode) withSessions.get("data")).putArray("sesiones");
        sessions.addObject().put("id", "00000000-0000-4000-8000-999999999991").put("usuario_id", 1);
        sessions.addObject().put("id", "00000000-0000-4000-8000-999999999992").put("usuario_id", 1);
        Api.Response imported = Api.post(stack.gatewayUrl() + "/api/backup/import", token, Json.MAPPER.writeValueAsString(withSessions));
        assertThat(imported.status()).as(String.valueOf(imported.body())).isEqualTo(200);
        JsonNode body = imported.body();
        assertThat(body.get("imported").has("sesiones")).as("imported lists only the tables the import writes").isFalse();
        assertThat(body.get("skipped").get("sesiones").asLong()).isEqualTo(2);
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

    @Test
    void anImportTheServerRefusesIsRolledBackAndLeavesNoStagedFiles() throws Exception {
        LocalStack stack = StackFixture.stack();
        String token = stack.adminToken();
        var db = stack.database().connectionFactory(LocalStack.DEMO_DATABASE);
        // another transaction holds the key the import writes, past the lock wait: the server refuses the
        // import (a lock timeout is not one of the errors INSERT IGNORE ignores) after its first row went in
        io.r2dbc.spi.Connection holder = reactor.core.publisher.Mono.from(db.create()).block(Duration.ofSeconds(10));
        Object timeout = Sql.scalar(db, "SELECT @@GLOBAL.innodb_lock_wait_timeout");
        try {
            run(holder, "SET autocommit = 0");
            run(holder, "INSERT INTO auditoria (id, accion, tabla, fecha) VALUES (990002, 'held', 't', NOW(3))");
            Sql.execute(db, "SET GLOBAL innodb_lock_wait_timeout = 2");
            String document = "{\"version\":\"2.0\",\"data\":{\"auditoria\":["
                    + "{\"id\":990001,\"accion\":\"x\",\"tabla\":\"t\",\"fecha\":\"2024-03-15T10:00:00.000Z\"},"
                    + "{\"id\":990002,\"accion\":\"x\",\"tabla\":\"t\",\"fecha\":\"2024-03-15T10:00:00.000Z\"}]}}";
            Api.Response refused = Api.post(stack.gatewayUrl() + "/api/backup/import", token, document);
            assertThat(refused.status()).as(String.valueOf(refused.body())).isEqualTo(422);
            String job = refused.body().get("result").get("info").get("job.token").asString();
            JsonNode end = Jobs.awaitEnd(stack, token, job, Duration.ofSeconds(60));
            assertThat(end.get("status").asString()).isEqualTo("rejected");
            assertThat(end.get("failure").get("reason").asString()).contains("auditoria");
            java.nio.file.Path staged = stack.storeDir().resolve(".staging").resolve("imports").resolve(job);
            assertThat(staged).as("the refused import's staged files are removed").doesNotExist();
        } finally {
            Sql.execute(db, "SET GLOBAL innodb_lock_wait_timeout = " + timeout);
            run(holder, "ROLLBACK");
            reactor.core.publisher.Mono.from(holder.close()).block(Duration.ofSeconds(10));
        }
        assertThat(Sql.scalar(db, "SELECT COUNT(*) FROM auditoria WHERE id IN (990001, 990002)"))
                .as("all or nothing: the row before the refused one is not kept").isEqualTo(0L);
    }

    private static void run(io.r2dbc.spi.Connection connection, String sql) {
        reactor.core.publisher.Flux.from(connection.createStatement(sql).execute())
                .concatMap(io.r2dbc.spi.Result::getRowsUpdated).then().block(Duration.ofSeconds(10));
    }
}
