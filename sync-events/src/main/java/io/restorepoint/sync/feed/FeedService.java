package io.restorepoint.sync.feed;

import io.restorepoint.sync.access.Memberships;
import io.restorepoint.sync.config.SyncProperties;
import io.restorepoint.web.envelope.ApiError;
import io.restorepoint.web.envelope.ApiException;
import io.restorepoint.web.security.Caller;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a caller may read of the feeds: of the global stream, admins everything and others the events of
 * projects they are an active member of; of a project's stream, that project's events, for its members
 * and admins. Catch-up pages come from the store; a live stream subscribes to the live feed first,
 * replays the store from the caller's cursors, then continues live, skipping whatever the replay already
 * delivered: no gap, no repeat, cursors strictly increasing per stream. A cursor older than what the
 * store keeps is refused (410) rather than answered with a silent gap.
 */
@Service
public class FeedService {

    private final FeedStore store;
    private final LiveFeed live;
    private final Memberships memberships;
    private final SyncProperties properties;

    public FeedService(FeedStore store, LiveFeed live, Memberships memberships, SyncProperties properties) {
        this.store = store;
        this.live = live;
        this.memberships = memberships;
        this.properties = properties;
    }

    /** Where a client is: its global cursor, and optionally one project and its cursor in that project's stream. */
    public record Position(long ccCursor, String project, long projectCursor) {
    }

    /** One page of a stream after {@code cursor}: the cc stream, or {@code project}'s stream. */
    public Mono<List<FeedEvent>> page(Caller caller, String stream, String project, long cursor, int limit) {
        return checkCursor(stream, cursor).then(Mono.defer(() -> {
            if (FeedMapper.PROJECT.equals(stream)) {
                return requireProject(caller, project).then(store.after(stream, cursor, Set.of(project), limit).collectList());
            }
            return store.after(stream, cursor, visibleProjects(caller), limit).collectList();
        }));
    }

    public Mono<Long> latest(String stream) {
        return store.latest(stream);
    }

    /** Every visible event after the position: the stored ones, then live ones as they come. */
    public Flux<FeedEvent> stream(Caller caller, Position position) {
        String project = position.project();
        Mono<Void> checks = checkCursor(FeedMapper.CC, position.ccCursor())
                .then(project == null ? Mono.empty()
                        : requireProject(caller, project).then(checkCursor(FeedMapper.PROJECT, position.projectCursor())));
        return checks.thenMany(Flux.defer(() -> {
            // live first, then the store: see LiveBacklog for why the order matters
            LiveBacklog backlog = LiveBacklog.follow(live.events().filter(event -> wanted(caller, project, event)),
                    properties.liveBuffer());
            AtomicLong lastCc = new AtomicLong(position.ccCursor());
            AtomicLong lastProject = new AtomicLong(position.projectCursor());
            Flux<FeedEvent> replay = catchUp(caller, FeedMapper.CC, null, new AtomicLong(position.ccCursor()));
            if (project != null) {
                replay = replay.concatWith(catchUp(caller, FeedMapper.PROJECT, project, new AtomicLong(position.projectCursor())));
            }
            return Flux.concat(replay, backlog.events())
                    .filter(event -> event.cursor() > (FeedMapper.CC.equals(event.stream()) ? lastCc : lastProject).get())
                    .doOnNext(event -> (FeedMapper.CC.equals(event.stream()) ? lastCc : lastProject).set(event.cursor()))
                    .doFinally(signal -> backlog.dispose());
        }));
    }

    /** The stored events after {@code position}, page by page, until a page comes back short. */
    private Flux<FeedEvent> catchUp(Caller caller, String stream, String project, AtomicLong position) {
        int page = properties.pageSize();
        Set<String> projects = project != null ? Set.of(project) : visibleProjects(caller);
        return Mono.defer(() -> store.after(stream, position.get(), projects, page).collectList())
                .flatMapMany(events -> {
                    if (!events.isEmpty()) {
                        position.set(events.get(events.size() - 1).cursor());
                    }
                    return events.size() < page ? Flux.fromIterable(events)
                            : Flux.fromIterable(events).concatWith(catchUp(caller, stream, project, position));
                });
    }

    private boolean wanted(Caller caller, String project, FeedEvent event) {
        if (FeedMapper.PROJECT.equals(event.stream())) {
            return event.project().equals(project);
        }
        return caller.isAdmin() || memberships.isActiveMember(caller.userId(), event.project());
    }

    private Mono<Void> requireProject(Caller caller, String project) {
        if (project == null || project.isBlank()) {
            return Mono.error(new ApiException(ApiError.BAD_REQUEST, "Missing required parameter: project", Map.of("parameter", "project")));
        }
        if (caller.isAdmin() || memberships.isActiveMember(caller.userId(), project)) {
            return Mono.empty();
        }
        return Mono.error(ApiException.forbidden("Forbidden - not a member of this project"));
    }

    private Mono<Void> checkCursor(String stream, long cursor) {
        return store.prunedThrough(stream).flatMap(pruned -> cursor >= pruned ? Mono.<Void>empty()
                : Mono.error(new ApiException(ApiError.GONE, "Cursor " + cursor + " is older than the " + stream
                        + " feed keeps (it holds the events after " + pruned + "): re-read the current state through /api "
                        + "and continue from " + pruned, Map.of("stream", stream, "oldest_cursor", pruned))));
    }

    /** null: everything (admins). */
    private Set<String> visibleProjects(Caller caller) {
        return caller.isAdmin() ? null : memberships.projectsOf(caller.userId());
    }
}
