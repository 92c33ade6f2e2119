package io.restorepoint.messaging;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Kafka settings shared by the services ({@code restorepoint.kafka.*}); connection settings are
 * Spring Boot's own {@code spring.kafka.*} (env {@code RP_KAFKA_BOOTSTRAP} in the shipped configs).
 *
 * @param service           this service's name, the CloudEvents {@code ce_source} ({@code /restorepoint/<service>})
 * @param replicationFactor replication factor of the topics this service creates (1 for a single broker)
 * @param createTopics      whether to create missing topics at start-up
 */
@ConfigurationProperties("restorepoint.kafka")
public record MessagingProperties(
        @DefaultValue("restorepoint") String service,
        @DefaultValue("1") short replicationFactor,
        @DefaultValue("true") boolean createTopics) {
}
