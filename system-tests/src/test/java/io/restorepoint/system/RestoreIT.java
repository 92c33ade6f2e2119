package io.restorepoint.system;

import io.restorepoint.devinfra.Sql;
import io.restorepoint.local.LocalStack;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Restore and verify over the API, on the running stack. */
class RestoreIT {

    @Test
    void restoreBringsBackTheBackupAfterASafetyBackupAndRefusesVersionsThatCannotBeRestored() {
        LocalStack stack = StackFixture.stack();
        String token = stack.adminToken();
        String[] created = Jobs.create(stack, token, "restore test").split("#");
        assertThat(Jobs.awaitEnd(stack, token, created[0], Duration.ofSeconds(60)).get("status").asString()).isEqualTo("done");
        int version = Integer.parseInt(created[1]);
        Map<String, Object> backedUp = Jobs.checksums(stack);

        var db = stack.database().connectionFactory(LocalStack.DEMO_DATABASE);
        Sql.execute(db, "SET SESSION foreign_key_checks = 0", "DELETE FROM pesaje WHERE ID % 2 = 0",
                "UPDATE areas SET AREA = CONCAT(AREA, ' *')", "DELETE FROM sesiones");
        Map<String, Object> changed = Jobs.checksums(stack);
        assertThat(changed).isNotEqualTo(backedUp);

        Api.Response restore = Api.post(stack.gatewayUrl() + "/api/p/demo/backups/restore", token, "{\"version\":" + version + "}");
        assertThat(restore.status()).isEqualTo(200);
        JsonNode result = restore.body().get("result");
        assertThat(result.get("version").asInt()).isEqualTo(version);
        assertThat(result.get("last_restored").asDouble()).isEqualTo(Jobs.version(stack, token, version).get("timestamp").asDouble());
        assertThat(restore.body().get("data").isEmpty()).isTrue();
        String job = result.get("job.token").asString();
        int safetyVersion = result.get("safety_backup").get("version").asInt();
        String safetyJob = result.get("safety_backup").get("job.token").asString();

        JsonNode end = Jobs.awaitEnd(stack, token, job, Duration.ofSeconds(90));
        assertThat(end.get("status").asString()).as(end.toString()).isEqualTo("done");
        assertThat(Jobs.checksums(stack)).as("the database equals the backup").isEqualTo(backedUp);
        assertThat(Jobs.state(stack, token, safetyJob).get("status").asString()).isEqualTo("done");
        JsonNode safety = Jobs.version(stack, token, safetyVersion);
        assertThat(safety.get("status").asString()).isEqualTo("valid");
        assertThat(safety.get("name").asString()).isEqualTo("Safety backup before restoring version " + version);
        assertThat(Jobs.statuses(stack, token, job)).startsWith("queued").endsWith("done");

        // the safety backup holds the data as it was before the restore: restoring it brings that back
        String undo = Api.post(stack.gatewayUrl() + "/api/p/demo/backups/restore", token, "{\"version\":" + safetyVersion + "}")
                .body().get("result").get("job.token").asString();
        assertThat(Jobs.awaitEnd(stack, token, undo, Duration.ofSeconds(90)).get("status").asString()).isEqualTo("done");
        assertThat(Jobs.checksums(stack)).isEqualTo(changed);

        for (String body : new String[] {"{\"version\":0}", "{\"version\":99999}", "{\"version\":-1}"}) {
            Api.Response refused = Api.post(stack.gatewayUrl() + "/api/p/demo/backups/restore", token, body);
            assertThat(refused.status()).as(body).isEqualTo(422);
            assertThat(refused.body().get("result").get("message").asString()).isEqualTo("backup version invalid");
        }
        assertThat(Api.post(stack.gatewayUrl() + "/api/p/demo/backups/restore", token, "{}").status()).isEqualTo(400);
        assertThat(Api.post(stack.gatewayUrl() + "/api/p/demo/backups/restore", token, "{\"version\":\"1\"}").status()).isEqualTo(422);
    }

    @Test
    void aCorruptedArtifactIsRefusedBeforeAnythingChangesAndVerifyFindsIt() throws Exception {
        LocalStack stack = StackFixture.stack();
        String token = stack.adminToken();
        String[] created = Jobs.create(stack, token, "corruption test").split("#");
        assertThat(Jobs.awaitEnd(stack, token, created[0], Duration.ofSeconds(60)).get("status").asString()).isEqualTo("done");
        int version = Integer.parseInt(created[1]);

        String verifyGood = Api.post(stack.gatewayUrl() + "/api/p/demo/backups/verify", token, "{\"version\":" + version + "}")
                .body().get("result").get("job.token").asString();
        JsonNode verified = Jobs.awaitEnd(stack, token, verifyGood, Duration.ofSeconds(60));
        assertThat(verified.get("status").asString()).as(verified.toString()).isEqualTo("done");
        assertThat(Jobs.version(stack, token, version).get("verified").get("status").asString()).isEqualTo("passed");

        Jobs.corrupt(stack, version, "pesaje");
        var db = stack.database().connectionFactory(LocalStack.DEMO_DATABASE);
        Sql.execute(db, "UPDATE turnos SET TURNO = CONCAT(TURNO, '!') WHERE id = 1");
        Map<String, Object> before = Jobs.checksums(stack);

        String job = Api.post(stack.gatewayUrl() + "/api/p/demo/backups/restore", token, "{\"version\":" + version + "}")
                .body().get("result").get("job.token").asString();
        JsonNode end = Jobs.awaitEnd(stack, token, job, Duration.ofSeconds(90));
        assertThat(end.get("status").asString()).isEqualTo("rejected");
        JsonNode failure = end.get("failure");
        assertThat(failure.get("code").asInt()).isEqualTo(1003);
        assertThat(failure.get("message").asString()).isEqualTo("Process error");
        assertThat(failure.get("process").asString()).isEqualTo("restore");
        assertThat(failure.get("reason").asString()).contains("table pesaje").contains("checksum");
        assertThat(failure.get("table").asString()).isEqualTo("pesaje");
        assertThat(Jobs.checksums(stack)).as("nothing changed").isEqualTo(before);

        String verifyBad = Api.post(stack.gatewayUrl() + "/api/p/demo/backups/verify", token, "{\"version\":" + version + "}")
                .body().get("result").get("job.token").asString();
        JsonNode bad = Jobs.awaitEnd(stack, token, verifyBad, Duration.ofSeconds(60));
        assertThat(bad.get("status").asString()).isEqualTo("rejected");
        assertThat(bad.get("failure").get("process").asString()).isEqualTo("verify");
        assertThat(Jobs.version(stack, token, version).get("verified").get("status").asString()).isEqualTo("failed");
        Sql.execute(db, "UPDATE turnos SET TURNO = REPLACE(TURNO, '!', '') WHERE id = 1");
    }
}
