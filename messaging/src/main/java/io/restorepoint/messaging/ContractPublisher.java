package io.restorepoint.messaging;

import io.restorepoint.schemas.Topic;
import io.restorepoint.schemas.kafka.CloudEventHeaders;
import io.restorepoint.schemas.kafka.TraceContext;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.springframework.kafka.core.KafkaTemplate;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Instant;
import java.util.UUID;

/**
 * Publishes contract records with CloudEvents headers. Sends through the idempotent, acks=all
 * {@link KafkaTemplate}; the returned Mono completes when the broker has the record (reactor-kafka
 * is discontinued, so the template's future is wrapped).
 */
public final class ContractPublisher {

    private final KafkaTemplate<String, Object> template;
    private final String source;

    public ContractPublisher(KafkaTemplate<String, Object> template, String service) {
        this.template = template;
        this.source = "/restorepoint/" + service;
    }

    /**
     * @param topic   the topic, from {@link io.restorepoint.schemas.Topics}
     * @param key     record key
     * @param value   record value
     * @param ceType  CloudEvents type, e.g. {@code io.restorepoint.job.v1}
     * @param eventId CloudEvents id (null: a random one)
     * @param subject CloudEvents subject (the job token)
     */
    public <V> Mono<RecordMetadata> publish(Topic<String, ? super V> topic, String key, V value, String ceType,
            String eventId, String subject) {
        return Mono.deferContextual(context -> publish(topic, key, value, ceType, eventId, subject,
                context.<TraceContext>getOrEmpty(TraceContext.class).orElse(null)));
    }

    /**
     * Publishes with an explicit trace context ({@code ce_traceparent}); the overload without one takes it
     * from the Reactor context (key {@code TraceContext.class}), where the gateway's request filter puts it.
     */
    public <V> Mono<RecordMetadata> publish(Topic<String, ? super V> topic, String key, V value, String ceType,
            String eventId, String subject, TraceContext trace) {
        return Mono.defer(() -> {
            ProducerRecord<String, Object> record = new ProducerRecord<>(topic.name(), null, key, value,
                    CloudEventHeaders.of(eventId == null ? UUID.randomUUID().toString() : eventId, ceType, source,
                            subject, Instant.now(), trace == null ? null : trace.child()));
            return Mono.fromFuture(template.send(record)).map(result -> result.getRecordMetadata());
        }).transform(ContractPublisher::offKafkaThreads);
    }

    /**
     * {@code send} may block (up to {@code max.block.ms}) while it fetches metadata, so it never runs on
     * a Netty event loop; and its future completes on the producer's own I/O thread, where a further
     * send would wait for the very metadata that thread is meant to fetch. Both hops avoid that.
     */
    private static <T> Mono<T> offKafkaThreads(Mono<T> send) {
        return send.subscribeOn(Schedulers.boundedElastic()).publishOn(Schedulers.boundedElastic());
    }

    /** Publishes a tombstone (null value) for a key of a compacted topic. */
    public Mono<RecordMetadata> tombstone(Topic<String, ?> topic, String key) {
        return Mono.defer(() -> Mono.fromFuture(template.send(new ProducerRecord<>(topic.name(), key, null)))
                .map(result -> result.getRecordMetadata())).transform(ContractPublisher::offKafkaThreads);
    }
}
