package io.restorepoint.schemas;

import java.time.Duration;

/**
 * One Kafka topic of the contract: its name, the type of its keys and values, and how it is laid out.
 *
 * @param name          the topic name; versioned ({@code .v1}) so an incompatible change gets a new topic
 * @param keyType       what the record key holds
 * @param valueType     the value type (a sealed interface when the topic carries several event types)
 * @param partitions    partitions to create it with
 * @param compacted     {@code true} for a compacted state topic, {@code false} for an append-only log
 * @param retention     how long records are kept ({@code null}: forever / compaction only)
 * @param keyMeaning    what the key is, in words
 */
public record Topic<K, V>(
        String name,
        Class<K> keyType,
        Class<V> valueType,
        int partitions,
        boolean compacted,
        Duration retention,
        String keyMeaning) {
}
