package io.restorepoint.system;

import io.restorepoint.devinfra.Sql;
import io.restorepoint.local.LocalStack;
import io.restorepoint.local.ServiceProcess;
import io.restorepoint.testsupport.Await;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker killed with SIGKILL in the middle of a dump: no version is ever marked valid with a partial
 * artifact, and once a worker is back the command is delivered again and the job ends done.
 */
class WorkerCrashIT {

    @Test
    void killedMidDumpLeavesNoValidVersionThenCompletesAfterRestart() throws Exception {
        LocalStack stack = StackFixture.stack();
        String token = stack.adminToken();
        var db = stack.database().connectionFactory(LocalStack.DEMO_DATABASE);
        Sql.execute(db, "CREATE TABLE crash_padding (id INT PRIMARY KEY, pad VARCHAR(600) NOT NULL)",
                "INSERT INTO crash_padding SELECT n, REPEAT(CONCAT('row ', n, ' '), 50) FROM " + Sql.sequence(6)
                        + " t WHERE n < 300000");
        ServiceProcess worker = stack.workers().get(0);
        try {
            Api.Response created = Api.post(stack.gatewayUrl() + "/api/p/demo/backups/create", token,
                    "{\"created_by\":\"crash test\"}");
            String job = created.body().get("result").get("job.token").asString();
            int version = created.body().get("result").get("version").asInt();

            Await.until("the worker picks the job up", Duration.ofSeconds(30),
                    () -> statuses(stack, token, job), s -> s.contains("processing"));
            Thread.sleep(300);
            worker.kill();
            Thread.sleep(500);

            List<String> afterKill = statuses(stack, token, job);
            assertThat(afterKill).as("the job did not finish before the kill").doesNotContain("done", "rejected");
            Path committed = stack.storeDir().resolve("demo").resolve(String.format("%06d", version));
            assertThat(Files.exists(committed)).as("no committed artifact").isFalse();
            assertThat(versionStatus(stack, token, version)).isEqualTo("pending");

            long restarted = System.nanoTime();
            worker.start();
            Await.until("the job ends after the restart", Duration.ofSeconds(90),
                    () -> statuses(stack, token, job), s -> s.contains("done") || s.contains("rejected"));
            List<String> statuses = statuses(stack, token, job);
            assertThat(statuses).containsOnlyOnce("done").doesNotContain("rejected");
            System.out.printf("worker crash: job %s done %.1f s after the worker restarted%n", job,
                    (System.nanoTime() - restarted) / 1e9);
            assertThat(Files.exists(committed.resolve("manifest.json"))).isTrue();
            assertThat(versionStatus(stack, token, version)).isEqualTo("valid");
            worker.awaitReady(Duration.ofSeconds(60));
        } finally {
            Sql.execute(db, "DROP TABLE IF EXISTS crash_padding");
            if (!worker.isAlive()) {
                worker.start();
                worker.awaitReady(Duration.ofSeconds(60));
            }
        }
    }

    private static List<String> statuses(LocalStack stack, String token, String job) {
        return WalkingSkeletonIT.jobEvents(stack, token, job).stream()
                .map(e -> e.get("data").get("status").asString()).toList();
    }

    private static String versionStatus(LocalStack stack, String token, int version) {
        JsonNode body = Api.get(stack.gatewayUrl() + "/api/p/demo/init", token).body();
        for (JsonNode v : body.get("data").get("cc.projects").get("demo").get("backups").get("versions")) {
            if (v.get("version").asInt() == version) {
                return v.get("status").asString();
            }
        }
        return "not listed";
    }
}
