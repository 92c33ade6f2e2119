package io.restorepoint.sync.feed;

import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import java.util.concurrent.ArrayBlockingQueue;

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

    private final Sinks.Many<FeedEvent> held;
    private final int capacity;
    private final Disposable.Swap following = Disposables.swap();

    private LiveBacklog(Flux<FeedEvent> live, int capacity) {
        this.capacity = capacity;
        this.held = Sinks.many().unicast().onBackpressureBuffer(new ArrayBlockingQueue<>(capacity));
        following.update(live.subscribe(this::hold, held::tryEmitError, held::tryEmitComplete));
    }

    /** Subscribes to {@code live} at once. */
    static LiveBacklog follow(Flux<FeedEvent> live, int capacity) {
        return new LiveBacklog(live, capacity);
    }

    private void hold(FeedEvent event) {
        Sinks.EmitResult result = held.tryEmitNext(event);
        if (result.isFailure()) {
            if (result == Sinks.EmitResult.FAIL_OVERFLOW || result == Sinks.EmitResult.FAIL_ZERO_SUBSCRIBER) {
                // the queue is full (FAIL_ZERO_SUBSCRIBER: full before anyone read it)
                held.tryEmitError(Exceptions.failWithOverflow("more than " + capacity + " live events were waiting for this client"));
            }
            following.dispose(); // also when the reader has gone (cancelled)
        }
    }

    /** The events since {@link #follow}, in the order the live feed emitted them; subscribe once. */
    Flux<FeedEvent> events() {
        return held.asFlux();
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
