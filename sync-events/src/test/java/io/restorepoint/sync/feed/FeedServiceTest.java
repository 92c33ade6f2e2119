package io.restorepoint.sync.feed;

import io.restorepoint.sync.config.SyncProperties;
import io.restorepoint.web.security.Caller;
import org.junit.jupiter.api.Test;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand-over from the store's replay to live events, with a store that stands in for the race an
 * ingestor can win: it stores and emits an event just after the replay has read the store.
 */
class FeedServiceTest {

    private static final Caller ADMIN = new Caller("root", List.of(Caller.ADMIN), null);

    private final LiveFeed live = new LiveFeed();

    @Test
    void anEventStoredJustAfterTheReplayReadTheStoreStillReachesTheClient() {
        // the replay sees cursors 1..2; the ingestor then stores 3 and emits it, before the replay has finished
        FakeStore store = new FakeStore(List.of(event(1), event(2)), () -> live.emit(event(3)));
        List<Long> cursors = service(store, 100).stream(ADMIN, new FeedService.Position(0, null, 0))
                .map(FeedEvent::cursor).take(3).collectList().block(Duration.ofSeconds(5));
        assertThat(cursors).containsExactly(1L, 2L, 3L);
    }

    @Test
    void liveEventsTheReplayAlreadyDeliveredAreNotRepeated() {
        FakeStore store = new FakeStore(List.of(event(1), event(2), event(3)), () -> {
            live.emit(event(2));
            live.emit(event(3));
            live.emit(event(4));
        });
        List<Long> cursors = service(store, 100).stream(ADMIN, new FeedService.Position(1, null, 0))
                .map(FeedEvent::cursor).take(3).collectList().block(Duration.ofSeconds(5));
        assertThat(cursors).containsExactly(2L, 3L, 4L);
    }

    @Test
    void aClientFallingMoreThanTheBufferBehindGetsWhatWasHeldThenAnOverflow() {
        Sinks.One<Void> replayMayFinish = Sinks.one();
        FakeStore store = new FakeStore(List.of(event(1)), () -> {
            for (long cursor = 2; cursor <= 5; cursor++) {
                live.emit(event(cursor)); // 4 live events for a buffer of 3, while the replay is still running
            }
            replayMayFinish.tryEmitEmpty();
        });
        store.replayGate = replayMayFinish.asMono();
        List<Long> cursors = new CopyOnWriteArrayList<>();
        AtomicReference<Throwable> ended = new AtomicReference<>();
        service(store, 3).stream(ADMIN, new FeedService.Position(0, null, 0))
                .doOnNext(e -> cursors.add(e.cursor()))
                .onErrorResume(e -> {
                    ended.set(e);
                    return Mono.empty();
                })
                .blockLast(Duration.ofSeconds(5));
        assertThat(cursors).containsExactly(1L, 2L, 3L, 4L);
        assertThat(Exceptions.isOverflow(ended.get())).as("ended by %s", ended.get()).isTrue();
        assertThat(live.subscribers()).as("the live subscription is released").isZero();
    }

    @Test
    void aClientThatKeepsUpNeverOverflowsHoweverManyEventsPass() {
        FakeStore store = new FakeStore(List.of(event(1)), () -> { });
        List<Long> cursors = new CopyOnWriteArrayList<>();
        reactor.core.Disposable reading = service(store, 3).stream(ADMIN, new FeedService.Position(0, null, 0))
                .subscribe(e -> cursors.add(e.cursor()));
        for (long cursor = 2; cursor <= 50; cursor++) {
            live.emit(event(cursor)); // delivered at once: never more than one waiting for a buffer of 3
        }
        reading.dispose();
        assertThat(cursors).hasSize(50).last().isEqualTo(50L);
    }

    @Test
    void theLiveSubscriptionIsReleasedWhenTheClientGoes() {
        FakeStore store = new FakeStore(List.of(event(1)), () -> { });
        List<Long> cursors = service(store, 100).stream(ADMIN, new FeedService.Position(0, null, 0))
                .map(FeedEvent::cursor).take(1).collectList().block(Duration.ofSeconds(5));
        assertThat(cursors).containsExactly(1L);
        assertThat(live.subscribers()).isZero();
    }

    private FeedService service(FeedStore store, int liveBuffer) {
        SyncProperties properties = new SyncProperties(1000, 10000, Duration.ofSeconds(15), liveBuffer, Duration.ofSeconds(5),
                Duration.ofDays(30), Duration.ofHours(1), -1);
        return new FeedService(store, live, null, properties);
    }

    private static FeedEvent event(long cursor) {
        return new FeedEvent(FeedMapper.CC, cursor, "p1", "job", "k" + cursor, "{\"cursor\":" + cursor + "}");
    }

    /** A store holding {@code stored}; {@code afterRead} runs once the first read has taken its snapshot. */
    private static final class FakeStore extends FeedStore {
        private final List<FeedEvent> stored;
        private final Runnable afterRead;
        private Mono<Void> replayGate = Mono.empty();
        private boolean read;

        FakeStore(List<FeedEvent> stored, Runnable afterRead) {
            super(null);
            this.stored = stored;
            this.afterRead = afterRead;
        }

        @Override
        public Flux<FeedEvent> after(String stream, long cursor, Collection<String> projects, int limit) {
            List<FeedEvent> snapshot = new ArrayList<>(stored.stream().filter(e -> e.cursor() > cursor).limit(limit).toList());
            if (!read) {
                read = true;
                afterRead.run();
            }
            return replayGate.thenMany(Flux.fromIterable(snapshot));
        }

        @Override
        public Mono<Long> prunedThrough(String stream) {
            return Mono.just(0L);
        }
    }
}
