package io.restorepoint.sync.feed;

import io.restorepoint.schemas.Topics;
import io.restorepoint.schemas.job.CcEvent;
import io.restorepoint.schemas.job.ProjectDataChanged;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The two streams of the Sync API: the global {@code cc} stream and the per-project stream. */
@Configuration
public class FeedConfiguration {

    /** {@code restorepoint_feed_clients}: live subscribers of this instance (SSE streams and Socket.IO sessions). */
    @Bean
    MeterBinder feedClients(LiveFeed live) {
        return registry -> Gauge.builder("restorepoint.feed.clients", live, LiveFeed::subscribers)
                .description("clients following the feed live on this instance").register(registry);
    }

    @Bean
    FeedIngestor<CcEvent> ccIngestor(KafkaProperties kafka, FeedStore store, LiveFeed live, ObjectProvider<MeterRegistry> metrics) {
        return new FeedIngestor<>(kafka, store, live, Topics.CC_EVENTS, FeedMapper.CC, FeedMapper::cc, metrics.getIfAvailable());
    }

    @Bean
    FeedIngestor<ProjectDataChanged> projectIngestor(KafkaProperties kafka, FeedStore store, LiveFeed live,
            ObjectProvider<MeterRegistry> metrics) {
        return new FeedIngestor<>(kafka, store, live, Topics.PROJECT_EVENTS, FeedMapper.PROJECT, FeedMapper::project,
                metrics.getIfAvailable());
    }
}
