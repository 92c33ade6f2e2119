package io.restorepoint.sync.feed;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.Collection;
import java.util.List;

/** The feed store: the only place with SQL for {@code sync_events}. */
@Repository
public class FeedStore {

    private final DatabaseClient db;

    public FeedStore(DatabaseClient db) {
        this.db = db;
    }

    /** Stores events; an event already stored (by this or another instance) is left as it is. */
    public Mono<Void> store(String stream, List<FeedEvent> events, double now) {
        if (events.isEmpty()) {
            return Mono.empty();
        }
        StringBuilder sql = new StringBuilder("INSERT IGNORE INTO sync_events "
                + "(stream, cursor_no, project_gid, data_type, data_key, event_json, created_at) VALUES ");
        for (int i = 0; i < events.size(); i++) {
            sql.append(i == 0 ? "" : ",").append("(:s, :c").append(i).append(", :p").append(i).append(", :t").append(i)
                    .append(", :k").append(i).append(", :j").append(i).append(", :now)");
        }
        DatabaseClient.GenericExecuteSpec spec = db.sql(sql.toString()).bind("s", stream).bind("now", now);
        for (int i = 0; i < events.size(); i++) {
            FeedEvent e = events.get(i);
            spec = spec.bind("c" + i, e.cursor()).bind("p" + i, e.project()).bind("t" + i, e.dataType())
                    .bind("k" + i, e.dataKey()).bind("j" + i, e.json());
        }
        return spec.then();
    }

    /**
     * Events after {@code cursor}, oldest first, at most {@code limit}.
     *
     * @param projects the projects whose events the caller may see; null for all (admins)
     */
    public Flux<FeedEvent> after(String stream, long cursor, Collection<String> projects, int limit) {
        if (projects != null && projects.isEmpty()) {
            return Flux.empty();
        }
        String filter = projects == null ? "" : " AND project_gid IN (:projects)";
        DatabaseClient.GenericExecuteSpec spec = db.sql("SELECT cursor_no, project_gid, data_type, data_key, event_json FROM sync_events "
                        + "WHERE stream = :s AND cursor_no > :c" + filter + " ORDER BY cursor_no LIMIT :limit")
                .bind("s", stream).bind("c", cursor).bind("limit", limit);
        if (projects != null) {
            spec = spec.bind("projects", List.copyOf(projects));
        }
        return spec.map(row -> new FeedEvent(stream, row.get("cursor_no", Long.class), row.get("project_gid", String.class),
                row.get("data_type", String.class), row.get("data_key", String.class), row.get("event_json", String.class))).all();
    }

    /** The topic a stream was last read from and the cursor base of its offsets, if recorded. */
    public Mono<StreamOrigin> origin(String stream) {
        return db.sql("SELECT topic_id, cursor_base FROM sync_streams WHERE stream = :s")
                .bind("s", stream)
                .map(row -> new StreamOrigin(row.get("topic_id", String.class), row.get("cursor_base", Number.class).longValue()))
                .one();
    }

    /** Records the topic a stream is read from and its cursor base (every instance computes the same). */
    public Mono<Void> recordOrigin(String stream, StreamOrigin origin) {
        return db.sql("INSERT INTO sync_streams (stream, topic_id, cursor_base) VALUES (:s, :t, :b) "
                        + "ON DUPLICATE KEY UPDATE topic_id = VALUES(topic_id), cursor_base = VALUES(cursor_base)")
                .bind("s", stream).bind("t", origin.topicId()).bind("b", origin.cursorBase())
                .then();
    }

    /** Where a stream's cursors come from: cursor = cursorBase + offset + 1 in topic {@code topicId}. */
    public record StreamOrigin(String topicId, long cursorBase) {
    }

    /** The last cursor retention removed from a stream (0: nothing removed yet). */
    public Mono<Long> prunedThrough(String stream) {
        return db.sql("SELECT pruned_through FROM sync_streams WHERE stream = :s")
                .bind("s", stream)
                .map(row -> row.get("pruned_through", Number.class).longValue())
                .one()
                .defaultIfEmpty(0L);
    }

    /**
     * Removes a stream's events stored before {@code before} (epoch seconds), keeping at least the newest
     * one, and records the last cursor removed. Returns how many were removed.
     */
    public Mono<Long> prune(String stream, double before) {
        return db.sql("SELECT COALESCE(MAX(cursor_no), 0) AS upto FROM sync_events WHERE stream = :s AND created_at < :before "
                        + "AND cursor_no < (SELECT MAX(cursor_no) FROM sync_events WHERE stream = :s)")
                .bind("s", stream).bind("before", before)
                .map(row -> row.get("upto", Number.class).longValue())
                .one()
                .flatMap(upto -> upto == 0 ? Mono.just(0L)
                        : db.sql("DELETE FROM sync_events WHERE stream = :s AND cursor_no <= :upto")
                                .bind("s", stream).bind("upto", upto)
                                .fetch().rowsUpdated()
                                .flatMap(n -> db.sql("UPDATE sync_streams SET pruned_through = GREATEST(pruned_through, :upto) WHERE stream = :s")
                                        .bind("upto", upto).bind("s", stream)
                                        .fetch().rowsUpdated().thenReturn(n)));
    }

    /** The highest stored cursor of a stream for one project (0 when none). */
    public Mono<Long> latest(String stream, String project) {
        return db.sql("SELECT COALESCE(MAX(cursor_no), 0) AS latest FROM sync_events WHERE stream = :s AND project_gid = :p")
                .bind("s", stream).bind("p", project)
                .map(row -> row.get("latest", Number.class).longValue())
                .one();
    }

    /** The highest stored cursor of a stream (0 when empty). */
    public Mono<Long> latest(String stream) {
        return db.sql("SELECT COALESCE(MAX(cursor_no), 0) AS latest FROM sync_events WHERE stream = :s")
                .bind("s", stream)
                .map(row -> row.get("latest", Number.class).longValue())
                .one();
    }
}
