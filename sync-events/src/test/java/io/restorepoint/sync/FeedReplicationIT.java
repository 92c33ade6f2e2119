package io.restorepoint.sync;

import io.restorepoint.schemas.SchemaVersion;
import io.restorepoint.schemas.Topics;
import io.restorepoint.schemas.job.CcEvent;
import io.restorepoint.schemas.job.JobEvent;
import io.restorepoint.schemas.job.JobInfo;
import io.restorepoint.schemas.job.JobStatus;
import io.restorepoint.schemas.job.JobType;
import io.restorepoint.schemas.kafka.Json;
import io.restorepoint.schemas.kafka.JsonSerde;
import io.restorepoint.schemas.membership.ProjectMembership;
import io.restorepoint.sync.access.Memberships;
import io.restorepoint.sync.feed.FeedMapper;
import io.restorepoint.sync.feed.FeedStore;
import io.restorepoint.testsupport.Await;
import io.restorepoint.testsupport.SharedInfra;
import io.restorepoint.testsupport.SseClient;
import io.restorepoint.testsupport.StackProperties;
import io.restorepoint.testsupport.TestTokens;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two sync-events instances behind no load balancer but a client that hops between them: 10,000 events
 * across three projects, a client of one project reconnecting at random points to the other instance
 * (and across a restart of one), with its last cursor, receives every event of its project exactly once,
 * in cursor order, and none of the others.
 */
class FeedReplicationIT {

    private static final int EVENTS = 10_000;

