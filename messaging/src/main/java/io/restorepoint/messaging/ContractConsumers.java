package io.restorepoint.messaging;

import io.restorepoint.schemas.Topic;
import io.restorepoint.schemas.kafka.JsonSerde;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;

import java.util.HashMap;
import java.util.Map;

/** Listener container factories for contract topics. */
public final class ContractConsumers {

    private ContractConsumers() {
    }

    /**
     * A container factory reading {@code topic}'s values. Unreadable records reach the error handler
     * (and from there, for commands, the dead-letter topic) instead of failing the poll forever.
     *
     * @param overrides consumer properties on top of Boot's {@code spring.kafka.consumer.*}
     * @param metrics   where the consumers' Kafka client metrics go (records lag, fetch rates), or null
     */
    public static <V> ConcurrentKafkaListenerContainerFactory<String, V> factory(KafkaProperties kafka, Topic<String, V> topic,
            Map<String, Object> overrides, CommonErrorHandler errorHandler, ContainerProperties.AckMode ackMode,
            io.micrometer.core.instrument.MeterRegistry metrics) {
        Map<String, Object> props = new HashMap<>(kafka.buildConsumerProperties());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.putAll(overrides);
        DefaultKafkaConsumerFactory<String, V> consumers = new DefaultKafkaConsumerFactory<>(props,
                new StringDeserializer(), new ErrorHandlingDeserializer<>(JsonSerde.deserializer(topic.valueType())));
        if (metrics != null) {
            consumers.addListener(new org.springframework.kafka.core.MicrometerConsumerListener<>(metrics));
        }
        ConcurrentKafkaListenerContainerFactory<String, V> factory = new ConcurrentKafkaListenerContainerFactory<>();
        factory.setConsumerFactory(consumers);
        factory.setCommonErrorHandler(errorHandler);
        factory.getContainerProperties().setAckMode(ackMode);
        return factory;
    }
}
