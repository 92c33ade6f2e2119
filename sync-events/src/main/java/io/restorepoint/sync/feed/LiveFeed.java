package io.restorepoint.sync.feed;

import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Events as this instance ingests them, in cursor order, for live subscribers. Every subscriber is
 * expected to buffer on its own side (see {@code FeedService}); the sink never blocks the ingestor.
 */
@Component
public class LiveFeed {

    private final Sinks.Many<FeedEvent> sink = Sinks.many().multicast().directBestEffort();

    /** Synchronized: both streams' ingestors emit here, and a sink refuses concurrent emissions. */
    synchronized void emit(FeedEvent event) {
        sink.emitNext(event, Sinks.EmitFailureHandler.busyLooping(java.time.Duration.ofSeconds(1)));
    }

    public Flux<FeedEvent> events() {
        return sink.asFlux();
    }

    public int subscribers() {
        return sink.currentSubscriberCount();
    }
}
