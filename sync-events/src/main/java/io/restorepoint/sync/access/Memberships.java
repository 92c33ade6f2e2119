package io.restorepoint.sync.access;

import io.restorepoint.schemas.Topics;
import io.restorepoint.schemas.kafka.JsonSerde;
import io.restorepoint.schemas.membership.ProjectMembership;
import io.restorepoint.sync.config.SyncProperties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Who belongs to which project, read from the compacted membership topic the gateway publishes. Start-up
 * waits until the topic has been read to its end, so the first request already sees every member.
 */
@Component
public class Memberships implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Memberships.class);

    private final KafkaProperties kafka;
    private final SyncProperties properties;
    /** user → projects in which the user is an active member. */
    private final Map<String, Set<String>> activeProjects = new ConcurrentHashMap<>();
    private final CountDownLatch loaded = new CountDownLatch(1);
    private volatile KafkaConsumer<String, ProjectMembership> consumer;
    private volatile boolean running;

    public Memberships(KafkaProperties kafka, SyncProperties properties) {
        this.kafka = kafka;
        this.properties = properties;
    }

    /** The projects whose events {@code user} may see. */
    public Set<String> projectsOf(String user) {
        return Set.copyOf(activeProjects.getOrDefault(user, Set.of()));
    }

    public boolean isActiveMember(String user, String project) {
        return activeProjects.getOrDefault(user, Set.of()).contains(project);
    }

    @Override
    public void start() {
        Map<String, Object> props = new HashMap<>(kafka.buildConsumerProperties());
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), JsonSerde.deserializer(ProjectMembership.class));
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.MEMBERSHIPS.name(), Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        running = true;
        Thread thread = new Thread(() -> loop(partitions, end), "memberships");
        thread.setDaemon(true);
        thread.start();
        try {
            if (!loaded.await(properties.startupTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the membership topic could not be read within " + properties.startupTimeout());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        log.info("memberships loaded: {} users", activeProjects.size());
    }

    private void loop(List<TopicPartition> partitions, Map<TopicPartition, Long> end) {
        while (running) {
            try {
                for (ConsumerRecord<String, ProjectMembership> record : consumer.poll(Duration.ofMillis(500))) {
                    apply(record.key(), record.value());
                }
                if (loaded.getCount() > 0 && partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp))) {
                    loaded.countDown();
                }
            } catch (WakeupException e) {
                return;
            } catch (RecordDeserializationException e) {
                log.error("skipping unreadable membership at offset {}: {}", e.offset(), e.getMessage());
                consumer.seek(e.topicPartition(), e.offset() + 1);
            } catch (RuntimeException e) {
                log.error("membership topic read failed: {}", e.toString());
            }
        }
    }

    private void apply(String key, ProjectMembership membership) {
        int slash = key.indexOf('/');
        if (slash < 0) {
            return;
        }
        String project = key.substring(0, slash);
        String user = key.substring(slash + 1);
        if (membership != null && membership.isActive()) {
            activeProjects.computeIfAbsent(user, u -> ConcurrentHashMap.newKeySet()).add(project);
        } else {
            Set<String> projects = activeProjects.get(user);
            if (projects != null) {
                projects.remove(project);
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * Started before the feed ingestors, so filters are ready when events flow, and before the HTTP server
     * opens its port (phase {@code Integer.MAX_VALUE - 2048}), so the first request sees every member.
     */
    public static final int PHASE = Integer.MAX_VALUE - 4096;

    @Override
    public int getPhase() {
        return PHASE;
    }
}