    @Test
    void aClientHoppingBetweenInstancesAndRestartsSeesEveryEventOfItsProjectExactlyOnce() throws Exception {
        String db = SharedInfra.freshDatabase("sync_pair");
        String tag = UUID.randomUUID().toString().substring(0, 6);
        List<String> projects = List.of("r1-" + tag, "r2-" + tag, "r3-" + tag);
        String user = "carla-" + tag;
        String mine = projects.get(0);

        List<ConfigurableApplicationContext> instances = new ArrayList<>(List.of(start(db), start(db)));
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(Map.of("bootstrap.servers", SharedInfra.kafka(),
                "acks", "all", "linger.ms", 5), new StringSerializer(), JsonSerde.serializer())) {
            ProjectMembership membership = new ProjectMembership(SchemaVersion.V1, mine, user, List.of("member"), "active");
            producer.send(new ProducerRecord<>(Topics.MEMBERSHIPS.name(), membership.key(), membership)).get();
            // Both instances must know the member before its project's events flow: a live stream filters by the
            // membership as its instance knows it at that moment, so an instance that applied it late would rightly
            // withhold the first events (a fixed sleep here was a race of its own).
            long granted = System.nanoTime();
            for (ConfigurableApplicationContext instance : instances) {
                Await.until("the membership applied by " + port(instance), Duration.ofSeconds(30),
                        () -> instance.getBean(Memberships.class).isActiveMember(user, mine), applied -> applied);
            }
            System.out.printf("feed replication: membership applied by both instances after %d ms%n",
                    Duration.ofNanos(System.nanoTime() - granted).toMillis());

            Set<String> expected = java.util.concurrent.ConcurrentHashMap.newKeySet();
            CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < EVENTS; i++) {
                    String project = projects.get(i % 3);
                    String token = UUID.randomUUID().toString();
                    CcEvent event = new JobEvent(SchemaVersion.V1, UUID.randomUUID().toString(), token, project, JobType.BACKUP_PROJECT,
                            JobStatus.PROCESSING, new JobInfo(EVENTS, EVENTS - i, "rows", null, null), 1, 2, i, 1, "bench", null, null);
                    if (project.equals(mine)) {
                        expected.add(token);
                    }
                    producer.send(new ProducerRecord<>(Topics.CC_EVENTS.name(), token, event));
                    if (i % 500 == 0) {
                        producer.flush();
                        sleep(100);
                    }
                }
                producer.flush();
            });

            Random random = new Random(42);
            List<Long> cursors = new ArrayList<>();
            List<String> seen = new ArrayList<>();
            long cursor = 0;
            int hops = 0;
            boolean restarted = false;
            List<String> connections = new ArrayList<>(); // what each connection delivered, printed should events go missing
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (System.nanoTime() < deadline && !(publishing.isDone() && seen.size() >= expected.size() && seen.size() >= EVENTS / 3 - 1)) {
                ConfigurableApplicationContext instance = instances.get(hops % 2);
                int take = 20 + random.nextInt(300);
                long resumedAfter = cursor;
                int before = seen.size();
                try (SseClient sse = SseClient.open("http://127.0.0.1:" + port(instance) + "/sync/stream", TestTokens.TOKENS.user(user),
                        Long.toString(cursor))) {
                    long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                    int got = 0;
                    while (got < take && System.nanoTime() < until) {
                        got = (int) sse.events().stream().filter(e -> "cc".equals(e.event())).count();
                        sleep(20);
                    }
                    for (SseClient.Event e : sse.events()) {
                        if (!"cc".equals(e.event())) {
                            continue;
                        }
                        JsonNode event = Json.MAPPER.readTree(e.data());
                        cursors.add(event.get("cursor").asLong());
                        seen.add(event.get("data_key").asString());
                        assertThat(event.get("data").get("project_gid").asString()).as("only its own project's events").isEqualTo(mine);
                        assertThat(e.id()).isEqualTo(Long.toString(event.get("cursor").asLong()));
                        cursor = event.get("cursor").asLong();
                    }
                }
                connections.add(String.format("#%d instance %d%s: after %d, %d events through %d", hops, hops % 2,
                        restarted ? " (restart done)" : "", resumedAfter, seen.size() - before, cursor));
                hops++;
                if (!restarted && seen.size() > EVENTS / 6) {
                    // restart the instance the client is about to use: it resumes from the shared store
                    int which = hops % 2;
                    instances.get(which).close();
                    instances.set(which, start(db));
                    restarted = true;
                }
            }
            publishing.get();
            System.out.printf("feed replication: %d events of the client's project over %d connections, one restart%n", seen.size(), hops);
            assertThat(restarted).isTrue();
            assertThat(hops).as("reconnections, alternating between the instances").isGreaterThanOrEqualTo(4);
            assertThat(cursors).isSorted().doesNotHaveDuplicates();
            Set<String> missing = new HashSet<>(expected);
            missing.removeAll(seen);
            if (!missing.isEmpty()) {
                // where the missing events sit in the stream, next to what each connection delivered
                FeedStore store = instances.get(0).getBean(FeedStore.class);
                store.after(FeedMapper.CC, 0, Set.of(mine), EVENTS).filter(e -> missing.contains(e.dataKey()))
                        .doOnNext(e -> System.out.printf("feed replication: MISSING cursor %d (%s)%n", e.cursor(), e.dataKey()))
                        .blockLast(Duration.ofSeconds(30));
                connections.forEach(c -> System.out.println("feed replication: " + c));
            }
            assertThat(missing).as("events of its project never delivered (of %d)", expected.size()).isEmpty();
            assertThat(expected).as("only events of its project").containsAll(seen);
            assertThat(seen).as("each exactly once").hasSize(expected.size());
        } finally {
            instances.forEach(ConfigurableApplicationContext::close);
        }
    }

    private static ConfigurableApplicationContext start(String db) {
        Map<String, Object> props = new HashMap<>(StackProperties.forService(db));
        props.put("RP_SYNC_PORT", "0");
        props.put("RP_SYNC_IO_PORT", "-1"); // the Socket.IO endpoint is not under test here
        props.put("spring.main.banner-mode", "off");
        return new SpringApplicationBuilder(SyncEventsApplication.class).properties(props).run();
    }

    private static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
