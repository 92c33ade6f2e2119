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
    void aDatabaseWithTriggersViewsAndRoutinesIsRestoredWholeOverTheApi() {
        LocalStack stack = StackFixture.stack();
        String token = stack.adminToken();
        var db = stack.database().connectionFactory(LocalStack.DEMO_DATABASE);
        try {
            // the view's definer is an application account; a restore with definers restoring_account makes it the worker's
            Sql.execute(db, "CREATE USER IF NOT EXISTS 'restore_it_app'@'%'",
                    "GRANT SELECT ON `" + LocalStack.DEMO_DATABASE + "`.* TO 'restore_it_app'@'%'");
            Sql.execute(db, "CREATE TABLE restore_it_log (id INT AUTO_INCREMENT PRIMARY KEY, what VARCHAR(100) NOT NULL)",
                    "CREATE TRIGGER restore_it_turno AFTER INSERT ON turnos FOR EACH ROW "
                            + "INSERT INTO restore_it_log (what) VALUES (CONCAT('turno ', NEW.TURNO))",
                    "CREATE DEFINER = 'restore_it_app'@'%' VIEW restore_it_areas AS SELECT id, AREA FROM areas WHERE activo = 1",
                    "CREATE VIEW restore_it_areas_a AS SELECT * FROM restore_it_areas WHERE AREA LIKE 'A%'",
                    "CREATE FUNCTION restore_it_double(x INT) RETURNS INT DETERMINISTIC RETURN x * 2");
            String[] created = Jobs.create(stack, token, "whole database").split("#");
            JsonNode backup = Jobs.awaitEnd(stack, token, created[0], Duration.ofSeconds(60));
            assertThat(backup.get("status").asString()).as(backup.toString()).isEqualTo("done");
            assertThat(backup.get("result").get("objects").toString()).as("the done event counts the objects")
                    .isEqualTo("{\"function\":1,\"trigger\":1,\"view\":2}");
            int version = Integer.parseInt(created[1]);
            Map<String, Object> backedUp = Jobs.checksums(stack);
            String verify = Api.post(stack.gatewayUrl() + "/api/p/demo/backups/verify", token, "{\"version\":" + version + "}")
                    .body().get("result").get("job.token").asString();
            JsonNode verified = Jobs.awaitEnd(stack, token, verify, Duration.ofSeconds(90));
            assertThat(verified.get("status").asString()).as("rows and objects of the loaded copy equal the backup: " + verified)
                    .isEqualTo("done");
            assertThat(verified.get("result").get("objects").toString()).isEqualTo("{\"function\":1,\"trigger\":1,\"view\":2}");

            Sql.execute(db, "DROP VIEW restore_it_areas_a", "DROP FUNCTION restore_it_double",
                    "CREATE TRIGGER restore_it_stray BEFORE UPDATE ON areas FOR EACH ROW SET NEW.activo = 0",
                    "INSERT INTO turnos (TURNO, hora_inicio, hora_fin) VALUES ('Later', '01:00', '02:00')");
            Api.Response unknown = Api.post(stack.gatewayUrl() + "/api/p/demo/backups/restore", token,
                    "{\"version\":" + version + ",\"definers\":\"root\"}");
            assertThat(unknown.status()).isEqualTo(422);
            assertThat(unknown.body().toString()).contains("definers must be \\\"keep\\\"");
            String job = Api.post(stack.gatewayUrl() + "/api/p/demo/backups/restore", token,
                    "{\"version\":" + version + ",\"definers\":\"restoring_account\"}").body().get("result").get("job.token").asString();
            JsonNode end = Jobs.awaitEnd(stack, token, job, Duration.ofSeconds(90));
            assertThat(end.get("status").asString()).as("a database with triggers restores: " + end).isEqualTo("done");
            assertThat(end.get("result").get("objects").toString()).isEqualTo("{\"function\":1,\"trigger\":1,\"view\":2}");
            assertThat(end.get("result").has("notes")).as("a whole-database backup has nothing to note").isFalse();
            assertThat(Sql.query(db, "SELECT TABLE_NAME, DEFINER FROM information_schema.VIEWS WHERE TABLE_SCHEMA = '"
                    + LocalStack.DEMO_DATABASE + "' ORDER BY TABLE_NAME")).extracting(r -> r.get("TABLE_NAME") + " " + r.get("DEFINER"))
                    .as("definers restoring_account: every object runs as the worker's account")
                    .containsExactly("restore_it_areas " + Sql.scalar(db, "SELECT CURRENT_USER()"),
                            "restore_it_areas_a " + Sql.scalar(db, "SELECT CURRENT_USER()"));

            assertThat(Jobs.checksums(stack)).as("the tables equal the backup").isEqualTo(backedUp);
            assertThat(Sql.query(db, "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = '"
                    + LocalStack.DEMO_DATABASE + "'")).extracting(r -> r.get("TRIGGER_NAME")).containsExactly("restore_it_turno");
            assertThat(((Number) Sql.scalar(db, "SELECT restore_it_double(21)")).longValue()).isEqualTo(42L);
            assertThat(Sql.scalar(db, "SELECT COUNT(*) FROM restore_it_areas_a"))
                    .isEqualTo(Sql.scalar(db, "SELECT COUNT(*) FROM areas WHERE activo = 1 AND AREA LIKE 'A%'"));
            Sql.execute(db, "INSERT INTO turnos (TURNO, hora_inicio, hora_fin) VALUES ('Again', '01:00', '02:00')");
            assertThat(Sql.query(db, "SELECT what FROM restore_it_log")).extracting(r -> r.get("what")).containsExactly("turno Again");
        } finally {
            Sql.execute(db, "SET SESSION foreign_key_checks = 0", "DROP TRIGGER IF EXISTS restore_it_turno",
                    "DROP TRIGGER IF EXISTS restore_it_stray", "DROP VIEW IF EXISTS restore_it_areas_a", "DROP VIEW IF EXISTS restore_it_areas",
                    "DROP FUNCTION IF EXISTS restore_it_double", "DROP TABLE IF EXISTS restore_it_log",
                    "DELETE FROM turnos WHERE TURNO IN ('Later', 'Again')", "DROP USER IF EXISTS 'restore_it_app'@'%'");
        }
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
