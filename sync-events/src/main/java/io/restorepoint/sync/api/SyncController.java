package io.restorepoint.sync.api;

import io.restorepoint.sync.config.SyncProperties;
import io.restorepoint.sync.feed.FeedEvent;
import io.restorepoint.sync.feed.FeedMapper;
import io.restorepoint.sync.feed.FeedService;
import io.restorepoint.web.envelope.ApiError;
import io.restorepoint.web.envelope.ApiException;
import io.restorepoint.web.envelope.Envelope;
import io.restorepoint.web.security.Caller;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Sync API over HTTP: two independent cursor streams, the global {@code cc} stream (jobs, project
 * backup lists) and one project's stream (its data replaced or added to).
 * <ul>
 *   <li>{@code POST /sync/get {"cc.cursor": n, "project"?: gid, "cursor"?: m, "limit"?: k}}: events after the
 *       cursors → {@code result {events, "cc.cursor", more}} and, with a project, {@code project_events,
 *       cursor, project_more}; 410 when a cursor is older than the feed keeps</li>
 *   <li>{@code POST /sync/cursors {"project"?: gid}}: {@code result {"cc.cursor", "cursor"}}, the latest of
 *       each stream</li>
 *   <li>{@code GET /sync/stream?cursor=n&project=gid&project_cursor=m} (or {@code Last-Event-ID}):
 *       Server-Sent Events named {@code cc} and {@code project}; {@code id} = {@code <cc cursor>} or
 *       {@code <cc cursor>:<project cursor>}; ends when the caller's token expires</li>
 * </ul>
 */
@RestController
@RequestMapping("/sync")
public class SyncController {

    private final FeedService feed;
    private final SyncProperties properties;

    public SyncController(FeedService feed, SyncProperties properties) {
        this.feed = feed;
        this.properties = properties;
    }

