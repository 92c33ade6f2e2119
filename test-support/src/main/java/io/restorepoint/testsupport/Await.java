package io.restorepoint.testsupport;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls until a condition holds; fails with the last observed value. */
public final class Await {

    private Await() {
    }

    public static <T> T until(String what, Duration timeout, Supplier<T> probe, java.util.function.Predicate<T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        Throwable lastError = null;
        while (System.nanoTime() < deadline) {
            try {
                last = probe.get();
                lastError = null;
                if (done.test(last)) {
                    return last;
                }
            } catch (RuntimeException | AssertionError e) {
                lastError = e;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        AssertionError error = new AssertionError("timed out after " + timeout + " waiting for " + what + "; last value: " + last);
        if (lastError != null) {
            error.initCause(lastError);
        }
        throw error;
    }
}
