package io.restorepoint.bench;

import io.restorepoint.local.LocalStackMain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** What every benchmark's {@code main} does around its run: work directory, clean-up on any exit, exit code. */
final class BenchRunner {

    private BenchRunner() {
    }

    /** The checkout the benchmark runs in (see {@link LocalStackMain#repoRoot()}). */
    static Path repoRoot() {
        return LocalStackMain.repoRoot();
    }

    /**
     * {@code bench/target/<name>} of the checkout, created; the local stack's logback.xml writes broker
     * and database chatter to {@code infra.log} in it.
     */
    static Path workDir(String name) throws IOException {
        Path work = Files.createDirectories(repoRoot().resolve("bench").resolve("target").resolve(name));
        System.setProperty("restorepoint.local.logs", work.toString());
        return work;
    }

    /** Runs the benchmark, cleans up (also on Ctrl-C) and exits with its status. */
    static void runAndExit(Callable<Integer> run, Runnable cleanUp) throws Exception {
        Thread hook = new Thread(cleanUp, "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        int status;
        try {
            status = run.call();
        } finally {
            cleanUp.run();
        }
        Runtime.getRuntime().removeShutdownHook(hook);
        System.exit(status);
    }

    /** An option's value, or a clear error when it has none. */
    static String require(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }
}
