package io.restorepoint.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOption;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.BitSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One SSE client of {@code GET /sync/stream} for the feed benchmark, on a shared non-blocking Reactor
 * Netty client (one connection each, no pool). It parses the stream itself (blocks ending in a blank
 * line; {@code id:}, {@code event:}, {@code data:}), and for every {@code cc} event of the measured
 * project reads the publish time and sequence number the publisher put into {@code info.total} and
 * {@code info.remaining}. Everything of one listener runs on its connection's event-loop thread; the
 * main thread reads the results only after {@link #received()} (a volatile) says they are complete.
 */
final class FeedListener {

    /** The project of the measured events; warm-up and filler events use other project ids. */
    static final String MEASURED_PROJECT = "bench-feed";
    private static final String MEASURED_MARK = "\"project_gid\":\"" + MEASURED_PROJECT + "\"";

    /** Shared by all listeners of one run: per measured event, how many received it and the slowest latency. */
    static final class Shared {
        final long t0;
        final int events;
        final AtomicIntegerArray receipts;
        final AtomicLongArray slowest;

        Shared(long t0, int events) {
            this.t0 = t0;
            this.events = events;
            this.receipts = new AtomicIntegerArray(events);
            this.slowest = new AtomicLongArray(events);
        }
    }

    private final int index;
    private final Shared shared;
    private final CountDownLatch ready;
    private final StringBuilder pending = new StringBuilder(512);
    private final BitSet seen;
    private long[] latencies = new long[16];
    private int count;
    private long lastId = -1;
    private Disposable subscription;

    private volatile boolean isReady;
    private volatile boolean ended;
    private volatile String failure;
    private volatile int received;
    private volatile int duplicates;
    private volatile int outOfOrder;
    private volatile long bytes;

    FeedListener(int index, Shared shared, CountDownLatch ready) {
        this.index = index;
        this.shared = shared;
        this.ready = ready;
        this.seen = new BitSet(shared.events);
    }

    /** A client on its own event loops, one new connection per stream, no pool. */
    static HttpClient client(LoopResources loops, String token) {
        return HttpClient.create(ConnectionProvider.newConnection())
                .runOn(loops)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
                .headers(h -> h.set("Authorization", "Bearer " + token).set("Accept", "text/event-stream"));
    }

    /** Opens {@code GET url} (the stream, with {@code ?cursor=}) and listens until closed. */
    void open(HttpClient http, String url) {
        subscription = http.get().uri(url)
                .response((response, body) -> {
                    int status = response.status().code();
                    if (status != 200) {
                        return body.aggregate().asString().defaultIfEmpty("")
                                .doOnNext(text -> fail("HTTP " + status + " " + abbreviate(text)))
                                .then(Mono.fromRunnable(() -> fail("HTTP " + status)));
                    }
                    return body.doOnNext(this::onChunk).then();
                })
                .subscribe(null, error -> fail(error.toString()), () -> {
                    ended = true;
                    if (!isReady) {
                        fail("stream ended before its first event");
                    }
                });
    }

    void close() {
        Disposable s = subscription;
        if (s != null) {
            s.dispose();
        }
    }

    private void onChunk(ByteBuf buf) {
        long now = System.nanoTime();
        bytes += buf.readableBytes();
        // every field the bench reads is ASCII: ISO-8859-1 cannot split a character across chunks
        pending.append(buf.toString(StandardCharsets.ISO_8859_1));
        int end;
        while ((end = pending.indexOf("\n\n")) >= 0) {
            String block = pending.substring(0, end);
            pending.delete(0, end + 2);
            onBlock(block, now);
        }
    }

    private void onBlock(String block, long now) {
        String id = null;
        String event = null;
        String data = null;
        int start = 0;
        while (start <= block.length()) {
            int nl = block.indexOf('\n', start);
            String line = block.substring(start, nl < 0 ? block.length() : nl);
            start = nl < 0 ? block.length() + 1 : nl + 1;
            if (line.startsWith(":")) {
                continue; // comment (keep-alive)
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "id" -> id = value;
                case "event" -> event = value;
                case "data" -> data = data == null ? value : data + "\n" + value;
                default -> { }
            }
        }
        if ("token-expired".equals(event)) {
            fail("token expired");
            return;
        }
        if (!"cc".equals(event) || data == null) {
            return;
        }
        if (id != null) {
            long cursor = parseLong(id, 0);
            if (cursor <= lastId) {
                outOfOrder++;
            }
            lastId = cursor;
        }
        if (!isReady) {
            isReady = true;
            ready.countDown();
        }
        if (!data.contains(MEASURED_MARK)) {
            return;
        }
        long publishedAt = longAfter(data, "\"total\":");
        long seq = longAfter(data, "\"remaining\":");
        if (publishedAt < 0 || seq < 0 || seq >= shared.events) {
            return;
        }
        int s = (int) seq;
        if (seen.get(s)) {
            duplicates++;
            return;
        }
        seen.set(s);
        long latency = now - shared.t0 - publishedAt;
        if (count == latencies.length) {
            latencies = Arrays.copyOf(latencies, count * 2);
        }
        latencies[count++] = latency;
        shared.receipts.incrementAndGet(s);
        shared.slowest.accumulateAndGet(s, latency, Math::max);
        received = count; // volatile write last: publishes the array and the bit set to the reader
    }

    private void fail(String why) {
        if (failure == null) {
            failure = why;
        }
        ended = true;
        if (!isReady) {
            ready.countDown(); // counted as settled (failed) so the connect phase does not wait for it
        }
    }

    private static long longAfter(String text, String key) {
        int at = text.indexOf(key);
        return at < 0 ? -1 : parseLong(text, at + key.length());
    }

    private static long parseLong(String text, int from) {
        long value = 0;
        int i = from;
        boolean any = false;
        while (i < text.length() && Character.isDigit(text.charAt(i))) {
            value = value * 10 + (text.charAt(i++) - '0');
            any = true;
        }
        return any ? value : -1;
    }

    private static String abbreviate(String text) {
        String oneLine = text.replace('\n', ' ');
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "…" : oneLine;
    }

    int index() {
        return index;
    }

    boolean isReady() {
        return isReady;
    }

    boolean ended() {
        return ended;
    }

    String failure() {
        return failure;
    }

    int received() {
        return received;
    }

    int duplicates() {
        return duplicates;
    }

    int outOfOrder() {
        return outOfOrder;
    }

    long bytes() {
        return bytes;
    }

    /** The latencies (ns) recorded so far; call after {@link #received()}. */
    long[] latencies() {
        int n = received;
        return Arrays.copyOf(latencies, n);
    }
}
