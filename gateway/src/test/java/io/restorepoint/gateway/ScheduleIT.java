package io.restorepoint.gateway;

import io.restorepoint.devinfra.DevTokens;
import io.restorepoint.devinfra.Sql;
import io.restorepoint.schemas.Topics;
import io.restorepoint.testsupport.Await;
import io.restorepoint.testsupport.KafkaProbe;
import io.restorepoint.testsupport.SharedInfra;
import io.restorepoint.testsupport.StackProperties;
import io.restorepoint.testsupport.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Schedules on two gateway instances sharing one control database and one broker: every tick is taken
 * exactly once; retention expires old scheduled backups (and announces it), keeping manual ones.
 */
class ScheduleIT {

    static final String PROJECT = "s-" + UUID.randomUUID().toString().substring(0, 8);
    static String control;
    static ConfigurableApplicationContext first;
    static ConfigurableApplicationContext second;

    @BeforeAll
    static void twoGateways() {
        control = SharedInfra.freshDatabase("gw_schedules");
        first = gateway();
        second = gateway();
    }

    @AfterAll
    static void stop() {
        for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] {first, second}) {
            if (context != null) {
                context.close();
            }
        }
    }

    static ConfigurableApplicationContext gateway() {
        Map<String, Object> props = new LinkedHashMap<>(StackProperties.forService(control));
        props.put("server.port", "0");
        props.put("RP_JWT_ISSUER", DevTokens.ISSUER);
        props.put("RP_JWT_AUDIENCE", DevTokens.AUDIENCE);
        props.put("RP_STORE_DIR", SharedInfra.dir().resolve("schedule-store-" + PROJECT).toString());
        props.put("restorepoint.gateway.bootstrap-projects[0].id", PROJECT);
        props.put("restorepoint.gateway.bootstrap-projects[0].database", "db_" + PROJECT.replace('-', '_'));
        props.put("restorepoint.gateway.bootstrap-projects[0].owner", "alice");
        props.put("restorepoint.gateway.max-jobs-per-project", "10000");
        props.put("restorepoint.gateway.schedules.poll-interval", "100ms");
        props.put("restorepoint.gateway.schedules.retention-interval", "1s");
        props.put("restorepoint.gateway.schedules.min-interval", "1s");
        // as command-line arguments: they outrank application.yml, as @DynamicPropertySource would
        return new SpringApplicationBuilder(GatewayApplication.class)
                .run(props.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
    }

    static WebTestClient http(ConfigurableApplicationContext context) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(30)).build();
    }

    static JsonNode post(ConfigurableApplicationContext gateway, String path, String body, int status) {
        return http(gateway).post().uri("/api/p/" + PROJECT + "/backups/" + path)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.TOKENS.user("alice"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isEqualTo(status).expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    static List<Map<String, Object>> versions() {
        return Sql.query(SharedInfra.database().connectionFactory(control), "SELECT version, name, created_by, origin, status "
                + "FROM backup_versions WHERE project_gid = '" + PROJECT + "' ORDER BY version");
    }

    @Test
    void everyTickFiresOnceAcrossTwoGatewaysAndRetentionExpiresOldScheduledBackups() throws Exception {
        // bad input changes nothing
        post(first, "schedule", "{\"cron\":\"every day\"}", 422);
        post(first, "schedule", "{\"zone\":\"Mars/Olympus\"}", 422);
        post(first, "schedule", "{\"keep_last\":-1}", 422);
        assertThat(http(second).get().uri("/api/p/" + PROJECT + "/backups/schedule")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.TOKENS.user("alice"))
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody()
                .get("result").get("schedule").isNull()).as("no default schedule in tests, none set by bad calls").isTrue();

        post(first, "create", "{\"created_by\":\"alice\",\"name\":\"Manual before\"}", 200);
        JsonNode set = post(first, "schedule", "{\"name\":\"every-second\",\"cron\":\"* * * * * *\",\"keep_last\":100}", 200);
        assertThat(set.get("result").get("schedule").get("created_by").asString()).isEqualTo("schedule:every-second");

        // both gateways poll every 100 ms; a new tick comes every second
        Await.until("five scheduled backups", Duration.ofSeconds(30),
                () -> versions().stream().filter(v -> "scheduled".equals(v.get("origin"))).count(), n -> n >= 5);
        post(second, "schedule", "{\"enabled\":false}", 200);
        Thread.sleep(500); // a claim in flight when the schedule was paused commits or not; then nothing more
        List<Map<String, Object>> scheduled = versions().stream().filter(v -> "scheduled".equals(v.get("origin"))).toList();
        Thread.sleep(1500);
        assertThat(versions().stream().filter(v -> "scheduled".equals(v.get("origin"))).count())
                .as("a paused schedule fires no more").isEqualTo(scheduled.size());

        var names = new HashSet<String>();
        for (Map<String, Object> v : scheduled) {
            assertThat(v.get("created_by")).isEqualTo("schedule:every-second");
            assertThat(names.add((String) v.get("name"))).as("tick " + v.get("name") + " taken once").isTrue();
        }
        KafkaProbe.await(SharedInfra.kafka(), Topics.COMMANDS.name(),
                r -> PROJECT.equals(r.key()) && r.value().contains("schedule:every-second"), scheduled.size(), Duration.ofSeconds(20));
        var commands = KafkaProbe.readToEnd(SharedInfra.kafka(), Topics.COMMANDS.name(),
                r -> PROJECT.equals(r.key()) && r.value().contains("schedule:every-second"));
        assertThat(commands).as("one backup command per tick, all of them read").hasSize(scheduled.size());

        // retention: keep the newest scheduled backup only; all are "done" and ten days old by now
        java.util.function.Predicate<org.apache.kafka.clients.consumer.ConsumerRecord<String, String>> backupsChanged =
                r -> PROJECT.equals(r.key()) && r.value().contains("\"change\":\"backups\"");
        int announcedBefore = KafkaProbe.readToEnd(SharedInfra.kafka(), Topics.CC_EVENTS.name(), backupsChanged).size();
        // the state first, the rule last: sweeps run every second, and one between these steps must not see a
        // half-made state (an old valid backup whose restore is not queued yet)
        int newest = (Integer) scheduled.get(scheduled.size() - 1).get("version");
        // a restore of the oldest scheduled backup is waiting: its artifact must stay
        int restoring = (Integer) scheduled.get(0).get("version");
        Sql.execute(SharedInfra.database().connectionFactory(control), "INSERT INTO jobs (token, project_gid, job, status, "
                + "version, requested_by, created_on, updated_on) VALUES ('" + UUID.randomUUID() + "', '" + PROJECT
                + "', 'restore_project', 'queued', " + restoring + ", 'alice', 0, 0)");
        Sql.execute(SharedInfra.database().connectionFactory(control), "UPDATE backup_versions SET status = 'valid', "
                + "created_on = created_on - 864000 WHERE project_gid = '" + PROJECT + "'");
        post(first, "schedule", "{\"keep_last\":1,\"keep_days\":0}", 200);
        Await.until("retention to expire all scheduled backups but the newest and the one being restored", Duration.ofSeconds(20),
                () -> versions().stream().filter(v -> "deleted".equals(v.get("status"))).count(), n -> n == scheduled.size() - 2);
        Thread.sleep(1500); // another sweep: still nothing more
        for (Map<String, Object> v : versions()) {
            boolean kept = "manual".equals(v.get("origin")) || (Integer) v.get("version") == newest
                    || (Integer) v.get("version") == restoring;
            assertThat(v.get("status")).as("version " + v.get("version") + " (" + v.get("origin") + ")")
                    .isEqualTo(kept ? "valid" : "deleted");
        }
        // expiry is announced like any other change to the backups list (nothing else changes it any more)
        KafkaProbe.await(SharedInfra.kafka(), Topics.CC_EVENTS.name(), backupsChanged, announcedBefore + 1, Duration.ofSeconds(20));
    }
}
