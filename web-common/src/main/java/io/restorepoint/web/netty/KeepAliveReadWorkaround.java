package io.restorepoint.web.netty;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Works around a Reactor Netty server bug (reactor/reactor-netty#4361 and #4347, fixed upstream in September
 * 2026 snapshots; this build runs 1.3.6, Spring Boot 4.1.0's version, and 1.3.8 is the newest served here, not
 * known to carry the fix): when a client sends its next request on a keep-alive connection before the server
 * has finished the previous exchange, for instance right after an early answer such as a 401 sent before
 * the request body was read, the request is queued and the connection can stop reading. That request then
 * gets no answer at all and the client waits until its own timeout. Setting
 * {@code reactor.netty.http.server.lastFlushWhenNoRead} closes that route: the previous exchange is ended
 * first and the new request is dispatched directly. It is read once, when Reactor Netty's HTTP handler class
 * loads, so it is set here, before any server starts. A value given on the command line ({@code -D}) is
 * left alone. Remove this class when the build moves to a Reactor Netty with the fix.
 */
public final class KeepAliveReadWorkaround implements EnvironmentPostProcessor {

    public static final String PROPERTY = "reactor.netty.http.server.lastFlushWhenNoRead";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        apply();
    }

    /** Sets the property unless somebody set it already; returns the value in force. */
    public static String apply() {
        synchronized (System.getProperties()) {
            if (System.getProperty(PROPERTY) == null) {
                System.setProperty(PROPERTY, "true");
            }
            return System.getProperty(PROPERTY);
        }
    }
}
