package io.restorepoint.sync.socketio;

import com.corundumstudio.socketio.Transport;
import com.corundumstudio.socketio.handler.ClientHead;
import com.corundumstudio.socketio.protocol.EngineIOVersion;
import com.corundumstudio.socketio.protocol.Packet;
import com.corundumstudio.socketio.protocol.PacketType;
import com.corundumstudio.socketio.transport.NamespaceClient;
import com.fasterxml.jackson.databind.util.RawValue;
import io.restorepoint.sync.feed.FeedEvent;
import io.restorepoint.sync.feed.FeedService;
import io.restorepoint.web.envelope.ApiError;
import io.restorepoint.web.envelope.ApiException;
import io.restorepoint.web.security.Caller;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.security.oauth2.jwt.Jwt;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.after;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** How one connection turns the feed into Socket.IO events, holds back for a slow client, and ends. */
class SocketIoSessionTest {

    private final NamespaceClient client = mock(NamespaceClient.class);
    private final ClientHead head = mock(ClientHead.class);
    private final FeedService feed = mock(FeedService.class);
    private final Queue<Packet> queued = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void client() {
        when(client.getBaseClient()).thenReturn(head);
        when(head.isConnected()).thenReturn(true);
        when(head.isWritable()).thenReturn(true);
        when(head.getCurrentTransport()).thenReturn(Transport.WEBSOCKET);
        when(head.getPacketsQueue(any())).thenReturn(queued);
        when(head.getEngineIOVersion()).thenReturn(EngineIOVersion.V4);
    }

    @Test
    void eventsGoOutAsArraysOneSocketIoEventPerRunOfTheSameStream() {
        when(feed.stream(any(), any())).thenReturn(Flux.just(cc(5), cc(6), project(2), cc(7)).concatWith(Flux.never()));
        session(Instant.now().plusSeconds(3600)).start();

        ArgumentCaptor<Object> cc = ArgumentCaptor.forClass(Object.class);
        verify(client, timeout(2000).times(2)).sendEvent(eq("cc"), cc.capture());
        ArgumentCaptor<Object> project = ArgumentCaptor.forClass(Object.class);
        verify(client, timeout(2000)).sendEvent(eq("project"), project.capture());
        assertThat(cc.getAllValues()).extracting(SocketIoSessionTest::cursors).containsExactly(List.of(5L, 6L), List.of(7L));
        assertThat(cursors(project.getValue())).containsExactly(2L);
    }

    @Test
    void nothingMoreIsTakenWhileTheClientsQueueIsLong() {
        for (int i = 0; i < 40; i++) {
            queued.add(new Packet(PacketType.MESSAGE, EngineIOVersion.V4));
        }
        when(feed.stream(any(), any())).thenReturn(Flux.just(cc(1)).concatWith(Flux.never()));
        session(Instant.now().plusSeconds(3600)).start();
        verify(client, after(300).never()).sendEvent(eq("cc"), any());
        queued.clear();
        verify(client, timeout(2000)).sendEvent(eq("cc"), any());
    }

    @Test
    void aClientThatFallsTooFarBehindIsDroppedAtTheTransportSoThatItReconnects() {
        when(feed.stream(any(), any())).thenReturn(Flux.error(Exceptions.failWithOverflow()));
        session(Instant.now().plusSeconds(3600)).start();
        verify(head, timeout(2000)).send(argThat(packet -> packet.getType() == PacketType.CLOSE));
        verify(head, timeout(2000)).onChannelDisconnect();
        verify(client, never()).disconnect();
    }

    @Test
    void aStreamThatCannotGoOnIsExplainedThenDisconnected() {
        when(feed.stream(any(), any())).thenReturn(Flux.error(new ApiException(ApiError.GONE, "Cursor 1 is older", Map.of("oldest_cursor", 9))));
        session(Instant.now().plusSeconds(3600)).start();
        verify(client, timeout(2000)).sendEvent(eq("sync-error"),
                eq(Map.of("code", 410, "message", "Cursor 1 is older", "info", Map.of("oldest_cursor", 9))));
        verify(client, timeout(2000)).disconnect();
    }

    @Test
    void theTokensExpiryEndsTheConnectionUnlessAFresherTokenReplacedIt() {
        when(feed.stream(any(), any())).thenReturn(Flux.never());
        SocketIoSession expiring = session(Instant.now().plusMillis(200));
        expiring.start();
        verify(client, timeout(2000)).sendEvent(eq("token-expired"), eq(Map.of("code", 401, "message", "Permission denied")));
        verify(client, timeout(2000)).disconnect();

        NamespaceClient other = mock(NamespaceClient.class);
        when(other.getBaseClient()).thenReturn(head);
        SocketIoSession refreshed = new SocketIoSession(other, feed, caller(Instant.now().plusMillis(200), List.of()),
                new FeedService.Position(0, null, 0));
        refreshed.start();
        refreshed.replaceCaller(caller(Instant.now().plusSeconds(3600), List.of()));
        verify(other, after(600).never()).sendEvent(eq("token-expired"), any());
        verify(feed, times(2)).stream(any(), any()); // the first session's and this one's: same roles, same stream
        refreshed.replaceCaller(caller(Instant.now().plusSeconds(3600), List.of("admin")));
        verify(feed, times(3)).stream(any(), any()); // other roles: the stream restarts from the cursors reached
        refreshed.close();
    }

    private SocketIoSession session(Instant expires) {
        return new SocketIoSession(client, feed, caller(expires, List.of()), new FeedService.Position(0, null, 0));
    }

    private static Caller caller(Instant expires, List<String> roles) {
        Jwt jwt = Jwt.withTokenValue("t").header("alg", "HS256").subject("alice").issuedAt(Instant.now().minusSeconds(1))
                .expiresAt(expires).build();
        return new Caller("alice", roles, jwt);
    }

    private static FeedEvent cc(long cursor) {
        return new FeedEvent("cc", cursor, "p", "jobs", "j" + cursor, "{\"type\":\"cc\",\"cursor\":" + cursor + "}");
    }

    private static FeedEvent project(long cursor) {
        return new FeedEvent("project", cursor, "p", "data", "p", "{\"type\":\"project\",\"cursor\":" + cursor + "}");
    }

    private static List<Long> cursors(Object changes) {
        List<Long> cursors = new ArrayList<>();
        for (Object change : (List<?>) changes) {
            String json = ((RawValue) change).rawValue().toString();
            cursors.add(Long.parseLong(json.replaceAll(".*\"cursor\":(\\d+).*", "$1")));
        }
        return cursors;
    }
}
