package io.restorepoint.sync.feed;

import io.restorepoint.schemas.EpochSeconds;
import io.restorepoint.schemas.Topic;
import io.restorepoint.schemas.Topics;
import io.restorepoint.schemas.kafka.JsonSerde;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import io.restorepoint.schemas.kafka.CloudEventHeaders;
import io.restorepoint.schemas.kafka.TraceContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Reads the cc stream topic (one partition) and gives every record the cursor {@code base + offset + 1}:
 * the same cursor on every instance and after every restart. The base is 0 for the first topic the
 * stream was read from; should the topic be recreated (its id changes, offsets restart), the new base is
 * the last stored cursor, so cursors never go backwards and old client cursors stay meaningful. Each
 * batch is stored first, then pushed live, so a client switching from catch-up (store) to live push never
 * finds a gap. The instance resumes from the highest cursor in the store; no consumer group or offset
 * commit is involved. From then on it emits every event live, in cursor order and without a gap: after a
 * failed write it re-reads from the last event it emitted (not from the store's last cursor, which another
 * instance may have moved on), and it starts before the HTTP server opens its port.
 */
public class FeedIngestor<V> implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(FeedIngestor.class);

    private final KafkaProperties kafka;
    private final FeedStore store;
    private final LiveFeed live;
    private final Topic<String, V> topic;
    private final String stream;
    private final FeedMapper.Mapping<V> mapper;
    private final TopicPartition partition;
    private volatile KafkaConsumer<String, V> consumer;
    private volatile Thread thread;
    private volatile boolean running;
    private volatile long ingested;
    /** The last cursor this instance has passed to the live feed (or found stored at start-up). */
    private volatile long emittedThrough;
    private volatile long base;
    private final io.micrometer.core.instrument.MeterRegistry metrics;
    private io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics clientMetrics;

    /**
     * @param topic  a single-partition stream topic
     * @param stream the stream's name in the store ({@code cc}, {@code project})
     * @param mapper the client-facing event of a record, given its cursor
     */
    public FeedIngestor(KafkaProperties kafka, FeedStore store, LiveFeed live, Topic<String, V> topic, String stream,
            FeedMapper.Mapping<V> mapper) {
        this(kafka, store, live, topic, stream, mapper, null);
    }

    /** @param metrics where the consumer's Kafka client metrics (records lag of the stream) go, or null */
    public FeedIngestor(KafkaProperties kafka, FeedStore store, LiveFeed live, Topic<String, V> topic, String stream,
            FeedMapper.Mapping<V> mapper, io.micrometer.core.instrument.MeterRegistry metrics) {
        this.metrics = metrics;
        this.kafka = kafka;
        this.store = store;
        this.live = live;
        this.topic = topic;
        this.stream = stream;
        this.mapper = mapper;
        this.partition = new TopicPartition(topic.name(), 0);
    }

    @Override
    public void start() {
        Map<String, Object> props = new HashMap<>(kafka.buildConsumerProperties());
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), JsonSerde.deserializer(topic.valueType()));
        consumer.assign(List.of(partition));
        if (metrics != null) {
            clientMetrics = new io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics(consumer,
                    List.of(io.micrometer.core.instrument.Tag.of("stream", stream)));
            clientMetrics.bindTo(metrics);
        }
        long from = store.latest(stream).block(Duration.ofSeconds(30));
        base = cursorBase(props, from);
        consumer.seek(partition, Topics.offsetAfter(from - base));
        emittedThrough = from;
        log.info("{} feed resumes after cursor {} (offset {} of {})", stream, from, from - base, partition);
        running = true;
        thread = new Thread(this::loop, "feed-ingestor-" + stream);
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            try {
                ConsumerRecords<String, V> records = consumer.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    ingest(records.records(partition));
                }
            } catch (WakeupException e) {
                return;
            } catch (RecordDeserializationException e) {
                log.error("skipping unreadable record at offset {} of {}: {}", e.offset(), e.topicPartition(), e.getMessage());
                consumer.seek(e.topicPartition(), e.offset() + 1);
            } catch (RuntimeException e) {
                // Retry from the first event not yet emitted live, not from the store's last cursor: another
                // instance may have stored further, but live clients of this one have not seen those events.
                log.error("feed ingestion failed, retrying after cursor {}: {}", emittedThrough, e.toString());
                sleep();
                consumer.seek(partition, Topics.offsetAfter(emittedThrough - base));
            }
        }
    }

    /** The cursor base of the topic as it is now: unchanged if it is the topic recorded, else the last cursor. */
    private long cursorBase(Map<String, Object> props, long latest) {
        String topicId;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                props.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)))) {
            topicId = admin.describeTopics(List.of(partition.topic())).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(partition.topic()).topicId().toString();
        } catch (Exception e) {
            throw new IllegalStateException("cannot describe " + partition.topic() + ": " + e.getMessage(), e);
        }
        FeedStore.StreamOrigin recorded = store.origin(stream).block(Duration.ofSeconds(30));
        FeedStore.StreamOrigin current = origin(recorded, topicId, latest);
        if (!current.equals(recorded)) {
            if (recorded != null || latest > 0) {
                log.warn("{} is a new topic (id {}, was {}): its cursors continue after {}", partition.topic(), topicId,
                        recorded == null ? "unrecorded" : recorded.topicId(), latest);
            }
            store.recordOrigin(stream, current).block(Duration.ofSeconds(30));
        }
        return current.cursorBase();
    }

    /**
     * The origin to read with: the recorded one while the topic is the same; for a topic not seen before,
     * a base of the last stored cursor (0 for a new store).
     */
    static FeedStore.StreamOrigin origin(FeedStore.StreamOrigin recorded, String topicId, long latestStored) {
        if (recorded != null && recorded.topicId().equals(topicId)) {
            return recorded;
        }
        return new FeedStore.StreamOrigin(topicId, latestStored);
    }

    private void ingest(List<ConsumerRecord<String, V>> records) {
        if (records.isEmpty()) {
            return;
        }
        List<FeedEvent> events = new ArrayList<>(records.size());
        for (ConsumerRecord<String, V> record : records) {
            if (record.value() == null) {
                continue;
            }
            TraceContext trace = CloudEventHeaders.trace(record.headers());
            events.add(mapper.map(base + Topics.cursorOf(record.offset()), record.value(), trace == null ? null : trace.traceId()));
        }
        store.store(stream, events, EpochSeconds.now()).block(Duration.ofSeconds(30));
        for (FeedEvent event : events) {
            live.emit(event);
            emittedThrough = event.cursor();
        }
        emittedThrough = base + Topics.cursorOf(records.get(records.size() - 1).offset()); // past trailing tombstones too
        ingested += events.size();
    }

    public long ingested() {
        return ingested;
    }

    private static void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (clientMetrics != null) {
            clientMetrics.close();
        }
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * After {@link io.restorepoint.sync.access.Memberships}, before the HTTP server opens its port (phase
     * {@code Integer.MAX_VALUE - 2048}) and before the Socket.IO endpoint. A client that connected before the
     * ingestor started would replay the store as it was then, while the ingestor starts after the store's last
     * cursor at its own start: what another instance stored in between would reach that client by neither path.
     */
    public static final int PHASE = Integer.MAX_VALUE - 3072;

    @Override
    public int getPhase() {
        return PHASE;
    }
}
