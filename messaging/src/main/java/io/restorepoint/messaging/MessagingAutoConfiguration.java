package io.restorepoint.messaging;

import io.restorepoint.schemas.Topic;
import io.restorepoint.schemas.Topics;
import io.restorepoint.schemas.kafka.JsonSerde;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Topics, producer and publisher for every RestorePoint service. */
@AutoConfiguration(before = KafkaAutoConfiguration.class)
@EnableConfigurationProperties(MessagingProperties.class)
public class MessagingAutoConfiguration {

    /** Every topic of the registry, created at start-up when missing. */
    @Bean
    @ConditionalOnProperty(name = "restorepoint.kafka.create-topics", havingValue = "true", matchIfMissing = true)
    KafkaAdmin.NewTopics restorepointTopics(MessagingProperties properties) {
        return new KafkaAdmin.NewTopics(Topics.all().stream()
                .map(topic -> newTopic(topic, properties.replicationFactor()))
                .toArray(NewTopic[]::new));
    }

    static NewTopic newTopic(Topic<?, ?> topic, short replicationFactor) {
        TopicBuilder builder = TopicBuilder.name(topic.name())
                .partitions(topic.partitions())
                .replicas(replicationFactor);
        if (topic.compacted()) {
            builder.compact();
        } else {
            builder.config(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
        }
        if (topic.retention() != null) {
            builder.config(TopicConfig.RETENTION_MS_CONFIG, Long.toString(topic.retention().toMillis()));
        }
        return builder.build();
    }

    /** Idempotent, acks=all: a record the broker acknowledged is neither lost nor duplicated by retries. */
    @Bean
    KafkaTemplate<String, Object> contractTemplate(KafkaProperties kafka) {
        Map<String, Object> props = new HashMap<>(kafka.buildProducerProperties());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        props.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        DefaultKafkaProducerFactory<String, Object> factory = new DefaultKafkaProducerFactory<>(props,
                new StringSerializer(), JsonSerde.serializer());
        return new KafkaTemplate<>(factory);
    }

    /** {@code kafka} in the health endpoint and the readiness group (see {@link KafkaHealthIndicator}). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    static class KafkaHealthConfiguration {

        @Bean(name = "kafka")
        KafkaHealthIndicator kafkaHealthIndicator(KafkaProperties kafka) {
            return new KafkaHealthIndicator(kafka.buildAdminProperties(), Duration.ofSeconds(3));
        }
    }

    @Bean
    ContractPublisher contractPublisher(KafkaTemplate<String, Object> contractTemplate, MessagingProperties properties) {
        return new ContractPublisher(contractTemplate, properties.service());
    }
}
