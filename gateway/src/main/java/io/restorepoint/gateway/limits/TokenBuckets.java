package io.restorepoint.gateway.limits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One token bucket per key: {@code burst} tokens, refilled at {@code perMinute} a minute. Buckets that have
 * filled up again are forgotten, so memory follows the callers active in the last moments, not all callers.
 */
public final class TokenBuckets {

    private final double capacity;
    private final double perNano;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong calls = new java.util.concurrent.atomic.AtomicLong();

    public TokenBuckets(int perMinute, int burst, LongSupplier nanoTime) {
        if (perMinute < 1 || burst < 1) {
            throw new IllegalArgumentException("a rate limit needs at least 1 request a minute and a burst of 1");
        }
        this.capacity = burst;
        this.perNano = perMinute / 60e9;
        this.nanoTime = nanoTime;
    }

    /**
     * Takes a token for {@code key}.
     *
     * @return 0 when the request may go ahead, otherwise the whole seconds to wait before the next token
     */
    public long take(String key) {
        long now = nanoTime.getAsLong();
        if (calls.incrementAndGet() % 10_000 == 0) {
            // forget callers whose bucket is full again (atomically per key, so no one's bucket is lost mid-take)
            for (String idle : buckets.keySet()) {
                buckets.computeIfPresent(idle, (k, b) -> b.level(now) >= capacity ? null : b);
            }
        }
        long[] wait = new long[1];
        buckets.compute(key, (k, bucket) -> {
            Bucket b = bucket == null ? new Bucket(capacity, now) : bucket;
            double level = b.level(now);
            if (level >= 1) {
                b.tokens = level - 1;
                b.at = now;
            } else {
                wait[0] = (long) Math.ceil((1 - level) / perNano / 1e9);
            }
            return b;
        });
        return wait[0];
    }

    int size() {
        return buckets.size();
    }

    private final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }

        double level(long now) {
            return Math.min(capacity, tokens + (now - at) * perNano);
        }
    }
}
