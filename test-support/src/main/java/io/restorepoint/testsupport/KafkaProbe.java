package io.restorepoint.testsupport;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Reads a topic from the beginning as a plain consumer would: keys and values as strings, headers kept. */
public final class KafkaProbe {

    private KafkaProbe() {
    }

    /** All records of {@code topic} matching {@code filter}, waiting until {@code expected} of them are there. */
    public static List<ConsumerRecord<String, String>> await(String bootstrap, String topic,
            Predicate<ConsumerRecord<String, String>> filter, int expected, Duration timeout) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap),
                new StringDeserializer(), new StringDeserializer())) {
            long deadline = System.nanoTime() + timeout.toNanos();
            List<PartitionInfo> partitions = List.of();
            while (partitions.isEmpty() && System.nanoTime() < deadline) {
                partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            }
            List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            List<ConsumerRecord<String, String>> matching = new ArrayList<>();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (filter.test(record)) {
                        matching.add(record);
                    }
                }
                if (matching.size() >= expected) {
                    return matching;
                }
            }
            throw new AssertionError("expected " + expected + " matching records on " + topic + " within " + timeout
                    + ", found " + matching.size() + ": " + matching.stream().map(ConsumerRecord::value).toList());
        }
    }

    /** Every record of {@code topic} matching {@code filter}, from the beginning up to the end offsets of now. */
    public static List<ConsumerRecord<String, String>> readToEnd(String bootstrap, String topic,
            Predicate<ConsumerRecord<String, String>> filter) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> assigned = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned);
            List<ConsumerRecord<String, String>> matching = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (assigned.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end within 30 s");
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (filter.test(record)) {
                        matching.add(record);
                    }
                }
            }
            return matching;
        }
    }
}
