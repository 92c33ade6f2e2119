package io.restorepoint.testsupport;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class ThreadDumpOnTimeoutTest {

    @Test
    void recognisesTheTimeoutsOurTestsFailOn() {
        // what Reactor's Mono.block(Duration) throws, and so WebTestClient's exchange()
        Throwable blockingRead = new IllegalStateException("Timeout on blocking read for 30000000000 NANOSECONDS",
                new TimeoutException("Timeout on blocking read for 30000000000 NANOSECONDS"));
        assertThat(ThreadDumpOnTimeout.isTimeout(blockingRead)).isTrue();
        assertThat(ThreadDumpOnTimeout.isTimeout(new RuntimeException(new TimeoutException("x")))).isTrue();
        Throwable await = catchThrowable(() -> Await.until("never", Duration.ofMillis(50), () -> false, done -> done));
        assertThat(ThreadDumpOnTimeout.isTimeout(await)).as(await.toString()).isTrue();
    }

    @Test
    void leavesOtherFailuresAlone() {
        assertThat(ThreadDumpOnTimeout.isTimeout(new AssertionError("expected 401 but was 403"))).isFalse();
        assertThat(ThreadDumpOnTimeout.isTimeout(new IllegalStateException("no such job"))).isFalse();
    }

    @Test
    void theDumpShowsEveryThreadWithItsWholeStack() throws Exception {
        Object lock = new Object();
        Thread waiter = new Thread(() -> {
            synchronized (lock) {
                try {
                    lock.wait();
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "dump-test-waiter");
        waiter.start();
        try {
            Await.until("waiter waiting", Duration.ofSeconds(5), waiter::getState, state -> state == Thread.State.WAITING);
            String dump = ThreadDumpOnTimeout.dump("title");
            assertThat(dump).startsWith("==== title").contains("\"dump-test-waiter\" WAITING on java.lang.Object@")
                    .contains("java.lang.Object.wait(").contains("ThreadDumpOnTimeoutTest")
                    .contains("\"main\" RUNNABLE").endsWith("==== end of thread dump\n");
        } finally {
            waiter.interrupt();
        }
    }
}
