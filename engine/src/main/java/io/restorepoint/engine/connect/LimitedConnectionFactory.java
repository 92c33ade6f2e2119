package io.restorepoint.engine.connect;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * At most {@code limit} open connections to one server from this process, whoever opens them: a connection
 * asked for beyond the limit waits until another is closed, at most {@code wait}, then fails naming the
 * server (a job waiting forever for connections that another job holds would hang both). Closing a
 * connection, or failing to open one, gives its place back exactly once.
 */
public final class LimitedConnectionFactory implements ConnectionFactory {

    private final ConnectionFactory target;
    private final String server;
    private final int limit;
    private final Duration wait;
    private final Semaphore permits;

    public LimitedConnectionFactory(ConnectionFactory target, String server, int limit, Duration wait) {
        if (limit < 1) {
            throw new IllegalArgumentException("a connection limit is at least 1, not " + limit);
        }
        this.target = target;
        this.server = server;
        this.limit = limit;
        this.wait = wait;
        this.permits = new Semaphore(limit, true);
    }

    /** Connections that may still be opened right now. */
    public int available() {
        return permits.availablePermits();
    }

    @Override
    public Publisher<? extends Connection> create() {
        return Mono.fromCallable(() -> permits.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(acquired -> {
                    if (!acquired) {
                        return Mono.error(new IllegalStateException("server " + server + ": all " + limit
                                + " connections allowed (max-connections) stayed in use for " + wait.toSeconds() + " s"));
                    }
                    AtomicBoolean released = new AtomicBoolean();
                    Runnable release = () -> {
                        if (released.compareAndSet(false, true)) {
                            permits.release();
                        }
                    };
                    return Mono.<Connection>from(target.create())
                            .map(c -> limited(c, release))
                            .doOnError(e -> release.run())
                            .doOnCancel(release);
                });
    }

    @Override
    public ConnectionFactoryMetadata getMetadata() {
        return target.getMetadata();
    }

    /** The connection, whose close (however it ends) gives its place back. */
    private static Connection limited(Connection connection, Runnable release) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("close") && method.getParameterCount() == 0) {
                // the place is given back before the caller hears that the close ended (not after, as doFinally
                // would): whoever closes and then opens again finds it free
                return Mono.from(connection.close())
                        .doOnError(e -> release.run())
                        .doOnCancel(release)
                        .then(Mono.fromRunnable(release));
            }
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> "limited " + connection;
                };
            }
            try {
                return method.invoke(connection, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
    }
}
