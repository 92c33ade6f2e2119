package io.restorepoint.system;

import io.restorepoint.devinfra.Sql;
import io.restorepoint.local.LocalStack;
import io.restorepoint.local.ServiceProcess;
import io.restorepoint.testsupport.Await;
import io.restorepoint.testsupport.SseClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chaos suite: workers killed with SIGKILL in the middle of backups and restores, the broker stopped
 * and started under a stream of commands, sync-events and the gateway restarted under a listening client,
 * and the work of 30 projects spread over a pool of three workers. On the real stack (processes, KRaft
 * broker, MariaDB). Counts are printed for the closing notes. {@code -Dchaos.trials} sets the kills of a
 * running job per kill test (default 3; {@code 10} is the full suite of issue 8, about 13 minutes more),
 * {@code -Dchaos.commands} the accepted commands of the broker test (default 1,000).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaosIT {

    static final int TRIALS = Integer.getInteger("chaos.trials", 3);
    static final int COMMANDS = Integer.getInteger("chaos.commands", 1000);
    static final String PROJECT = LocalStack.extraProject(1);
    static final String DATABASE = LocalStack.extraDatabase(1);
    static final Duration RECOVERY = Duration.ofSeconds(30);

    static LocalStack stack;
    static String token;
    static int added;

    @BeforeAll
    static void pool() throws Exception {
        stack = StackFixture.stack();
        token = stack.adminToken();
        stack.addWorker();
        added++;
        // enough rows that a job is still running when the kill comes
        Sql.execute(stack.database().connectionFactory(DATABASE),
                "CREATE TABLE IF NOT EXISTS padding (id INT PRIMARY KEY, pad VARCHAR(300) NOT NULL)",
                "DELETE FROM padding",
                "INSERT INTO padding SELECT n, REPEAT(CONCAT('pad ', n, ' '), 20) FROM " + Sql.sequence(6) + " t WHERE n < 150000");
        // a database with triggers and views (one on another): a restore must bring back the right set of them,
        // never the tables of one state with the objects of the other, and never tables without their triggers
        Sql.execute(stack.database().connectionFactory(DATABASE),
                "CREATE TABLE IF NOT EXISTS padding_log (id INT AUTO_INCREMENT PRIMARY KEY, pad_id INT NOT NULL)",
                "CREATE OR REPLACE VIEW padded AS SELECT id, LEFT(pad, 10) AS head FROM padding",
                "CREATE OR REPLACE VIEW padded_even AS SELECT id FROM padded WHERE id % 2 = 0",
                "CREATE TRIGGER IF NOT EXISTS padding_logged AFTER INSERT ON padding FOR EACH ROW INSERT INTO padding_log (pad_id) VALUES (NEW.id)");
    }

    @AfterAll
    static void shrink() {
        for (; added > 0; added--) {
            stack.removeLastWorker();
        }
        Sql.execute(stack.database().connectionFactory(DATABASE), "DROP VIEW IF EXISTS padded_even", "DROP VIEW IF EXISTS padded",
                "DROP VIEW IF EXISTS padded_odd", "DROP TRIGGER IF EXISTS padding_logged", "DROP TRIGGER IF EXISTS padding_changed",
                "DROP TABLE IF EXISTS padding", "DROP TABLE IF EXISTS padding_log");
    }

    @Test
    @Order(1)
    void workerKilledMidBackupEveryJobEndsWithin30sAndNoPartialVersionIsListed() throws Exception {
        Random random = new Random(7);
        Map<String, Integer> outcomes = new TreeMap<>();
        List<Double> recoveries = new ArrayList<>();
        // a trial counts when the kill hit a running job; one that had already ended is reported and redone
        for (int trial = 1, attempt = 1; trial <= TRIALS; attempt++) {
            assertThat(attempt).as("attempts for %d kills of a running backup", TRIALS).isLessThanOrEqualTo(3 * TRIALS);
            JsonNode created = post("/api/p/" + PROJECT + "/backups/create", "{\"created_by\":\"chaos " + attempt + "\"}");
            String job = created.get("job.token").asString();
            int version = created.get("version").asInt();
            JsonNode running = awaitProcessing(job);
            Thread.sleep(random.nextInt(700));
            Kill kill = killHolder(running, trial % 2 == 1);
            JsonNode end = awaitEnd(job, kill);
            if (!kill.endedBefore()) {
                recoveries.add(kill.secondsSince());
                trial++;
            }
            String outcome = outcome(end, kill);
            outcomes.merge(outcome, 1, Integer::sum);

            String listed = versionStatus(version);
            Path manifest = stack.storeDir().resolve(PROJECT).resolve(String.format("%06d", version)).resolve("manifest.json");
            if (end.get("status").asString().equals("done")) {
                assertThat(listed).isEqualTo("valid");
                assertThat(Files.exists(manifest)).as("a valid version has its complete artifact").isTrue();
            } else {
                assertThat(listed).isNotEqualTo("valid");
            }
            assertNoValidVersionWithoutArtifact();
            kill.settle();
        }
        report("backup", outcomes, recoveries);
    }

    @Test
    @Order(2)
    void workerKilledMidRestoreLeavesTheDatabaseAsBeforeOrFullyRestored() throws Exception {
        var db = stack.database().connectionFactory(DATABASE);
        int versionB = backupNow("chaos state B");
        Map<String, Object> stateB = checksums();
        Sql.execute(db, "UPDATE padding SET pad = CONCAT('changed ', id) WHERE id % 2 = 0", "DELETE FROM items WHERE id > 50",
                // state A has other objects: a view dropped, one added, a second trigger
                "DROP VIEW padded_even", "CREATE VIEW padded_odd AS SELECT id FROM padded WHERE id % 2 = 1",
                "CREATE TRIGGER padding_changed BEFORE UPDATE ON padding FOR EACH ROW SET NEW.pad = CONCAT(NEW.pad, '')");
        int versionA = backupNow("chaos state A");
        Map<String, Object> stateA = checksums();
        assertThat(stateA).isNotEqualTo(stateB);

        Random random = new Random(11);
        Map<String, Integer> outcomes = new TreeMap<>();
        List<Double> recoveries = new ArrayList<>();
        for (int trial = 1, attempt = 1; trial <= TRIALS; attempt++) {
            assertThat(attempt).as("attempts for %d kills of a running restore", TRIALS).isLessThanOrEqualTo(3 * TRIALS);
            Map<String, Object> before = checksums();
            boolean atA = before.equals(stateA);
            assertThat(atA || before.equals(stateB)).as("the database is in one of the two states").isTrue();
            int target = atA ? versionB : versionA;
            Map<String, Object> targetState = atA ? stateB : stateA;

            String job = post("/api/p/" + PROJECT + "/backups/restore", "{\"version\":" + target + "}").get("job.token").asString();
            JsonNode running = awaitProcessing(job);
            Thread.sleep(random.nextInt(1500));
            Kill kill = killHolder(running, trial % 2 == 1);
            JsonNode end = awaitEnd(job, kill);
            if (!kill.endedBefore()) {
                recoveries.add(kill.secondsSince());
                trial++;
            }
            outcomes.merge(outcome(end, kill), 1, Integer::sum);
            Map<String, Object> after = checksums();
            if (end.get("status").asString().equals("done")) {
                assertThat(after).as("attempt " + attempt + ": restored fully").isEqualTo(targetState);
            } else {
                assertThat(after).as("attempt " + attempt + ": rejected, the database is as it was").isEqualTo(before);
            }
            kill.settle();
        }
        report("restore", outcomes, recoveries);
    }

    @Test
    @Order(3)
    void thirtyProjectsBackupsSpreadOverThreeWorkersAndOne() throws Exception {
        stack.addWorker();
        added++;
        Thread.sleep(3000); // the group settles with three members
        Map<String, Integer> three = new TreeMap<>();
        long t3 = System.nanoTime();
        runThirtyBackups(three);
        double threeSeconds = (System.nanoTime() - t3) / 1e9;

        for (; added > 0; added--) {
            stack.removeLastWorker();
        }
        Thread.sleep(3000);
        Map<String, Integer> one = new TreeMap<>();
        long t1 = System.nanoTime();
        runThirtyBackups(one);
        double oneSeconds = (System.nanoTime() - t1) / 1e9;
        System.out.printf("chaos spread: 30 projects' backups with 3 workers %s in %.1f s; with 1 worker %s in %.1f s%n",
                three, threeSeconds, one, oneSeconds);
        assertThat(three).as("every worker of three took some of the projects").hasSize(3)
                .allSatisfy((worker, jobs) -> assertThat(jobs).isPositive());
        assertThat(one).hasSize(1);
        stack.addWorker();
        added++;
    }

    @Test
    @Order(4)
    void brokerStoppedAndStartedUnderAStreamOfCommandsEveryAcceptedJobEndsOnce() throws Exception {
        List<String> projects = new ArrayList<>();
        for (int i = 2; i <= 30; i++) {
            projects.add(LocalStack.extraProject(i));
        }
        Map<String, String> accepted = new ConcurrentHashMap<>(); // job token -> project#version
        AtomicInteger refused = new AtomicInteger();
        AtomicBoolean brokerDown = new AtomicBoolean();
        long started = System.nanoTime();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<?>> submitters = new ArrayList<>();
        AtomicInteger next = new AtomicInteger();
        for (int c = 0; c < 4; c++) {
            submitters.add(clients.submit(() -> {
                while (accepted.size() < COMMANDS) {
                    String project = projects.get(next.getAndIncrement() % projects.size());
                    Api.Response r = Api.post(stack.gatewayUrl() + "/api/p/" + project + "/backups/create", token,
                            "{\"created_by\":\"chaos broker\"}");
                    if (r.status() == 200) {
                        JsonNode result = r.body().get("result");
                        accepted.put(result.get("job.token").asString(), project + "#" + result.get("version").asInt());
                    } else {
                        assertThat(r.status()).as(String.valueOf(r.body())).isEqualTo(422);
                        refused.incrementAndGet();
                        sleep(50);
                    }
                }
                return null;
            }));
        }
        Await.until("a third of the commands accepted", Duration.ofMinutes(5), accepted::size, n -> n >= COMMANDS / 3);
        long stopped = System.nanoTime();
        brokerDown.set(true);
        stack.broker().stop();
        Thread.sleep(5000);
        stack.broker().start();
        brokerDown.set(false);
        double downFor = (System.nanoTime() - stopped) / 1e9;
        int acceptedAtRestart = accepted.size();
        for (Future<?> f : submitters) {
            f.get(10, TimeUnit.MINUTES);
        }
        clients.shutdown();

        Map<String, List<String>> terminal = awaitTerminalEvents(accepted.keySet(), Duration.ofMinutes(10));
        double seconds = (System.nanoTime() - started) / 1e9;
        Map<String, Integer> statuses = new TreeMap<>();
        terminal.forEach((job, events) -> statuses.merge(events.get(0), 1, Integer::sum));
        System.out.printf("chaos broker: %d accepted commands (%d refused while full or down), broker down %.1f s after %d;"
                        + " terminal states %s; all ended %.1f s after the first command%n",
                accepted.size(), refused.get(), downFor, acceptedAtRestart, statuses, seconds);
        assertThat(terminal.keySet()).as("every accepted command reached a terminal event").isEqualTo(accepted.keySet());
        assertThat(terminal).as("each job has one terminal event (a redelivery repeats it with the same event id)")
                .allSatisfy((job, events) -> assertThat(events).hasSize(1));
        assertThat(new HashSet<>(accepted.values())).as("no version allocated twice").hasSize(accepted.size());
        for (String project : projects) {
            JsonNode versions = projectBackups(project).get("versions");
            Set<Integer> numbers = new HashSet<>();
            versions.forEach(v -> assertThat(numbers.add(v.get("version").asInt())).as("version listed once").isTrue());
        }
    }

    @Test
    @Order(5)
    void syncEventsAndGatewayRestartedAClientResumingWithItsCursorMissesNothing() throws Exception {
        long from = Api.post(stack.gatewayUrl() + "/sync/cursors", token, "{}").body().get("result").get("cc.cursor").asLong();
        List<SseClient.Event> seen = new ArrayList<>();
        AtomicBoolean producing = new AtomicBoolean(true);
        Set<String> jobs = ConcurrentHashMap.newKeySet();
        Thread producer = new Thread(() -> {
            int i = 0;
            while (producing.get()) {
                String project = LocalStack.extraProject(2 + (i++ % 29));
                try {
                    Api.Response r = Api.post(stack.gatewayUrl() + "/api/p/" + project + "/backups/create", token,
                            "{\"created_by\":\"chaos restart\"}");
                    if (r.status() == 200) {
                        jobs.add(r.body().get("result").get("job.token").asString());
                    }
                } catch (RuntimeException gatewayDown) {
                    // the gateway is restarting: an API user retries
                }
                sleep(150);
            }
        });
        producer.start();
        String last = Long.toString(from);
        int connections = 0;
        try {
            long phaseEnd = System.nanoTime();
            String[] steps = {"listen", "restart sync-events", "listen", "restart gateway", "listen"};
            for (String step : steps) {
                if (step.startsWith("restart")) {
                    ServiceProcess service = step.endsWith("gateway") ? stack.gateway() : stack.sync();
                    service.stop(Duration.ofSeconds(20));
                    service.start();
                }
                phaseEnd = System.nanoTime() + Duration.ofSeconds(6).toNanos();
                while (System.nanoTime() < phaseEnd) {
                    try (SseClient sse = SseClient.open(stack.gatewayUrl() + "/sync/stream", token, last)) {
                        connections++;
                        while (!sse.ended() && System.nanoTime() < phaseEnd) {
                            sleep(100);
                        }
                        for (SseClient.Event e : sse.events()) {
                            if ("cc".equals(e.event())) {
                                seen.add(e);
                                last = e.id();
                            }
                        }
                    } catch (RuntimeException refused) {
                        // not listening yet
                    }
                    if (System.nanoTime() < phaseEnd) {
                        sleep(300);
                    }
                }
            }
        } finally {
            producing.set(false);
            producer.join();
            stack.gateway().awaitReady(Duration.ofSeconds(120));
            stack.sync().awaitReady(Duration.ofSeconds(120));
        }
        // after the last connection: read the rest, then compare with the whole feed since `from`
        Map<String, List<String>> terminal = awaitTerminalEvents(jobs, Duration.ofMinutes(3));
        assertThat(terminal.keySet()).isEqualTo(jobs);
        try (SseClient sse = SseClient.open(stack.gatewayUrl() + "/sync/stream", token, last)) {
            Thread.sleep(3000);
            sse.events().stream().filter(e -> "cc".equals(e.event())).forEach(seen::add);
        }
        List<Long> feed = new ArrayList<>();
        for (JsonNode event : feedSince(from)) {
            feed.add(event.get("cursor").asLong());
        }
        List<Long> received = seen.stream().map(e -> Long.parseLong(e.id())).toList();
        System.out.printf("chaos restarts: %d jobs, %d feed events over %d connections across a sync-events and a gateway restart%n",
                jobs.size(), received.size(), connections);
        assertThat(received).as("in cursor order, none twice").isSorted().doesNotHaveDuplicates();
        assertThat(received).as("every event of the feed since the first cursor").isEqualTo(feed);
    }

    // ---- helpers

    /** A worker killed with SIGKILL; restarted at once, or only after its job ended elsewhere. */
    private record Kill(ServiceProcess worker, long at, boolean restartedAtOnce, boolean endedBefore) {

        double secondsSince() {
            return (System.nanoTime() - at) / 1e9;
        }

        void settle() throws Exception {
            if (!worker.isAlive()) {
                worker.start();
            }
            worker.awaitReady(Duration.ofSeconds(120));
        }
    }

    private Kill killHolder(JsonNode running, boolean restartAtOnce) throws Exception {
        String workerId = running.get("worker_id").asString();
        ServiceProcess holder = stack.workers().stream().filter(w -> w.name().equals("backup-" + workerId)).findFirst()
                .orElseThrow(() -> new AssertionError("no worker process " + workerId));
        String job = running.get("job.token").asString();
        holder.kill();
        long at = System.nanoTime();
        boolean endedBefore = state(job).get("status").asString().matches("done|rejected");
        if (restartAtOnce) {
            holder.start();
        }
        return new Kill(holder, at, restartAtOnce, endedBefore);
    }

    private static String outcome(JsonNode end, Kill kill) {
        String status = end.get("status").asString();
        if (status.equals("rejected")) {
            assertThat(end.get("failure").get("reason").asString()).as("a rejected job says why").isNotBlank();
        }
        return status + (kill.endedBefore() ? " (before the kill)" : kill.restartedAtOnce() ? " (worker restarted)" : " (taken over)");
    }

    private static void report(String what, Map<String, Integer> outcomes, List<Double> recoveries) {
        double max = recoveries.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        double mean = recoveries.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        System.out.printf("chaos %s: %d kills of a running job, outcomes %s, job end after the kill: mean %.1f s, max %.1f s%n",
                what, recoveries.size(), outcomes, mean, max);
    }

    private JsonNode awaitProcessing(String job) {
        return Await.until("job " + job + " runs", Duration.ofSeconds(60), () -> state(job),
                s -> s.get("status").asString().matches("processing|done|rejected") && s.has("worker_id"));
    }

    private JsonNode awaitEnd(String job, Kill kill) {
        Duration left = RECOVERY.minusNanos(System.nanoTime() - kill.at());
        return Await.until("job " + job + " ends within 30 s of the kill", left, () -> state(job),
                s -> s.get("status").asString().matches("done|rejected"));
    }

    private static JsonNode state(String job) {
        return Api.get(stack.gatewayUrl() + "/api/p/" + PROJECT + "/jobs/" + job, token).body().get("result").get("job");
    }

    private static JsonNode post(String path, String body) {
        Api.Response r = Api.post(stack.gatewayUrl() + path, token, body);
        assertThat(r.status()).as(String.valueOf(r.body())).isEqualTo(200);
        return r.body().get("result");
    }

    private int backupNow(String name) {
        JsonNode created = post("/api/p/" + PROJECT + "/backups/create", "{\"created_by\":\"chaos\",\"name\":\"" + name + "\"}");
        String job = created.get("job.token").asString();
        JsonNode end = Await.until("backup " + name, Duration.ofSeconds(90), () -> state(job),
                s -> s.get("status").asString().matches("done|rejected"));
        assertThat(end.get("status").asString()).isEqualTo("done");
        return created.get("version").asInt();
    }

    private static JsonNode projectBackups(String project) {
        return Api.get(stack.gatewayUrl() + "/api/p/" + project + "/init", token).body().get("data").get("cc.projects")
                .get(project).get("backups");
    }

    private static String versionStatus(int version) {
        for (JsonNode v : projectBackups(PROJECT).get("versions")) {
            if (v.get("version").asInt() == version) {
                return v.get("status").asString();
            }
        }
        return "not listed";
    }

    private static void assertNoValidVersionWithoutArtifact() {
        for (JsonNode v : projectBackups(PROJECT).get("versions")) {
            if (v.get("status").asString().equals("valid")) {
                Path manifest = stack.storeDir().resolve(PROJECT).resolve(String.format("%06d", v.get("version").asInt()))
                        .resolve("manifest.json");
                assertThat(Files.exists(manifest)).as("version " + v.get("version") + " is listed valid").isTrue();
            }
        }
    }

    /** The database's state: CHECKSUM TABLE of its tables, and the definition of every other object. */
    private static Map<String, Object> checksums() {
        var db = stack.database().connectionFactory(DATABASE);
        Map<String, Object> out = new LinkedHashMap<>();
        for (String table : List.of("items", "padding", "padding_log")) {
            out.put(table, Sql.query(db, "CHECKSUM TABLE `" + table + "`").get(0).get("Checksum"));
        }
        out.putAll(Sql.objectDefinitions(stack.database().connectionFactory(null), DATABASE));
        return out;
    }

    private void runThirtyBackups(Map<String, Integer> perWorker) {
        List<String> jobs = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            String project = LocalStack.extraProject(i);
            jobs.add(post("/api/p/" + project + "/backups/create", "{\"created_by\":\"chaos spread\"}").get("job.token").asString());
        }
        Map<String, List<String>> ended = awaitTerminalEvents(new HashSet<>(jobs), Duration.ofMinutes(3));
        assertThat(ended.keySet()).containsExactlyInAnyOrderElementsOf(jobs);
        for (JsonNode event : feedSince(0)) {
            JsonNode data = event.get("data");
            if (jobs.contains(event.get("data_key").asString()) && data.get("status").asString().equals("done")) {
                perWorker.merge(data.get("worker_id").asString(), 1, Integer::sum);
            }
        }
    }

    /** Terminal statuses per job (in feed order), waiting until every job has one. */
    private static Map<String, List<String>> awaitTerminalEvents(Set<String> jobs, Duration timeout) {
        Map<String, List<String>> terminal = new HashMap<>();
        Map<String, Set<String>> eventIds = new HashMap<>();
        long[] cursor = {0};
        Await.until("every job reaches a terminal event", timeout, () -> {
            for (JsonNode event : feedSince(cursor[0])) {
                cursor[0] = event.get("cursor").asLong();
                String job = event.get("data_key").asString();
                JsonNode data = event.get("data");
                if (jobs.contains(job) && data.has("status") && data.get("status").asString().matches("done|rejected")
                        && eventIds.computeIfAbsent(job, k -> new HashSet<>()).add(data.get("event_id").asString())) {
                    terminal.computeIfAbsent(job, k -> new ArrayList<>()).add(data.get("status").asString());
                }
            }
            return terminal.size();
        }, n -> n >= jobs.size());
        return terminal;
    }

    private static List<JsonNode> feedSince(long cursor) {
        List<JsonNode> out = new ArrayList<>();
        long at = cursor;
        while (true) {
            JsonNode result = Api.post(stack.gatewayUrl() + "/sync/get", token, "{\"cc.cursor\":" + at + ",\"limit\":1000}")
                    .body().get("result");
            result.get("events").forEach(out::add);
            at = result.get("cc.cursor").asLong();
            if (!result.get("more").asBoolean()) {
                return out;
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
