package io.restorepoint.bench;

import io.restorepoint.local.LocalStack;
import io.restorepoint.local.LocalStackOptions;
import io.restorepoint.local.ServiceProcess;
import io.restorepoint.schemas.SchemaVersion;
import io.restorepoint.schemas.Topics;
import io.restorepoint.schemas.job.JobEvent;
import io.restorepoint.schemas.job.JobInfo;
import io.restorepoint.schemas.job.JobStatus;
import io.restorepoint.schemas.job.JobType;
import io.restorepoint.schemas.kafka.JsonSerde;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Sync feed benchmark ({@code bench/run-feed-bench.sh}): on the local stack (embedded KRaft broker
 * and MariaDB in this JVM, sync-events as a child process; gateway and worker are stopped once the stack
 * is up so they neither consume the topic nor take CPU), N SSE clients listen on {@code GET /sync/stream}
 * with an admin token while this JVM publishes job events to {@code restorepoint.cc-events.v1} at a steady
 * rate. Each measured event carries its publish time ({@link System#nanoTime()} of this JVM, relative to
 * the start, in {@code info.total}) and its sequence number ({@code info.remaining}); publisher and clients
 * share the JVM, so the latency publish → SSE receive needs no clock agreement. Then it times
 * {@code POST /sync/get} of a 10,000-event page. Prints the figures next to the targets of issue 6 (PASS or
 * MISS). Not a test: it asserts nothing.
 */
public final class FeedBench {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private static final String WARMUP_PROJECT = "bench-warmup";
    private static final String FILL_PROJECT = "bench-fill";

    // targets of issue 6, item 5
    private static final double TARGET_SSE_P99_MS = 50;
    private static final double TARGET_GET_MS = 100;
    private static final int TARGET_CLIENTS = 10_000;
    private static final long TARGET_HEAP = 512L * 1024 * 1024;
    private static final double TARGET_FANOUT_P99_MS = 1000;

    private final Options options;
    private final Path root;
    private final Path work;
    private final AtomicBoolean cleaned = new AtomicBoolean();
    private final List<FeedListener> listeners = new ArrayList<>();
    private LocalStack stack;
    private KafkaProducer<String, Object> producer;
    private LoopResources loops;
    private String syncUrl;
    private String token;
    private HeapProbe heap;

    /** Command-line options. */
    record Options(int clients, int rate, int seconds, int warmup, int page, String heap, int batch, int drain) {
        int events() {
            return Math.toIntExact((long) rate * seconds);
        }
    }

    private FeedBench(Options options, Path root) {
        this.options = options;
        this.root = root;
        this.work = root.resolve("bench").resolve("target").resolve("feed-bench-work");
    }

    public static void main(String[] args) throws Exception {
        int clients = 10;
        int rate = 200;
        int seconds = 30;
        int warmup = 3;
        int page = 10_000;
        String heapSize = "512m";
        int batch = 500;
        int drain = 60;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (arg) {
                case "--clients" -> clients = positive(arg, value);
                case "--rate" -> rate = positive(arg, value);
                case "--seconds" -> seconds = positive(arg, value);
                case "--warmup" -> warmup = nonNegative(arg, value);
                case "--page" -> page = positive(arg, value);
                case "--heap" -> heapSize = BenchRunner.require(arg, value);
                case "--batch" -> batch = positive(arg, value);
                case "--drain" -> drain = positive(arg, value);
                case "-h", "--help" -> {
                    System.out.println("usage: java -Dloader.main=io.restorepoint.bench.FeedBench -cp bench/target/bench-exec.jar"
                            + " org.springframework.boot.loader.launch.PropertiesLauncher [--clients N] [--rate R] [--seconds S]"
                            + " [--warmup W] [--page P] [--heap 512m] [--batch B] [--drain D]  (normally via bench/run-feed-bench.sh)");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + arg + " (see --help)");
            }
            i++;
        }
        if ((long) rate * seconds > 50_000_000L) {
            throw new IllegalArgumentException("--rate x --seconds must be at most 50,000,000 events");
        }
        BenchRunner.workDir("feed-bench-work");
        FeedBench bench = new FeedBench(new Options(clients, rate, seconds, warmup, page, heapSize, batch, drain),
                BenchRunner.repoRoot());
        BenchRunner.runAndExit(bench::run, bench::cleanUp);
    }

    private static int positive(String option, String value) {
        int n = Integer.parseInt(BenchRunner.require(option, value).replace("_", ""));
        if (n < 1) {
            throw new IllegalArgumentException(option + " must be at least 1");
        }
        return n;
    }

    private static int nonNegative(String option, String value) {
        int n = Integer.parseInt(BenchRunner.require(option, value).replace("_", ""));
        if (n < 0) {
            throw new IllegalArgumentException(option + " must not be negative");
        }
        return n;
    }

    // ------------------------------------------------------------------------------------------------

    private int run() throws Exception {
        long started = System.nanoTime();
        int events = options.events();
        printEnvironment();

        System.out.println("\nStarting the local stack (embedded Kafka and MariaDB in this JVM, services with -Xmx"
                + options.heap() + ") ...");
        stack = LocalStack.start(LocalStackOptions.forTests(root, work.resolve("stack")).withServiceHeap(options.heap()));
        // only sync-events is measured: the gateway would consume the same topic, the worker idles
        stack.gateway().stop(Duration.ofSeconds(15));
        stack.workers().forEach(w -> w.stop(Duration.ofSeconds(15)));
        ServiceProcess sync = stack.sync();
        syncUrl = stack.syncUrl();
        token = stack.adminToken();
        heap = new HeapProbe(sync.pid(), syncUrl, token);
        System.out.printf(Locale.ROOT, "sync-events pid %d at %s (gateway and worker stopped); heap read from %s%n",
                sync.pid(), syncUrl, heap.source());

        producer = new KafkaProducer<>(Map.of("bootstrap.servers", stack.kafkaBootstrap(), "acks", "all", "linger.ms", 0,
                "enable.idempotence", true), new StringSerializer(), JsonSerde.serializer());

        // a marker event: every client starts one before it, so its first event proves it is subscribed
        long before = latestCursor();
        send(WARMUP_PROJECT, 0, 0);
        producer.flush();
        long marker = awaitCursor(before + 1, Duration.ofSeconds(60));
        long idleHeap = heap.afterGc();
        long idleRss = ProcessSampler.rssNow(sync.pid());
        System.out.printf(Locale.ROOT, "feed at cursor %d; sync-events idle: heap after GC %s MB, RSS %s MB, %d threads%n",
                marker, mb(idleHeap), mb(idleRss), threads(sync.pid()));

        // clients
        FeedListener.Shared shared = new FeedListener.Shared(started, events);
        Connected connected = connect(shared, marker - 1);
        long connectedHeap = heap.afterGc();
        long connectedRss = ProcessSampler.rssNow(sync.pid());
        System.out.printf(Locale.ROOT, "%,d of %,d clients subscribed in %.1f s (%,d failed%s); sync-events heap after GC %s MB,"
                        + " RSS %s MB, %d threads, %d open files%n", connected.ready, options.clients(), connected.seconds,
                connected.failed, connected.firstFailure == null ? "" : ", first: " + connected.firstFailure,
                mb(connectedHeap), mb(connectedRss), threads(sync.pid()), openFiles(sync.pid()));

        // publishing: warm-up, then the measured events, sampling sync-events' heap and RSS meanwhile
        Sampler sampler = Sampler.start(heap, sync.pid());
        if (options.warmup() > 0) {
            System.out.printf(Locale.ROOT, "warm-up: %d s at %d events/s (not measured) ...%n", options.warmup(), options.rate());
            publish(WARMUP_PROJECT, (long) options.warmup() * options.rate(), started);
        }
        System.out.printf(Locale.ROOT, "measuring: %,d events at %d events/s to %,d clients ...%n", events, options.rate(),
                connected.ready);
        long publishStart = System.nanoTime();
        Lag lag = publish(FeedListener.MEASURED_PROJECT, events, started);
        double publishSeconds = (System.nanoTime() - publishStart) / 1e9;
        double drained = drain(connected.listeners, events);
        sampler.close();
        long loadedHeap = heap.afterGc();

        Delivery delivery = delivery(connected.listeners, shared, events);
        String errors = serviceErrors(sync);
        System.out.printf(Locale.ROOT, "published in %.1f s (%.0f events/s, publisher behind schedule by at most %.1f ms), "
                + "last deliveries %.1f s after the last publish%n", publishSeconds, events / publishSeconds, lag.maxMs(), drained);
        closeClients();

        // /sync/get of one page of `page` events
        PageTiming pageTiming = timePage(marker);

        printReport(connected, delivery, lag, sampler, idleHeap, connectedHeap, loadedHeap, idleRss, pageTiming, errors);
        System.out.printf(Locale.ROOT, "%nfeed bench finished in %.1f s (load average %s at the end)%n",
                (System.nanoTime() - started) / 1e9, BackupBench.loadAverage());
        return 0;
    }

    // ------------------------------------------------------------------------------------------------ publishing

    private void send(String project, long seq, long stampNanos) {
        send(project, seq, stampNanos, null);
    }

    private void send(String project, long seq, long stampNanos, org.apache.kafka.clients.producer.Callback acked) {
        Instant now = Instant.now();
        double epoch = now.getEpochSecond() + now.getNano() / 1e9;
        String jobToken = UUID.randomUUID().toString();
        // info.total = publish time (ns since the bench started, this JVM's nanoTime), info.remaining = sequence number
        JobEvent event = new JobEvent(SchemaVersion.V1, UUID.randomUUID().toString(), jobToken, project, JobType.BACKUP_PROJECT,
                JobStatus.PROCESSING, new JobInfo(stampNanos, seq, "bench", null, null), epoch, epoch, seq, 1, "feed-bench",
                null, null);
        producer.send(new ProducerRecord<>(Topics.CC_EVENTS.name(), jobToken, event), acked);
    }

    /**
     * How far the publisher fell behind its schedule, and per event publish → broker acknowledgement
     * ({@code acks=all}), sorted, ns.
     */
    record Lag(long maxNanos, long[] acks) {
        double maxMs() {
            return maxNanos / 1e6;
        }
    }

    /** {@code count} events at the configured rate, each stamped just before it is handed to the producer. */
    private Lag publish(String project, long count, long t0) {
        long start = System.nanoTime();
        double interval = 1e9 / options.rate();
        long maxLag = 0;
        long[] acks = new long[Math.toIntExact(count)];
        Arrays.fill(acks, -1);
        for (long i = 0; i < count; i++) {
            long due = start + (long) (i * interval);
            long now;
            while ((now = System.nanoTime()) < due) {
                LockSupport.parkNanos(due - now);
            }
            maxLag = Math.max(maxLag, now - due);
            int n = (int) i;
            long stamp = System.nanoTime() - t0;
            send(project, i, stamp, (metadata, error) -> acks[n] = error == null ? System.nanoTime() - t0 - stamp : -1);
        }
        producer.flush(); // returns after every callback ran
        return new Lag(maxLag, Arrays.stream(acks).filter(a -> a >= 0).sorted().toArray());
    }

    // ------------------------------------------------------------------------------------------------ clients

    record Connected(List<FeedListener> listeners, int ready, int failed, String firstFailure, double seconds) {
    }

    /** Opens the clients in batches, each batch waiting until all of it received the marker (or failed). */
    private Connected connect(FeedListener.Shared shared, long cursor) throws InterruptedException {
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        loops = LoopResources.create("feed-sse", threads, true);
        HttpClient http = FeedListener.client(loops, token);
        String url = syncUrl + "/sync/stream?cursor=" + cursor;
        long t = System.nanoTime();
        int failed = 0;
        String firstFailure = null;
        boolean stopped = false;
        for (int from = 0; from < options.clients() && !stopped; from += options.batch()) {
            int size = Math.min(options.batch(), options.clients() - from);
            CountDownLatch settled = new CountDownLatch(size);
            List<FeedListener> batch = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                FeedListener listener = new FeedListener(from + i, shared, settled);
                batch.add(listener);
                listeners.add(listener);
                listener.open(http, url);
            }
            if (!settled.await(120, TimeUnit.SECONDS)) {
                System.out.printf(Locale.ROOT, "  batch of %d at client %d: %d not subscribed after 120 s%n", size, from,
                        settled.getCount());
            }
            int batchFailed = 0;
            for (FeedListener listener : batch) {
                if (!listener.isReady()) {
                    batchFailed++;
                    if (firstFailure == null) {
                        firstFailure = listener.failure() == null ? "not subscribed within 120 s" : listener.failure();
                    }
                }
            }
            failed += batchFailed;
            if (options.clients() > options.batch()) {
                System.out.printf(Locale.ROOT, "  %,d clients subscribed after %.1f s (%d failed in this batch; sync-events heap %s MB, RSS %s MB)%n",
                        from + size - failed, (System.nanoTime() - t) / 1e9, batchFailed, mb(heap.used()),
                        mb(ProcessSampler.rssNow(stack.sync().pid())));
            }
            if (batchFailed > size / 10 || !stack.sync().isAlive()) {
                System.out.println("  stopping the ramp: " + (stack.sync().isAlive() ? "over a tenth of the batch failed"
                        : "sync-events has exited"));
                stopped = true;
            }
        }
        List<FeedListener> ready = listeners.stream().filter(FeedListener::isReady).toList();
        return new Connected(ready, ready.size(), listeners.size() - ready.size(), firstFailure, (System.nanoTime() - t) / 1e9);
    }

    /** Waits until every client has every event, or nothing has arrived for 10 s, or {@code --drain} seconds passed. */
    private double drain(List<FeedListener> ready, int events) {
        long lastPublish = System.nanoTime();
        long deadline = lastPublish + TimeUnit.SECONDS.toNanos(options.drain());
        long total = -1;
        long lastProgress = System.nanoTime();
        long lastDelivery = lastPublish;
        while (System.nanoTime() < deadline) {
            long now = 0;
            boolean complete = true;
            for (FeedListener listener : ready) {
                int got = listener.received();
                now += got;
                complete &= got >= events;
            }
            if (now != total) {
                total = now;
                lastProgress = System.nanoTime();
                lastDelivery = lastProgress;
            }
            if (complete || System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(10)) {
                break;
            }
            sleep(20);
        }
        return Math.max(0, (lastDelivery - lastPublish) / 1e9);
    }

    private void closeClients() {
        listeners.forEach(FeedListener::close);
        listeners.clear();
        if (loops != null) {
            loops.disposeLater().block(Duration.ofSeconds(30));
            loops = null;
        }
    }

    // ------------------------------------------------------------------------------------------------ results

    record Delivery(int clients, int events, long deliveries, int eventsToAll, long duplicates, long outOfOrder,
            int clientsEndedEarly, String firstEnd, long[] all, long[] slowestPerEvent, long bytes) {
    }

    private static Delivery delivery(List<FeedListener> ready, FeedListener.Shared shared, int events) {
        long deliveries = 0;
        long duplicates = 0;
        long outOfOrder = 0;
        long bytes = 0;
        int ended = 0;
        String firstEnd = null;
        List<long[]> parts = new ArrayList<>(ready.size());
        for (FeedListener listener : ready) {
            long[] mine = listener.latencies();
            parts.add(mine);
            deliveries += mine.length;
            duplicates += listener.duplicates();
            outOfOrder += listener.outOfOrder();
            bytes += listener.bytes();
            if (listener.ended()) {
                ended++;
                if (firstEnd == null) {
                    firstEnd = "client " + listener.index() + ": " + (listener.failure() == null ? "stream closed" : listener.failure());
                }
            }
        }
        long[] all = new long[Math.toIntExact(deliveries)];
        int at = 0;
        for (long[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        Arrays.sort(all);
        int toAll = 0;
        List<Long> slowest = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            int receipts = shared.receipts.get(i);
            if (receipts >= ready.size() && !ready.isEmpty()) {
                toAll++;
            }
            if (receipts > 0) {
                slowest.add(shared.slowest.get(i));
            }
        }
        long[] slowestPerEvent = slowest.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Delivery(ready.size(), events, deliveries, toAll, duplicates, outOfOrder, ended, firstEnd, all,
                slowestPerEvent, bytes);
    }

    // ------------------------------------------------------------------------------------------------ /sync/get

    record PageTiming(int limit, int pages, int events, long bytes, double[] millis, String note) {
        double median() {
            double[] sorted = millis.clone();
            Arrays.sort(sorted);
            return sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2];
        }
    }

    /** Times fetching {@code --page} events after {@code cursor}: one page if the server allows it. */
    private PageTiming timePage(long cursor) throws Exception {
        int wanted = options.page();
        long have = latestCursor() - cursor;
        if (have < wanted) {
            long fill = wanted - have;
            System.out.printf(Locale.ROOT, "%npublishing %,d more events so the feed has %,d after cursor %d ...%n", fill, wanted, cursor);
            for (long i = 0; i < fill; i++) {
                send(FILL_PROJECT, i, 0);
            }
            producer.flush();
            awaitCursor(cursor + wanted, Duration.ofSeconds(120));
        }
        int limit = wanted;
        String note = "";
        HttpResponse<byte[]> probe = post("/sync/get", "{\"cc.cursor\":" + cursor + ",\"limit\":" + limit + "}");
        if (probe.statusCode() == 422) {
            String message = new String(probe.body(), StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("from 1 to (\\d+)").matcher(message);
            if (!m.find()) {
                throw new IllegalStateException("/sync/get refused limit " + limit + ": " + message);
            }
            limit = Integer.parseInt(m.group(1));
            note = "the server caps limit at " + limit + ", so " + wanted + " events take several pages";
        } else if (probe.statusCode() != 200) {
            throw new IllegalStateException("/sync/get answered " + probe.statusCode() + ": " + new String(probe.body(), StandardCharsets.UTF_8));
        }
        System.out.printf(Locale.ROOT, "timing POST /sync/get of %,d events (limit %,d; one warm-up call, then 5 timed) ...%n", wanted, limit);
        fetch(cursor, wanted, limit); // warm-up
        double[] millis = new double[5];
        Fetch last = null;
        for (int i = 0; i < millis.length; i++) {
            last = fetch(cursor, wanted, limit);
            millis[i] = last.nanos / 1e6;
        }
        return new PageTiming(limit, last.pages, last.events, last.bytes, millis, note);
    }

    /** @param nanos the HTTP time: request sent → last byte of the answer, summed over the pages */
    record Fetch(int pages, int events, long bytes, long nanos) {
    }

    /**
     * Reads {@code wanted} events after {@code cursor} in pages of {@code limit}. Only the HTTP exchanges are
     * timed: parsing an answer (to count its events and find the next cursor) is outside the clock.
     */
    private Fetch fetch(long cursor, int wanted, int limit) throws Exception {
        int pages = 0;
        long position = cursor;
        int got = 0;
        long bytes = 0;
        long nanos = 0;
        while (got < wanted) {
            int ask = Math.min(limit, wanted - got);
            long t = System.nanoTime();
            HttpResponse<byte[]> response = post("/sync/get", "{\"cc.cursor\":" + position + ",\"limit\":" + ask + "}");
            nanos += System.nanoTime() - t;
            if (response.statusCode() != 200) {
                throw new IllegalStateException("/sync/get answered " + response.statusCode());
            }
            pages++;
            bytes += response.body().length;
            JsonNode result = JSON.readTree(response.body()).path("result");
            int n = result.path("events").size();
            if (n == 0) {
                break;
            }
            got += n;
            position = result.path("cc.cursor").asLong();
        }
        return new Fetch(pages, got, bytes, nanos);
    }

    // ------------------------------------------------------------------------------------------------ report

    private void printReport(Connected connected, Delivery d, Lag lag, Sampler sampler, long idleHeap, long connectedHeap, long loadedHeap,
            long idleRss, PageTiming page, String errors) {
        int clients = d.clients();
        long expected = (long) d.events() * clients;
        double p50 = ms(percentile(d.all(), 50));
        double p99 = ms(percentile(d.all(), 99));
        double max = ms(d.all().length == 0 ? -1 : d.all()[d.all().length - 1]);
        double fanP50 = ms(percentile(d.slowestPerEvent(), 50));
        double fanP99 = ms(percentile(d.slowestPerEvent(), 99));
        double fanMax = ms(d.slowestPerEvent().length == 0 ? -1 : d.slowestPerEvent()[d.slowestPerEvent().length - 1]);
        double share = d.events() == 0 ? 0 : 100.0 * d.eventsToAll() / d.events();
        long perClient = clients == 0 || connectedHeap < 0 || idleHeap < 0 ? -1 : (connectedHeap - idleHeap) / clients;

        System.out.printf(Locale.ROOT, "%nResults: %,d SSE clients, %,d events at %d events/s over %d s (+%d s warm-up), sync-events -Xmx%s%n",
                clients, d.events(), options.rate(), options.seconds(), options.warmup(), options.heap());
        row("publish -> broker ack", String.format(Locale.ROOT, "p50 %.1f ms, p99 %.1f ms, max %.1f ms (acks=all, linger.ms=0;"
                        + " part of the figures below)", ms(percentile(lag.acks(), 50)), ms(percentile(lag.acks(), 99)),
                ms(lag.acks().length == 0 ? -1 : lag.acks()[lag.acks().length - 1])));
        row("publish -> SSE receive", String.format(Locale.ROOT, "p50 %.1f ms, p99 %.1f ms, max %.1f ms over %,d deliveries"
                + " (every client, every event)", p50, p99, max, d.deliveries()));
        row("publish -> last client", String.format(Locale.ROOT, "p50 %.1f ms, p99 %.1f ms, max %.1f ms over %,d events"
                + " (per event, its slowest client)", fanP50, fanP99, fanMax, d.slowestPerEvent().length));
        row("events to every client", String.format(Locale.ROOT, "%,d of %,d (%.2f%%); deliveries %,d of %,d", d.eventsToAll(),
                d.events(), share, d.deliveries(), expected));
        row("stream order", String.format(Locale.ROOT, "%,d duplicates, %,d ids not increasing, %,d streams ended early%s",
                d.duplicates(), d.outOfOrder(), d.clientsEndedEarly(), d.firstEnd() == null ? "" : " (" + d.firstEnd() + ")"));
        row("SSE bytes received", String.format(Locale.ROOT, "%s MB in all", mb(d.bytes())));
        row("sync-events heap", String.format(Locale.ROOT, "used (sampled, %s): peak %s MB while publishing; after a full GC:"
                        + " %s MB idle, %s MB with %,d clients connected (%s per client), %s MB after the run", heap.source(),
                mb(sampler.peakHeap()), mb(idleHeap), mb(connectedHeap), clients, perClient < 0 ? "?" : kb(perClient) + " KB",
                mb(loadedHeap)));
        row("sync-events RSS", String.format(Locale.ROOT, "%s MB idle, peak %s MB while publishing (VmRSS)", mb(idleRss),
                mb(sampler.peakRss())));
        row("sync-events log", errors);
        row("POST /sync/get", String.format(Locale.ROOT, "%,d events in %d page%s of up to %,d (%s MB): min %.1f ms, median %.1f ms,"
                        + " max %.1f ms over %d calls%s", page.events(), page.pages(), page.pages() == 1 ? "" : "s", page.limit(),
                mb(page.bytes()), Arrays.stream(page.millis()).min().orElse(Double.NaN), page.median(),
                Arrays.stream(page.millis()).max().orElse(Double.NaN), page.millis().length,
                page.note().isEmpty() ? "" : "; " + page.note()));

        System.out.printf(Locale.ROOT, "%n  %-62s %-44s %s%n", "Targets (issue 6)", "measured", "verdict");
        target("publish -> SSE p99 <= 50 ms, loopback, a few clients", String.format(Locale.ROOT, "%.1f ms (%,d clients)", p99, clients),
                clients == 0 ? "MISS" : verdict(p99 <= TARGET_SSE_P99_MS) + (clients > 100 ? " (here not a few clients)" : ""));
        target("every client receives every event (100%)", String.format(Locale.ROOT, "%.2f%%", share),
                verdict(clients > 0 && d.eventsToAll() == d.events()));
        target("/sync/get of 10,000 events <= 100 ms", String.format(Locale.ROOT, "%.1f ms median (%,d events, %d page%s)",
                page.median(), page.events(), page.pages(), page.pages() == 1 ? "" : "s"),
                page.events() < TARGET_CLIENTS ? "MISS (fewer than 10,000 events)" : verdict(page.median() <= TARGET_GET_MS));
        if (options.clients() >= TARGET_CLIENTS) {
            long peak = Math.max(sampler.peakHeap(), connectedHeap);
            target("10,000 concurrent SSE clients on one instance", String.format(Locale.ROOT, "%,d held (%,d failed)",
                    clients, connected.failed()), verdict(clients >= TARGET_CLIENTS));
            target("  heap <= 512 MB with them", String.format(Locale.ROOT, "%s MB peak sampled used", mb(peak)),
                    verdict(peak >= 0 && peak <= TARGET_HEAP));
            target("  an event reaches all of them in 1 s, p99", String.format(Locale.ROOT, "%.1f ms", fanP99),
                    verdict(clients >= TARGET_CLIENTS && d.eventsToAll() == d.events() && fanP99 <= TARGET_FANOUT_P99_MS));
        } else {
            target("10,000 concurrent SSE clients, heap <= 512 MB, all in 1 s p99", "not measured",
                    "- (run with --clients 10000)");
        }
        System.out.println("\nLoad average " + BackupBench.loadAverage() + " on " + Runtime.getRuntime().availableProcessors()
                + " cores: publisher, broker, database, clients and sync-events share them, so other work on the machine"
                + " lengthens every latency above.");
    }

    private static String verdict(boolean pass) {
        return pass ? "PASS" : "MISS";
    }

    private static void target(String what, String measured, String verdict) {
        System.out.printf(Locale.ROOT, "  %-62s %-44s %s%n", what, measured, verdict);
    }

    private static void row(String key, String value) {
        System.out.printf(Locale.ROOT, "  %-23s %s%n", key, value);
    }

    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double ms(long nanos) {
        return nanos < 0 ? Double.NaN : nanos / 1e6;
    }

    private static String mb(long bytes) {
        return bytes < 0 ? "?" : String.format(Locale.ROOT, "%.0f", bytes / 1048576.0);
    }

    private static String kb(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1024.0);
    }

    private void printEnvironment() {
        System.out.println("Sync feed benchmark");
        row("date", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")));
        row("cores", Runtime.getRuntime().availableProcessors() + ", load average " + BackupBench.loadAverage()
                + " at the start (other work on the machine skews the times)");
        row("Java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + ", max heap "
                + mb(Runtime.getRuntime().maxMemory()) + " MB");
        row("open files", "limit " + openFilesLimit() + " for this JVM and its children");
        row("sync-events jar", "built " + modified(root.resolve("sync-events/target/sync-events-exec.jar")));
        row("run", String.format(Locale.ROOT, "%,d clients, %d events/s for %d s (%,d events) after %d s warm-up; page %,d;"
                        + " clients connect %d at a time", options.clients(), options.rate(), options.seconds(), options.events(),
                options.warmup(), options.page(), options.batch()));
    }

    private static String modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant().atZone(java.time.ZoneId.systemDefault()).toLocalDateTime()
                    .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"));
        } catch (IOException e) {
            return "(missing: " + file + ")";
        }
    }

    private static String openFilesLimit() {
        try {
            return Files.readAllLines(Path.of("/proc/self/limits")).stream().filter(l -> l.startsWith("Max open files"))
                    .map(l -> l.replaceAll("\\s+", " ").replace("Max open files ", "").replace(" files", "").trim())
                    .findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static long threads(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(l -> l.startsWith("Threads:")).mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")))
                    .findFirst().orElse(-1);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long openFiles(long pid) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** ERROR and WARN lines sync-events logged, with the first of them. */
    private static String serviceErrors(ServiceProcess sync) {
        try {
            List<String> lines = Files.readAllLines(sync.log(), StandardCharsets.UTF_8);
            List<String> errors = lines.stream().filter(l -> l.contains(" ERROR ")).toList();
            List<String> warnings = lines.stream().filter(l -> l.contains(" WARN ")).toList();
            String first = !errors.isEmpty() ? errors.get(0) : !warnings.isEmpty() ? warnings.get(0) : null;
            return errors.size() + " ERROR and " + warnings.size() + " WARN lines in " + sync.log()
                    + (first == null ? "" : "; first: " + (first.length() > 240 ? first.substring(0, 240) + "…" : first));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    // ------------------------------------------------------------------------------------------------ HTTP helpers

    private long latestCursor() {
        try {
            HttpResponse<byte[]> response = post("/sync/cursors", "{}");
            if (response.statusCode() != 200) {
                throw new IllegalStateException("/sync/cursors answered " + response.statusCode());
            }
            return JSON.readTree(response.body()).path("result").path("cc.cursor").asLong();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private long awaitCursor(long atLeast, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long latest;
        while ((latest = latestCursor()) < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the feed did not reach cursor " + atLeast + " within " + timeout
                        + " (it is at " + latest + "); see " + stack.sync().log());
            }
            sleep(50);
        }
        return latest;
    }

    private HttpResponse<byte[]> post(String path, String json) throws IOException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(syncUrl + path)).timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void cleanUp() {
        if (!cleaned.compareAndSet(false, true)) {
            return;
        }
        try {
            closeClients();
        } catch (RuntimeException e) {
            System.err.println("closing the clients: " + e);
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (stack != null) {
            System.out.println("Stopping the local stack (logs: " + stack.logsDir() + ") ...");
            stack.close();
        }
    }

    // ------------------------------------------------------------------------------------------------ heap

    /**
     * Used heap of sync-events: from its actuator ({@code /actuator/metrics/jvm.memory.used?tag=area:heap},
     * with the admin token) when the metrics endpoint is exposed (run-feed-bench.sh exposes it through
     * {@code MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE}), otherwise from {@code jcmd <pid> GC.heap_info}.
     * "After GC" first asks the JVM for a full collection with {@code jcmd <pid> GC.run}.
     */
    static final class HeapProbe {
        private static final Pattern USED = Pattern.compile("total \\d+K, used (\\d+)K");
        private final long pid;
        private final URI metric;
        private final String token;
        private final boolean actuator;

        HeapProbe(long pid, String baseUrl, String token) {
            this.pid = pid;
            this.metric = URI.create(baseUrl + "/actuator/metrics/jvm.memory.used?tag=area:heap");
            this.token = token;
            this.actuator = fromActuator() >= 0;
        }

        String source() {
            return actuator ? "actuator jvm.memory.used{area=heap}" : "jcmd GC.heap_info (actuator metrics not exposed)";
        }

        long used() {
            return actuator ? fromActuator() : fromJcmd();
        }

        long afterGc() {
            jcmd("GC.run");
            return used();
        }

        private long fromActuator() {
            return ProcessSampler.metricValue(HTTP, HttpRequest.newBuilder(metric).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + token).GET().build());
        }

        private long fromJcmd() {
            String out = jcmd("GC.heap_info");
            long used = 0;
            boolean any = false;
            for (String line : out.split("\n")) {
                if (line.contains("Metaspace") || line.contains("class space")) {
                    continue;
                }
                Matcher m = USED.matcher(line);
                if (m.find()) {
                    used += Long.parseLong(m.group(1)) * 1024;
                    any = true;
                    if (line.contains("garbage-first heap")) {
                        return used; // G1: one line for the whole heap
                    }
                }
            }
            return any ? used : -1;
        }

        private String jcmd(String command) {
            Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
            Path jcmd = java.getParent() == null ? Path.of("jcmd") : java.getParent().resolve("jcmd");
            try {
                Process p = new ProcessBuilder(Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd", Long.toString(pid), command)
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                p.waitFor(60, TimeUnit.SECONDS);
                return out;
            } catch (IOException e) {
                return "";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "";
            }
        }
    }

    /** Peak used heap and RSS of sync-events while events are published (every 250 ms; jcmd: every second). */
    static final class Sampler implements AutoCloseable {
        private final AtomicLong peakHeap = new AtomicLong(-1);
        private final AtomicLong peakRss = new AtomicLong(-1);
        private volatile boolean running = true;
        private final Thread thread;

        private Sampler(HeapProbe heap, long pid) {
            long period = heap.actuator ? 250 : 1000;
            thread = new Thread(() -> {
                while (running) {
                    peakHeap.accumulateAndGet(heap.used(), Math::max);
                    peakRss.accumulateAndGet(ProcessSampler.rssNow(pid), Math::max);
                    sleep(period);
                }
            }, "feed-bench-sampler");
            thread.setDaemon(true);
        }

        static Sampler start(HeapProbe heap, long pid) {
            Sampler sampler = new Sampler(heap, pid);
            sampler.thread.start();
            return sampler;
        }

        long peakHeap() {
            return peakHeap.get();
        }

        long peakRss() {
            return peakRss.get();
        }

        @Override
        public void close() {
            running = false;
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
