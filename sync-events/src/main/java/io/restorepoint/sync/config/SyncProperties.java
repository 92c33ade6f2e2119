package io.restorepoint.sync.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Feed settings ({@code restorepoint.sync.*}).
 *
 * @param pageSize        events per {@code /sync/get} answer unless the caller asks for fewer
 * @param maxPageSize     the most a caller may ask for
 * @param heartbeat       SSE comment sent when nothing else was, to keep proxies from closing the stream
 * @param liveBuffer      events buffered for one slow SSE client before its stream is ended (it resumes
 *                        from its last cursor)
 * @param startupTimeout  how long start-up waits for the membership topic to be read
 * @param retention       how long events are kept in the feed store (the topics keep them 30 days); a
 *                        cursor older than what is kept is answered 410
 * @param pruneInterval   how often old events are removed
 * @param socketIoPort    port of the Socket.IO v4 endpoint (path {@code /sync/io}, env {@code RP_SYNC_IO_PORT}): it
 *                        runs its own Netty server next to the HTTP port ({@code docs/design/0009-socket-io-endpoint.md}); {@code 0} takes
 *                        any free port (tests), a negative value turns the endpoint off
 */
@ConfigurationProperties("restorepoint.sync")
public record SyncProperties(
        @DefaultValue("1000") int pageSize,
        @DefaultValue("10000") int maxPageSize,
        @DefaultValue("15s") Duration heartbeat,
        @DefaultValue("10000") int liveBuffer,
        @DefaultValue("60s") Duration startupTimeout,
        @DefaultValue("30d") Duration retention,
        @DefaultValue("1h") Duration pruneInterval,
        @DefaultValue("3004") int socketIoPort) {
}
