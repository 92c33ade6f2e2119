package io.restorepoint.sync.feed;

import io.restorepoint.messaging.ContractPublisher;
import io.restorepoint.schemas.Topics;
import io.restorepoint.schemas.job.CcEvent;
import io.restorepoint.schemas.job.JobStatus;
import io.restorepoint.sync.JobEvents;
import io.restorepoint.testsupport.Await;
import io.restorepoint.testsupport.SharedInfra;
import io.restorepoint.testsupport.StackProperties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An ingestor whose write to the store fails (a deadlock, a lost connection) while the other instance has
 * already stored the same events must still emit them to its own live clients: it retries from the last
 * event it emitted, not from the store's last cursor. The application's own ingestor plays the other
 * instance; a second ingestor over the same store fails its first write.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class FeedIngestorIT {

    private static final int EVENTS = 40;

    @DynamicPropertySource
    static void infra(DynamicPropertyRegistry registry) {
        StackProperties.forService(SharedInfra.freshDatabase("sync_ingest")).forEach((k, v) -> registry.add(k, () -> v));
        registry.add("restorepoint.sync.socket-io-port", () -> "-1");
    }

    @Autowired
    DatabaseClient db;

    @Autowired
    KafkaProperties kafka;

    @Autowired
    FeedStore appStore;

    @Autowired
    ContractPublisher publisher;

    @Test
    void aFailedWriteOfEventsAnotherInstanceStoredIsRetriedAndEmittedLive() {
        long end = endOfTopic();
        Await.until("the application's ingestor has read the topic", Duration.ofSeconds(60),
                () -> appStore.latest(FeedMapper.CC).block(Duration.ofSeconds(10)), latest -> latest >= end);

        FailingOnceStore store = new FailingOnceStore(db, appStore);
        LiveFeed live = new LiveFeed();
        List<FeedEvent> emitted = new CopyOnWriteArrayList<>();
        live.events().subscribe(emitted::add);
        FeedIngestor<CcEvent> ingestor = new FeedIngestor<>(kafka, store, live, Topics.CC_EVENTS, FeedMapper.CC, FeedMapper::cc);
        ingestor.start();
        try {
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < EVENTS; i++) {
                tokens.add(job("ingest-" + i));
            }
            Await.until("every event emitted live", Duration.ofSeconds(60), emitted::size, n -> n >= EVENTS);

            assertThat(store.failures).as("the first write failed").hasValue(1);
            assertThat(store.failedAfterOthersStored).as("the events of the failed write were stored by the other instance").isTrue();
            assertThat(emitted).extracting(FeedEvent::dataKey).as("each event once, in order").containsExactlyElementsOf(tokens);
            assertThat(emitted).extracting(FeedEvent::cursor).as("no gap in the cursors")
                    .containsExactlyElementsOf(LongStream.rangeClosed(end + 1, end + EVENTS).boxed().toList());
        } finally {
            ingestor.stop();
        }
    }

    private String job(String project) {
        return JobEvents.publish(publisher, project, UUID.randomUUID().toString(), JobStatus.PROCESSING);
    }

    /** The cursor of the topic's last record: this store's cursors are offset + 1 (it first read this topic). */
    private long endOfTopic() {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafka());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(Topics.CC_EVENTS.name(), 0);
            return consumer.endOffsets(List.of(partition)).get(partition);
        }
    }

    /** Fails its first write, once the other instance has stored the same events. */
    private static final class FailingOnceStore extends FeedStore {
        private final FeedStore other;
        final AtomicInteger failures = new AtomicInteger();
        volatile boolean failedAfterOthersStored;

        FailingOnceStore(DatabaseClient db, FeedStore other) {
            super(db);
            this.other = other;
        }

        @Override
        public Mono<Void> store(String stream, List<FeedEvent> events, double now) {
            if (events.isEmpty() || failures.get() > 0) {
                return super.store(stream, events, now);
            }
            long last = events.get(events.size() - 1).cursor();
            failedAfterOthersStored = Await.until("the other instance stores through cursor " + last, Duration.ofSeconds(30),
                    () -> other.latest(stream).block(Duration.ofSeconds(10)), latest -> latest >= last) >= last;
            failures.incrementAndGet();
            return Mono.error(new IllegalStateException("simulated: Deadlock found when trying to get lock"));
        }
    }
}
