package io.restorepoint.sync.feed;

import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A subscription to the live feed that is taken <em>now</em> and holds its events until they are read. A
 * live stream takes one before it reads the store: every event is either stored before that read (and
 * replayed from the store) or stored after it, and then emitted after this subscription (and held here).
 * Taking the live subscription only when the replay is done, or at a moment an operator chooses, leaves a
 * window in which an event is in neither.
 *
 * <p>At most {@code capacity} events are held; one more ends {@link #events()} with an overflow error after
 * the held ones (the client then resumes from its last cursor, as for any slow client).
 */
final class LiveBacklog implements Disposable {

    /**
     * An unbounded queue growing in chunks of 256 (as {@code onBackpressureBuffer} uses): no allocation per
     * event and none of the bound up front, for the many clients that never fall behind. {@link #waiting} bounds it.
     */
    private final Sinks.Many<FeedEvent> held = Sinks.many().unicast().onBackpressureBuffer();
    private final AtomicInteger waiting = new AtomicInteger();
    private final int capacity;
    private final Disposable.Swap following = Disposables.swap();

    private LiveBacklog(Flux<FeedEvent> live, int capacity) {
        this.capacity = capacity;
        following.update(live.subscribe(this::hold, held::tryEmitError, held::tryEmitComplete));
    }

    /** Subscribes to {@code live} at once. */
    static LiveBacklog follow(Flux<FeedEvent> live, int capacity) {
        return new LiveBacklog(live, capacity);
    }

    private void hold(FeedEvent event) {
        if (waiting.incrementAndGet() > capacity) {
            held.tryEmitError(Exceptions.failWithOverflow("more than " + capacity + " live events were waiting for this client"));
            following.dispose();
        } else if (held.tryEmitNext(event).isFailure()) {
            following.dispose(); // the reader has gone
        }
    }

    /** The events since {@link #follow}, in the order the live feed emitted them; subscribe once. */
    Flux<FeedEvent> events() {
        return held.asFlux().doOnNext(event -> waiting.decrementAndGet());
    }

    @Override
    public void dispose() {
        following.dispose();
    }

    @Override
    public boolean isDisposed() {
        return following.isDisposed();
    }
}
