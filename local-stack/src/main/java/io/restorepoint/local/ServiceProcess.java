package io.restorepoint.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One RestorePoint service running as a child process from its jar, its output in a log file. Ready
 * when its health endpoint says UP.
 */
public final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final Path jar;
    private final int port;
    private final Path log;
    private final Map<String, String> env;
    private final List<String> args;
    private final String heap;
    private Process process;

    ServiceProcess(String name, Path jar, int port, Path log, Map<String, String> env, List<String> args, String heap) {
        this.heap = heap;
        this.name = name;
        this.jar = jar;
        this.port = port;
        this.log = log;
        this.env = env;
        this.args = args;
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    public synchronized long pid() {
        return process.pid();
    }

    /** Starts the process (again, after a stop or a kill), appending to its log. */
    public synchronized void start() throws IOException {
        if (isAlive()) {
            return;
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build first (mvn -DskipTests package)");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xms64m", "-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError",
                "-jar", jar.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        process = builder.start();
    }

    /** Waits until the health endpoint answers UP; fails early, with the log's tail, if the process dies. */
    public void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!isAlive()) {
                throw new IllegalStateException(name + " exited during start-up; end of " + log + ":\n" + tail(40));
            }
            try {
                HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("\"UP\"")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(200);
        }
        throw new IllegalStateException(name + " not ready after " + timeout + "; end of " + log + ":\n" + tail(40));
    }

    /** Asks the process to stop (SIGTERM, graceful shutdown), then kills it if it is still there. */
    public synchronized void stop(Duration grace) {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** kill -9: no shutdown hooks, no goodbye. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(15));
    }

    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
