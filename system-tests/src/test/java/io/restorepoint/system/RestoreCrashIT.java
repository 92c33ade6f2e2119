package io.restorepoint.system;

import io.restorepoint.devinfra.Sql;
import io.restorepoint.local.LocalStack;
import io.restorepoint.local.ServiceProcess;
import io.restorepoint.testsupport.Await;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker killed with SIGKILL while it loads a restore: the database stays exactly as it was, and once a
 * worker is back the restore is delivered again and completes.
 */
class RestoreCrashIT {

    @Test
    void restoreKilledMidLoadLeavesTheDatabaseUntouchedThenCompletes() throws Exception {
        LocalStack stack = StackFixture.stack();
        String token = stack.adminToken();
        var db = stack.database().connectionFactory(LocalStack.DEMO_DATABASE);
        ServiceProcess worker = stack.workers().get(0);
        Sql.execute(db, "CREATE TABLE restore_padding (id INT PRIMARY KEY, pad VARCHAR(600) NOT NULL)",
                "INSERT INTO restore_padding SELECT n, REPEAT(CONCAT('pad ', n, ' '), 50) FROM " + Sql.sequence(6)
                        + " t WHERE n < 300000");
        try {
            String[] created = Jobs.create(stack, token, "restore crash test").split("#");
            assertThat(Jobs.awaitEnd(stack, token, created[0], Duration.ofSeconds(90)).get("status").asString()).isEqualTo("done");
            Map<String, Object> backedUp = Jobs.checksums(stack);
            Sql.execute(db, "DELETE FROM restore_padding WHERE id % 3 = 0", "UPDATE usuarios SET activo = 1 - activo");
            Map<String, Object> changed = Jobs.checksums(stack);

            String job = Api.post(stack.gatewayUrl() + "/api/p/demo/backups/restore", token, "{\"version\":" + created[1] + "}")
                    .body().get("result").get("job.token").asString();
            Await.until("the restore loads", Duration.ofSeconds(90), () -> Jobs.state(stack, token, job),
                    s -> s.get("status").asString().equals("processing") && s.get("info").has("phase")
                            && s.get("info").get("phase").asString().equals("load"));
            worker.kill();
            Thread.sleep(500);
            assertThat(Jobs.state(stack, token, job).get("status").asString()).isEqualTo("processing");
            assertThat(Jobs.checksums(stack)).as("the database is as it was while the restore is stopped").isEqualTo(changed);

            long restarted = System.nanoTime();
            worker.start();
            var end = Jobs.awaitEnd(stack, token, job, Duration.ofSeconds(120));
            assertThat(end.get("status").asString()).as(end.toString()).isEqualTo("done");
            System.out.printf("restore crash: job %s done %.1f s after the worker restarted%n", job, (System.nanoTime() - restarted) / 1e9);
            assertThat(Jobs.checksums(stack)).isEqualTo(backedUp);
            worker.awaitReady(Duration.ofSeconds(60));
        } finally {
            Sql.execute(db, "DROP TABLE IF EXISTS restore_padding");
            if (!worker.isAlive()) {
                worker.start();
                worker.awaitReady(Duration.ofSeconds(60));
            }
        }
    }
}
