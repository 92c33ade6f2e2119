package io.restorepoint.gateway.limits;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenBucketsTest {

    final AtomicLong now = new AtomicLong(1_000_000_000L);
    final TokenBuckets buckets = new TokenBuckets(60, 3, now::get); // one a second, three at once

    @Test
    void aBurstPassesThenTheRateHolds() {
        assertThat(buckets.take("alice")).isZero();
        assertThat(buckets.take("alice")).isZero();
        assertThat(buckets.take("alice")).isZero();
        assertThat(buckets.take("alice")).as("seconds to wait").isEqualTo(1);
        assertThat(buckets.take("bob")).as("callers do not share a bucket").isZero();
        now.addAndGet(1_000_000_000L);
        assertThat(buckets.take("alice")).isZero();
        assertThat(buckets.take("alice")).isEqualTo(1);
    }

    @Test
    void refillStopsAtTheBurstSize() {
        for (int i = 0; i < 3; i++) {
            buckets.take("alice");
        }
        now.addAndGet(3_600_000_000_000L); // an hour idle
        for (int i = 0; i < 3; i++) {
            assertThat(buckets.take("alice")).isZero();
        }
        assertThat(buckets.take("alice")).isPositive();
    }

    @Test
    void slowRatesAnswerTheRealWait() {
        TokenBuckets slow = new TokenBuckets(2, 1, now::get); // one every 30 s
        assertThat(slow.take("x")).isZero();
        assertThat(slow.take("x")).isEqualTo(30);
        now.addAndGet(20_000_000_000L);
        assertThat(slow.take("x")).isEqualTo(10);
    }

    @Test
    void nonsenseLimitsAreRefused() {
        assertThatThrownBy(() -> new TokenBuckets(0, 1, now::get)).isInstanceOf(IllegalArgumentException.class);
    }
}
