package io.restorepoint.sync.feed;

import io.restorepoint.schemas.Topics;
import io.restorepoint.schemas.job.CcEvent;
import io.restorepoint.schemas.job.ProjectDataChanged;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The two streams of the Sync API: the global {@code cc} stream and the per-project stream. */
@Configuration
public class FeedConfiguration {

    @Bean
    FeedIngestor<CcEvent> ccIngestor(KafkaProperties kafka, FeedStore store, LiveFeed live) {
        return new FeedIngestor<>(kafka, store, live, Topics.CC_EVENTS, FeedMapper.CC, FeedMapper::cc);
    }

    @Bean
    FeedIngestor<ProjectDataChanged> projectIngestor(KafkaProperties kafka, FeedStore store, LiveFeed live) {
        return new FeedIngestor<>(kafka, store, live, Topics.PROJECT_EVENTS, FeedMapper.PROJECT, FeedMapper::project);
    }
}