    @PostMapping(path = "/get", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<Envelope> get(@RequestBody(required = false) JsonNode body) {
        return Mono.fromCallable(() -> new Request(body, properties.maxPageSize(), properties.pageSize()))
                .flatMap(request -> Caller.current().flatMap(caller -> {
                    Mono<Map<String, Object>> cc = page(caller, FeedMapper.CC, null, request.ccCursor, request.limit,
                            "events", "cc.cursor", "more");
                    Mono<Map<String, Object>> project = request.project == null ? Mono.just(Map.of())
                            : page(caller, FeedMapper.PROJECT, request.project, request.projectCursor, request.limit,
                                    "project_events", "cursor", "project_more");
                    return cc.zipWith(project).map(t -> {
                        Map<String, Object> result = new LinkedHashMap<>(t.getT1());
                        result.putAll(t.getT2());
                        return Envelope.ok(result);
                    });
                }));
    }

    private Mono<Map<String, Object>> page(Caller caller, String stream, String project, long cursor, int limit, String eventsKey,
            String cursorKey, String moreKey) {
        return feed.page(caller, stream, project, cursor, limit + 1).map(events -> {
            boolean more = events.size() > limit;
            List<FeedEvent> page = more ? events.subList(0, limit) : events;
            Map<String, Object> result = new LinkedHashMap<>();
            result.put(eventsKey, page);
            result.put(cursorKey, page.isEmpty() ? cursor : page.get(page.size() - 1).cursor());
            result.put(moreKey, more);
            return result;
        });
    }

    @PostMapping(path = "/cursors", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<Envelope> cursors() {
        return feed.latest(FeedMapper.CC).zipWith(feed.latest(FeedMapper.PROJECT))
                .map(t -> Envelope.ok(Map.of("cc.cursor", t.getT1(), "cursor", t.getT2())));
    }

    @GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public Flux<ServerSentEvent<String>> stream(@RequestParam(name = "cursor", required = false) Long cursorParam,
            @RequestParam(name = "project", required = false) String project,
            @RequestParam(name = "project_cursor", required = false) Long projectCursorParam,
            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
        FeedService.Position position = position(cursorParam, project, projectCursorParam, lastEventId);
        return Caller.current().flatMapMany(caller -> {
            Instant expires = caller.token().getExpiresAt();
            AtomicPair ids = new AtomicPair(position.ccCursor(), position.projectCursor());
            Flux<ServerSentEvent<String>> events = feed.stream(caller, position)
                    .map(event -> ServerSentEvent.builder(event.json())
                            .id(ids.advance(event, position.project() != null))
                            .event(event.stream()).build());
            Flux<ServerSentEvent<String>> heartbeats = Flux.interval(properties.heartbeat())
                    .map(tick -> ServerSentEvent.<String>builder().comment("keep-alive").build());
            Flux<ServerSentEvent<String>> stream = Flux.merge(events, heartbeats);
            if (expires != null) {
                Duration left = Duration.between(Instant.now(), expires);
                stream = stream.take(left.isNegative() ? Duration.ZERO : left)
                        .concatWith(Mono.just(ServerSentEvent.<String>builder().event("token-expired")
                                .data("{\"code\":401,\"message\":\"Permission denied\"}").build()));
            }
            return stream;
        });
    }

    /** The two cursors behind an SSE id: {@code cc} or {@code cc:project}. */
    private static final class AtomicPair {
        private long cc;
        private long project;

        AtomicPair(long cc, long project) {
            this.cc = cc;
            this.project = project;
        }

        synchronized String advance(FeedEvent event, boolean withProject) {
            if (FeedMapper.CC.equals(event.stream())) {
                cc = event.cursor();
            } else {
                project = event.cursor();
            }
            return withProject ? cc + ":" + project : Long.toString(cc);
        }
    }

    private static FeedService.Position position(Long cursor, String project, Long projectCursor, String lastEventId) {
        long cc = cursor == null ? 0 : cursor;
        long pc = projectCursor == null ? 0 : projectCursor;
        if (lastEventId != null && !lastEventId.isBlank()) {
            String[] parts = lastEventId.trim().split(":");
            try {
                cc = Long.parseLong(parts[0]);
                if (parts.length > 1) {
                    pc = Long.parseLong(parts[1]);
                }
            } catch (NumberFormatException e) {
                throw new ApiException(ApiError.BAD_REQUEST, "Last-Event-ID must be <cursor> or <cursor>:<project cursor>");
            }
        }
        if (cc < 0 || pc < 0) {
            throw ApiException.unprocessable("cursors are non-negative integers", Map.of("parameter", "cursor"));
        }
        return new FeedService.Position(cc, project == null || project.isBlank() ? null : project, pc);
    }

    /** The body of {@code /sync/get}. */
    private static final class Request {
        final long ccCursor;
        final String project;
        final long projectCursor;
        final int limit;

        Request(JsonNode body, int maxPage, int defaultPage) {
            if (body != null && !body.isNull() && !body.isMissingNode() && !body.isObject()) {
                throw new ApiException(ApiError.BAD_REQUEST, "The request body must be a JSON object");
            }
            JsonNode json = body == null || !body.isObject() ? null : body;
            this.ccCursor = cursor(json, json != null && json.has("cc.cursor") ? "cc.cursor" : "cc_cursor");
            JsonNode projectNode = json == null ? null : json.get("project");
            if (projectNode != null && !projectNode.isNull() && !projectNode.isString()) {
                throw ApiException.unprocessable("project must be a project gid", Map.of("parameter", "project"));
            }
            this.project = projectNode == null || projectNode.isNull() ? null : projectNode.asString();
            this.projectCursor = cursor(json, "cursor");
            JsonNode limitNode = json == null ? null : json.get("limit");
            if (limitNode == null || limitNode.isNull()) {
                this.limit = defaultPage;
            } else if (!limitNode.isIntegralNumber() || limitNode.asLong() < 1 || limitNode.asLong() > maxPage) {
                throw ApiException.unprocessable("limit must be an integer from 1 to " + maxPage, Map.of("parameter", "limit"));
            } else {
                this.limit = limitNode.asInt();
            }
        }

        private static long cursor(JsonNode json, String name) {
            JsonNode value = json == null ? null : json.get(name);
            if (value == null || value.isNull()) {
                return 0;
            }
            if (!value.isIntegralNumber() || value.asLong() < 0) {
                throw ApiException.unprocessable(name + " must be a non-negative integer", Map.of("parameter", name));
            }
            return value.asLong();
        }
    }
}
