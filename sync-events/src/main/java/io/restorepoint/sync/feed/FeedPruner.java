package io.restorepoint.sync.feed;

import io.restorepoint.schemas.EpochSeconds;
import io.restorepoint.sync.config.SyncProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import java.util.List;

/**
 * Keeps the feed store to its retention: every {@code prune-interval}, events older than
 * {@code retention} are removed (the newest event of a stream always stays). Any instance may prune; the
 * statements are idempotent.
 */
@Component
public class FeedPruner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(FeedPruner.class);

    private final FeedStore store;
    private final SyncProperties properties;
    private Disposable schedule;

    public FeedPruner(FeedStore store, SyncProperties properties) {
        this.store = store;
        this.properties = properties;
    }

    /** Removes what is past retention now; returns events removed. */
    public long pruneNow() {
        double before = EpochSeconds.now() - properties.retention().toSeconds();
        return Flux.fromIterable(List.of(FeedMapper.CC, FeedMapper.PROJECT))
                .concatMap(stream -> store.prune(stream, before))
                .reduce(0L, Long::sum)
                .block(java.time.Duration.ofMinutes(5));
    }

    @Override
    public void start() {
        schedule = Flux.interval(properties.pruneInterval(), properties.pruneInterval(), Schedulers.boundedElastic())
                .subscribe(tick -> {
                    try {
                        long removed = pruneNow();
                        if (removed > 0) {
                            log.info("removed {} events older than {} from the feed store", removed, properties.retention());
                        }
                    } catch (RuntimeException e) {
                        log.warn("feed retention run failed: {}", e.toString());
                    }
                });
    }

    @Override
    public void stop() {
        if (schedule != null) {
            schedule.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        return schedule != null && !schedule.isDisposed();
    }
}
