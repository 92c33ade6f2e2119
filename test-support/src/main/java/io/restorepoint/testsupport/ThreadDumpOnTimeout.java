package io.restorepoint.testsupport;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.concurrent.TimeoutException;

/**
 * When a test fails on a timeout (a blocking read, an await, a future), prints every thread's stack before
 * the failure is reported: a hang that only shows up now and then in CI is diagnosed from the first one, not
 * reproduced. Registered for every test that has test-support on its class path (service loader entry;
 * the build turns on JUnit's extension auto-detection). The failure itself is passed on unchanged.
 */
public final class ThreadDumpOnTimeout implements TestExecutionExceptionHandler {

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        if (isTimeout(failure)) {
            System.out.println(dump("thread dump after " + context.getDisplayName() + " timed out: " + failure));
        }
        throw failure;
    }

    static boolean isTimeout(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (t instanceof TimeoutException || t.getClass().getSimpleName().contains("Timeout")
                    || message.startsWith("Timeout on blocking read") || message.contains("timed out")) {
                return true;
            }
        }
        return false;
    }

    static String dump(String title) {
        StringBuilder out = new StringBuilder("==== ").append(title).append('\n');
        for (ThreadInfo thread : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            out.append('"').append(thread.getThreadName()).append("\" ").append(thread.getThreadState());
            if (thread.getLockName() != null) {
                out.append(" on ").append(thread.getLockName());
            }
            if (thread.getLockOwnerName() != null) {
                out.append(" owned by \"").append(thread.getLockOwnerName()).append('"');
            }
            out.append('\n');
            // ThreadInfo.toString() cuts stacks at 8 frames; a hang is usually deeper than that
            for (StackTraceElement frame : thread.getStackTrace()) {
                out.append("    at ").append(frame).append('\n');
            }
        }
        return out.append("==== end of thread dump\n").toString();
    }
}
