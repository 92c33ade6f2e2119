package io.restorepoint.schemas;

import java.time.Instant;

/** Timestamps travel as epoch seconds with a fraction ({@code 1613565541.4195538}), as in the Unicat API. */
public final class EpochSeconds {

    private EpochSeconds() {
    }

    public static double of(Instant instant) {
        return instant.getEpochSecond() + instant.getNano() / 1_000_000_000d;
    }

    public static double now() {
        return of(Instant.now());
    }

    public static Instant toInstant(double epochSeconds) {
        long seconds = (long) Math.floor(epochSeconds);
        long nanos = Math.round((epochSeconds - seconds) * 1_000_000) * 1_000L;
        return Instant.ofEpochSecond(seconds, nanos);
    }
}
