package io.restorepoint.bench;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples one process every 100 ms while a tool runs: resident memory from {@code /proc/<pid>/status}
 * ({@code VmRSS}, and {@code VmHWM} at the end) and, for a RestorePoint service, the used heap from its
 * actuator ({@code jvm.memory.used?tag=area:heap}). Peaks are of the samples taken.
 */
final class ProcessSampler implements AutoCloseable {

    private static final long PERIOD_MS = 100;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final long pid;
    private final URI heapMetric;
    private final HttpClient http;
    private final AtomicLong peakRss = new AtomicLong(-1);
    private final AtomicLong peakHeap = new AtomicLong(-1);
    private final AtomicLong rssSamples = new AtomicLong();
    private final AtomicLong heapSamples = new AtomicLong();
    private final AtomicLong heapErrors = new AtomicLong();
    private volatile boolean running = true;
    private volatile long hwm = -1;
    private final Thread rssThread;
    private final Thread heapThread;

    /**
     * @param pid        the process to watch
     * @param actuator   base URL of its actuator ({@code http://127.0.0.1:port}), or null for no heap samples
     */
    ProcessSampler(long pid, String actuator) {
        this.pid = pid;
        this.heapMetric = actuator == null ? null
                : URI.create(actuator + "/actuator/metrics/jvm.memory.used?tag=area:heap");
        this.http = actuator == null ? null
                : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        rssThread = new Thread(this::sampleRss, "sample-rss-" + pid);
        rssThread.setDaemon(true);
        heapThread = heapMetric == null ? null : new Thread(this::sampleHeap, "sample-heap-" + pid);
        if (heapThread != null) {
            heapThread.setDaemon(true);
        }
    }

    static ProcessSampler start(long pid, String actuator) {
        ProcessSampler sampler = new ProcessSampler(pid, actuator);
        sampler.rssThread.start();
        if (sampler.heapThread != null) {
            sampler.heapThread.start();
        }
        return sampler;
    }

    /** One reading of the used heap, in bytes (-1 if the actuator does not answer). */
    static long heapNow(String actuator) {
        ProcessSampler once = new ProcessSampler(-1, actuator);
        return once.readHeap();
    }

    /** One reading of VmRSS, in bytes (-1 if the process is gone). */
    static long rssNow(long pid) {
        return statusField(pid, "VmRSS:");
    }

    private void sampleRss() {
        while (running) {
            long rss = statusField(pid, "VmRSS:");
            if (rss >= 0) {
                peakRss.accumulateAndGet(rss, Math::max);
                rssSamples.incrementAndGet();
                long h = statusField(pid, "VmHWM:");
                if (h >= 0) {
                    hwm = h;
                }
            }
            pause();
        }
    }

    private void sampleHeap() {
        while (running) {
            long used = readHeap();
            if (used >= 0) {
                peakHeap.accumulateAndGet(used, Math::max);
                heapSamples.incrementAndGet();
            } else {
                heapErrors.incrementAndGet();
            }
            pause();
        }
    }

    private long readHeap() {
        return metricValue(http, HttpRequest.newBuilder(heapMetric).timeout(Duration.ofSeconds(2)).GET().build());
    }

    /** The first measurement of an actuator metric the request asks for, or -1 when it cannot be read. */
    static long metricValue(HttpClient http, HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return -1;
            }
            JsonNode value = JSON.readTree(response.body()).path("measurements").path(0).path("value");
            return value.isNumber() ? (long) value.asDouble() : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static long statusField(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    // "VmRSS:<tab>  123456 kB"
                    String[] parts = line.substring(field.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process has gone
        }
        return -1;
    }

    private void pause() {
        try {
            Thread.sleep(PERIOD_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Stops sampling; the process's VmHWM is read once more if it is still there. */
    @Override
    public void close() {
        running = false;
        long last = statusField(pid, "VmHWM:");
        if (last >= 0) {
            hwm = last;
        }
        join(rssThread);
        join(heapThread);
    }

    private static void join(Thread thread) {
        if (thread == null) {
            return;
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    long peakRss() {
        return peakRss.get();
    }

    long peakHeap() {
        return peakHeap.get();
    }

    /** VmHWM: the highest resident size since the process started (-1 if never read). */
    long hwm() {
        return hwm;
    }

    long rssSamples() {
        return rssSamples.get();
    }

    long heapSamples() {
        return heapSamples.get();
    }

    long heapErrors() {
        return heapErrors.get();
    }
}
