package io.restorepoint.sync.socketio;

import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.Transport;
import com.corundumstudio.socketio.handler.ClientHead;
import com.corundumstudio.socketio.protocol.Packet;
import com.corundumstudio.socketio.protocol.PacketType;
import com.corundumstudio.socketio.transport.NamespaceClient;
import com.fasterxml.jackson.databind.util.RawValue;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.restorepoint.sync.feed.FeedEvent;
import io.restorepoint.sync.feed.FeedMapper;
import io.restorepoint.sync.feed.FeedService;
import io.restorepoint.web.envelope.ApiException;
import io.restorepoint.web.security.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One connected Socket.IO client: its caller (replaced by {@code authorization} events), its place in both
 * streams, the subscription pushing {@code cc} and {@code project} events, and the timer that ends the
 * connection when the token expires.
 * <p>
 * Events are sent in batches (whatever arrived within a few milliseconds, at most {@link #BATCH}), as one
 * Socket.IO event per run of the same stream, each a JSON array of changes. The next batch is only taken when
 * the client's outgoing queue is short; while it is not, the feed buffers for the client, and a client that
 * falls {@code liveBuffer} events behind is dropped (a transport close, so it reconnects and catches up from
 * its cursors). Every send and cursor update happens under the session's lock and only for the current
 * subscription: a new token with other roles restarts the subscription from the cursors already delivered,
 * without gap or repeat.
 */
final class SocketIoSession {

    private static final Logger log = LoggerFactory.getLogger(SocketIoSession.class);

    /** The most changes in one Socket.IO event. */
    static final int BATCH = 200;
    /** How long a batch waits for more events; a live event is delayed by at most this much. */
    private static final Duration LINGER = Duration.ofMillis(5);
    /** Packets queued for the client beyond which no more are taken from the feed. */
    private static final int MAX_QUEUED_PACKETS = 32;
    private static final Duration READY_POLL = Duration.ofMillis(50);
    /** Time for a client told to go away ({@code token-expired}) to read that before it is dropped. */
    private static final Duration GRACE = Duration.ofSeconds(5);

    private final SocketIOClient client;
    private final FeedService feed;
    private final String project;
    private Caller caller;
    private long ccCursor;
    private long projectCursor;
    private int generation;
    private boolean closed;
    private Disposable subscription;
    private Disposable expiry;

    SocketIoSession(SocketIOClient client, FeedService feed, Caller caller, FeedService.Position position) {
        this.client = client;
        this.feed = feed;
        this.caller = caller;
        this.project = position.project();
        this.ccCursor = position.ccCursor();
        this.projectCursor = position.projectCursor();
    }

    synchronized void start() {
        subscribe();
        scheduleExpiry();
    }

    synchronized Caller caller() {
        return caller;
    }

    /** A fresh token of the same user: the connection lives until it expires; other roles restart the stream. */
    synchronized void replaceCaller(Caller fresh) {
        if (closed) {
            return;
        }
        boolean rolesChanged = !fresh.roles().equals(caller.roles());
        caller = fresh;
        scheduleExpiry();
        if (rolesChanged) {
            subscribe();
        }
    }

    synchronized void close() {
        closed = true;
        generation++;
        dispose(subscription);
        dispose(expiry);
    }

    private void subscribe() {
        dispose(subscription);
        int current = ++generation;
        FeedService.Position position = new FeedService.Position(ccCursor, project, projectCursor);
        subscription = feed.stream(caller, position)
                .bufferTimeout(BATCH, LINGER, true)
                .concatMap(batch -> whenClientReady().then(Mono.fromRunnable(() -> send(current, batch))), 1)
                .subscribe(null, error -> failed(current, error));
    }

    /** Sends the batch as one event per run of the same stream, if this subscription is still the current one. */
    private synchronized void send(int current, List<FeedEvent> batch) {
        if (current != generation || closed) {
            return;
        }
        List<RawValue> run = new ArrayList<>();
        String stream = null;
        for (FeedEvent event : batch) {
            if (stream != null && !stream.equals(event.stream())) {
                emit(stream, run);
                run = new ArrayList<>();
            }
            stream = event.stream();
            run.add(new RawValue(event.json()));
            if (FeedMapper.CC.equals(stream)) {
                ccCursor = event.cursor();
            } else {
                projectCursor = event.cursor();
            }
        }
        if (!run.isEmpty()) {
            emit(stream, run);
        }
    }

    private void emit(String stream, List<RawValue> changes) {
        client.sendEvent(stream, changes);
    }

    private Mono<Void> whenClientReady() {
        if (ready()) {
            return Mono.empty();
        }
        return Flux.interval(READY_POLL).filter(tick -> ready()).next().then();
    }

    /** Few packets waiting for the client, and (over WebSocket) a socket that takes more. */
    private boolean ready() {
        if (!(client instanceof NamespaceClient namespaceClient)) {
            return true;
        }
        ClientHead head = namespaceClient.getBaseClient();
        if (!head.isConnected()) {
            return true; // sends are dropped from here on; let the stream drain
        }
        Transport transport = head.getCurrentTransport();
        return head.getPacketsQueue(transport).size() < MAX_QUEUED_PACKETS
                && (transport == Transport.POLLING || head.isWritable());
    }

    private synchronized void failed(int current, Throwable error) {
        if (current != generation || closed) {
            return;
        }
        if (Exceptions.isOverflow(error)) {
            log.info("socket.io client {} ({}) fell too far behind the feed: dropped, it resumes from cc cursor {}",
                    client.getSessionId(), caller.userId(), ccCursor);
            drop();
        } else if (error instanceof ApiException api) {
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("code", api.error().code());
            payload.put("message", api.getMessage());
            if (!api.info().isEmpty()) {
                payload.put("info", api.info());
            }
            client.sendEvent("sync-error", payload);
            goAway();
        } else {
            log.warn("socket.io client {}: feed failed: {}", client.getSessionId(), error.toString());
            drop();
        }
    }

    /** The token expired: say so, then disconnect (the client does not reconnect on its own). */
    private void scheduleExpiry() {
        dispose(expiry);
        Instant expires = caller.token().getExpiresAt();
        if (expires == null) {
            return;
        }
        Duration left = Duration.between(Instant.now(), expires);
        expiry = Mono.delay(left.isNegative() ? Duration.ZERO : left).subscribe(tick -> expired(expires));
    }

    private synchronized void expired(Instant expires) {
        if (closed || !expires.equals(caller.token().getExpiresAt())) {
            return;
        }
        client.sendEvent("token-expired", Map.of("code", 401, "message", "Permission denied"));
        goAway();
    }

    /** A Socket.IO disconnect ({@code io server disconnect}: no automatic reconnect), then a hard drop if ignored. */
    private synchronized void goAway() {
        closed = true;
        generation++;
        dispose(subscription);
        client.disconnect();
        Mono.delay(GRACE).subscribe(tick -> {
            if (client instanceof NamespaceClient namespaceClient && namespaceClient.getBaseClient().isConnected()) {
                drop();
            }
        });
    }

    /**
     * Ends the connection at the transport (an Engine.IO close, then the socket is closed), so the client sees
     * {@code transport close} and reconnects, catching up from its cursors.
     */
    private synchronized void drop() {
        closed = true;
        generation++;
        dispose(subscription);
        if (!(client instanceof NamespaceClient namespaceClient)) {
            client.disconnect();
            return;
        }
        ClientHead head = namespaceClient.getBaseClient();
        ChannelFuture written = head.send(new Packet(PacketType.CLOSE, head.getEngineIOVersion()));
        if (written != null) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
        head.onChannelDisconnect();
    }

    private static void dispose(Disposable disposable) {
        if (disposable != null) {
            disposable.dispose();
        }
    }
}
