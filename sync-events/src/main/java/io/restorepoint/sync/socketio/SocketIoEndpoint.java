package io.restorepoint.sync.socketio;

import com.corundumstudio.socketio.AckRequest;
import com.corundumstudio.socketio.AuthTokenResult;
import com.corundumstudio.socketio.AuthorizationResult;
import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.HandshakeData;
import com.corundumstudio.socketio.SocketIOChannelInitializer;
import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.SocketIOServer;
import com.corundumstudio.socketio.listener.ExceptionListenerAdapter;
import com.corundumstudio.socketio.namespace.Namespace;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.util.concurrent.Future;
import io.restorepoint.sync.config.SyncProperties;
import io.restorepoint.sync.feed.FeedMapper;
import io.restorepoint.sync.feed.FeedService;
import io.restorepoint.web.envelope.ApiError;
import io.restorepoint.web.envelope.ApiException;
import io.restorepoint.web.security.Caller;
import io.restorepoint.web.security.OriginPolicy;
import io.restorepoint.web.security.TokenVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Sync API over Socket.IO v4 (Engine.IO 4, Socket.IO protocol 5): a netty-socketio server on its own port
 * ({@code restorepoint.sync.socket-io-port}, env {@code RP_SYNC_IO_PORT}, default 3004) at path {@code /sync/io},
 * polling and WebSocket (a stock client's defaults: polling first, then the upgrade).
 * <ul>
 *   <li>Connect with {@code auth {JWT, cc_cursor?, project?, cursor?}}. The token is checked by the same
 *       {@link TokenVerifier} as the HTTP API (signature, issuer, audience, expiry, subject), and the
 *       cursors and project as {@code /sync/get} checks them. A refusal is a connect error whose message is
 *       {@code "Permission denied"} (bad or missing token) or the API's message, and whose {@code data} is
 *       {@code {code, ...}} (401, 403, 410, 422).</li>
 *   <li>Server → client: {@code cc} and {@code project}, each a JSON array of changes as {@code /sync/get} gives
 *       them ({@code {type, cursor, action, data_type, data_key, data}}); stored changes after the client's
 *       cursors first (a missing {@code cc_cursor}/{@code cursor}: from the latest, live changes only), then
 *       live ones, without gap or repeat. {@code token-expired} {@code {code: 401, message}} when the token's
 *       {@code exp} passes, followed by a disconnect. {@code sync-error} {@code {code, message, info?}} when the
 *       stream cannot go on (a cursor the store no longer keeps), followed by a disconnect.</li>
 *   <li>Client → server: {@code authorization} {@code {JWT}} (or the token itself) replaces the token of the
 *       connection (same user); acknowledged, if the client asks for an acknowledgement, with
 *       {@code {success: true, result: {expires_on}}} or {@code {success: false, result: {code, message}}}.</li>
 * </ul>
 * The server mints no tokens, so it never pushes one. See {@code docs/design/0009-socket-io-endpoint.md}.
 */
@Component
public class SocketIoEndpoint implements SmartLifecycle {

    public static final String PATH = "/sync/io";

    private static final Logger log = LoggerFactory.getLogger(SocketIoEndpoint.class);
    /** Connect checks (token, project, cursors) run on the server's I/O thread: bounded. */
    private static final Duration CONNECT_CHECKS = Duration.ofSeconds(10);
    private static final String PERMISSION_DENIED = ApiError.PERMISSION_DENIED.message();

    private final FeedService feed;
    private final TokenVerifier tokens;
    private final OriginPolicy origins;
    private final SyncProperties properties;
    private final Map<UUID, SocketIoSession> sessions = new ConcurrentHashMap<>();
    private volatile SocketIOServer server;
    private volatile int port = -1;

    public SocketIoEndpoint(FeedService feed, TokenVerifier tokens, OriginPolicy origins, SyncProperties properties) {
        this.feed = feed;
        this.tokens = tokens;
        this.origins = origins;
        this.properties = properties;
    }

    /** The port the endpoint listens on, or -1 when it is off. */
    public int port() {
        return port;
    }

    /** Connected clients. */
    public int clients() {
        return sessions.size();
    }

    /** The transport a connected client uses now ({@code polling} or {@code websocket}), or null. */
    public String transport(UUID sessionId) {
        SocketIOServer socketServer = server;
        SocketIOClient client = socketServer == null ? null : socketServer.getClient(sessionId);
        return client == null ? null : client.getTransport().getValue();
    }

    @Override
    public void start() {
        if (properties.socketIoPort() < 0) {
            log.info("socket.io endpoint off (restorepoint.sync.socket-io-port < 0)");
            return;
        }
        Configuration config = new Configuration();
        config.setPort(properties.socketIoPort());
        config.setContext(PATH);
        config.setBossThreads(1);
        config.setRandomSession(true); // never take a session id from an "io" cookie
        config.setPingInterval(25_000); // the socket.io v4 server defaults
        config.setPingTimeout(20_000);
        config.setAuthorizationListener(this::allowedOrigin);
        config.setExceptionListener(new Quiet());
        SocketIOServer socketServer = new SocketIOServer(config);
        ProtocolFixes fixes = new ProtocolFixes();
        socketServer.setPipelineFactory(new SocketIOChannelInitializer() {
            @Override
            protected void addSocketioHandlers(ChannelPipeline pipeline) {
                super.addSocketioHandlers(pipeline);
                pipeline.addBefore(PACKET_HANDLER, ProtocolFixes.NAME, fixes);
            }
        });
        socketServer.getNamespace(Namespace.DEFAULT_NAME).addAuthTokenListener(this::authorize);
        socketServer.addDisconnectListener(this::disconnected);
        socketServer.addEventListener("authorization", Object.class, this::authorization);
        Future<Void> bound = socketServer.startAsync().awaitUninterruptibly();
        if (!bound.isSuccess()) {
            socketServer.stop(); // its event loops would keep the JVM alive
            throw new IllegalStateException("socket.io endpoint cannot listen on port " + properties.socketIoPort()
                    + " (restorepoint.sync.socket-io-port, RP_SYNC_IO_PORT)", bound.cause());
        }
        if (bound instanceof ChannelFuture channel && channel.channel().localAddress() instanceof InetSocketAddress address) {
            port = address.getPort();
        } else {
            port = properties.socketIoPort();
        }
        server = socketServer;
        log.info("socket.io endpoint at :{}{}", port, PATH);
    }

    @Override
    public void stop() {
        SocketIOServer socketServer = server;
        server = null;
        port = -1;
        sessions.values().forEach(SocketIoSession::close);
        sessions.clear();
        if (socketServer != null) {
            socketServer.stop();
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    /** Browsers: the origins the HTTP API takes ({@link OriginPolicy}). */
    private AuthorizationResult allowedOrigin(HandshakeData handshake) {
        return origins.allows(handshake.getHttpHeaders().get(HttpHeaderNames.ORIGIN))
                ? AuthorizationResult.SUCCESSFUL_AUTHORIZATION : AuthorizationResult.FAILED_AUTHORIZATION;
    }

    /**
     * The CONNECT packet's auth payload: token, project and cursors are checked before the connection is
     * accepted, and the stream starts here. (netty-socketio runs its connect listeners for the default namespace
     * at the Engine.IO handshake, before the client's CONNECT and its auth, so they cannot be used for this.)
     * The events the stream sends before the CONNECT acknowledgement are held by the client until it is
     * connected, as socket.io clients do.
     */
    private AuthTokenResult authorize(Object auth, SocketIOClient client) {
        try {
            Handshake handshake = Handshake.of(auth);
            if (handshake.jwt() == null) {
                throw new ApiException(ApiError.PERMISSION_DENIED, PERMISSION_DENIED, Map.of("reason", "no JWT in the handshake auth"));
            }
            Prepared prepared = verify(handshake.jwt())
                    .flatMap(caller -> position(caller, handshake).map(position -> new Prepared(caller, position)))
                    .block(CONNECT_CHECKS);
            start(client, prepared);
            return AuthTokenResult.AuthTokenResultSuccess;
        } catch (ApiException e) {
            return new AuthTokenResult(false, connectError(e));
        } catch (RuntimeException e) {
            log.warn("socket.io connect checks failed: {}", e.toString());
            return new AuthTokenResult(false, connectError(new ApiException(ApiError.SERVICE_UNAVAILABLE, null)));
        }
    }

    /** The token as the HTTP API sees it, as a {@link Caller}; any rejection is a 401 "Permission denied". */
    private Mono<Caller> verify(String token) {
        return tokens.verify(token)
                .onErrorMap(TokenVerifier.Rejected.class, e -> new ApiException(ApiError.PERMISSION_DENIED, PERMISSION_DENIED,
                        Map.of("reason", e.getMessage())));
    }

    /** Where the stream starts; the project and cursors go through the checks of {@code /sync/get}. */
    private Mono<FeedService.Position> position(Caller caller, Handshake handshake) {
        Mono<Long> cc = handshake.ccCursor() != null ? Mono.just(handshake.ccCursor()) : feed.latest(FeedMapper.CC);
        Mono<Long> pc = handshake.project() == null ? Mono.just(0L)
                : handshake.projectCursor() != null ? Mono.just(handshake.projectCursor()) : feed.latest(FeedMapper.PROJECT);
        return Mono.zip(cc, pc).flatMap(cursors -> {
            FeedService.Position position = new FeedService.Position(cursors.getT1(), handshake.project(), cursors.getT2());
            Mono<?> checks = feed.page(caller, FeedMapper.CC, null, position.ccCursor(), 1);
            if (position.project() != null) {
                checks = checks.then(feed.page(caller, FeedMapper.PROJECT, position.project(), position.projectCursor(), 1));
            }
            return checks.thenReturn(position);
        });
    }

    private void start(SocketIOClient client, Prepared prepared) {
        SocketIoSession session = new SocketIoSession(client, feed, prepared.caller(), prepared.position());
        SocketIoSession previous = sessions.put(client.getSessionId(), session);
        if (previous != null) { // a second CONNECT on the same Engine.IO session
            previous.close();
        }
        session.start();
        log.debug("socket.io client {} connected as {} from cc cursor {}", client.getSessionId(), prepared.caller().userId(),
                prepared.position().ccCursor());
    }

    private void disconnected(SocketIOClient client) {
        SocketIoSession session = sessions.remove(client.getSessionId());
        if (session != null) {
            session.close();
        }
    }

    /** {@code authorization {JWT}}: a fresh token of the same user replaces the connection's token. */
    private void authorization(SocketIOClient client, Object data, AckRequest ack) {
        SocketIoSession session = sessions.get(client.getSessionId());
        String token = Handshake.token(data);
        if (session == null || token == null) {
            answer(ack, connectError(new ApiException(ApiError.PERMISSION_DENIED, PERMISSION_DENIED,
                    Map.of("reason", "no JWT in the authorization event"))), false);
            return;
        }
        verify(token).subscribe(caller -> {
            if (!caller.userId().equals(session.caller().userId())) {
                answer(ack, connectError(ApiException.forbidden("The token is for another user: reconnect with it instead")), false);
                return;
            }
            session.replaceCaller(caller);
            Map<String, Object> result = new LinkedHashMap<>();
            if (caller.token().getExpiresAt() != null) {
                result.put("expires_on", caller.token().getExpiresAt().getEpochSecond());
            }
            answer(ack, result, true);
        }, error -> answer(ack, connectError(error instanceof ApiException api ? api
                : new ApiException(ApiError.SERVICE_UNAVAILABLE, null)), false));
    }

    private static void answer(AckRequest ack, Map<String, Object> result, boolean success) {
        if (ack.isAckRequested()) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("success", success);
            body.put("result", success ? result : result.get("data"));
            ack.sendAckData(body);
        }
    }

    /** A connect error's payload: {@code {message, data: {code, message, ...info}}}. */
    private static Map<String, Object> connectError(ApiException e) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("code", e.error().code());
        data.put("message", e.getMessage());
        data.putAll(e.info());
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", e.getMessage());
        error.put("data", data);
        return error;
    }

    private record Prepared(Caller caller, FeedService.Position position) {
    }

    /** Clients that go away mid-request are routine: not logged as errors. */
    private static final class Quiet extends ExceptionListenerAdapter {
        @Override
        public boolean exceptionCaught(ChannelHandlerContext ctx, Throwable e) {
            if (e instanceof IOException) {
                log.debug("socket.io connection {}: {}", ctx.channel().remoteAddress(), e.toString());
            } else {
                log.warn("socket.io connection {}: {}", ctx.channel().remoteAddress(), e.toString());
            }
            ctx.close();
            return true;
        }

        @Override
        public void onEventException(Exception e, List<Object> args, SocketIOClient client) {
            log.warn("socket.io client {}: event failed: {}", client.getSessionId(), e.toString());
        }

        @Override
        public void onConnectException(Exception e, SocketIOClient client) {
            log.warn("socket.io client {}: connect failed: {}", client.getSessionId(), e.toString());
        }

        @Override
        public void onDisconnectException(Exception e, SocketIOClient client) {
            log.warn("socket.io client {}: disconnect failed: {}", client.getSessionId(), e.toString());
        }

        @Override
        public void onAuthException(Throwable e, SocketIOClient client) {
            log.warn("socket.io client {}: auth check failed: {}", client.getSessionId(), e.toString());
        }
    }
}
