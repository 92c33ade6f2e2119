package io.restorepoint.worker.jobs;

import io.restorepoint.messaging.ContractConsumers;
import io.restorepoint.schemas.Topics;
import io.restorepoint.schemas.command.JobCommand;
import io.restorepoint.worker.config.WorkerProperties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.FixedBackOff;

import java.util.HashMap;
import java.util.Map;

/**
 * The worker pool is one consumer group on the command topic: partitions (= projects) are spread over
 * the workers. One record at a time per consumer, acknowledged after the job ends; the poll interval
 * allows the longest job. A record that cannot be read or keeps failing goes to the dead-letter topic
 * with the exception in its headers, and its job ends {@code rejected} ({@link PoisonCommands}).
 */
@Configuration
public class CommandsKafkaConfiguration {

    public static final String COMMANDS_FACTORY = "commandsContainerFactory";
    public static final String GROUP = "restorepoint-workers";

    @Bean(COMMANDS_FACTORY)
    ConcurrentKafkaListenerContainerFactory<String, JobCommand> commandsContainerFactory(KafkaProperties kafka,
            KafkaTemplate<String, Object> contractTemplate, WorkerProperties properties, PoisonCommands poison,
            org.springframework.beans.factory.ObjectProvider<io.micrometer.core.instrument.MeterRegistry> metrics) {
        DeadLetterPublishingRecoverer toDlt = new DeadLetterPublishingRecoverer(contractTemplate,
                (record, e) -> new TopicPartition(Topics.COMMANDS_DLT.name(), 0));
        // dead-letter first (with the exception in its headers), then end the job it was for
        ConsumerRecordRecoverer recoverer = (record, e) -> {
            toDlt.accept(record, e);
            poison.reject(record, e);
        };
        DefaultErrorHandler errors = new DefaultErrorHandler(recoverer, new FixedBackOff(1000, 2));
        long pollInterval = properties.jobTimeout().plusMinutes(5).toMillis();
        Map<String, Object> consumer = new HashMap<>(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, GROUP,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1,
                ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, pollInterval)));
        if (properties.id() != null && !properties.id().isBlank()) {
            // static membership: a restarted worker gets its partitions back at once, without a rebalance
            consumer.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, properties.id());
        }
        return ContractConsumers.factory(kafka, Topics.COMMANDS, consumer, errors, ContainerProperties.AckMode.RECORD,
                metrics.getIfAvailable());
    }
}
