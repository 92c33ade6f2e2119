package io.restorepoint.gateway.jobs;

import io.restorepoint.messaging.ContractConsumers;
import io.restorepoint.schemas.Topics;
import io.restorepoint.schemas.job.CcEvent;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

import java.util.Map;

/** The gateway reads the job stream as one consumer group: each event is applied by one instance. */
@Configuration
public class JobsKafkaConfiguration {

    public static final String CC_EVENTS_FACTORY = "ccEventsContainerFactory";
    public static final String GROUP = "restorepoint-gateway";

    @Bean(CC_EVENTS_FACTORY)
    ConcurrentKafkaListenerContainerFactory<String, CcEvent> ccEventsContainerFactory(KafkaProperties kafka,
            org.springframework.beans.factory.ObjectProvider<io.micrometer.core.instrument.MeterRegistry> metrics) {
        // a database hiccup is retried with backoff for up to ~2 minutes; an unreadable record is logged and skipped
        ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
        backOff.setMaxInterval(10_000);
        backOff.setMaxElapsedTime(120_000);
        return ContractConsumers.factory(kafka, Topics.CC_EVENTS, Map.of(
                        ConsumerConfig.GROUP_ID_CONFIG, GROUP,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new DefaultErrorHandler(backOff), ContainerProperties.AckMode.RECORD, metrics.getIfAvailable());
    }
}
