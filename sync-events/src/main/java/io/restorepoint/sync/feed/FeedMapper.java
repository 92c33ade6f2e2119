package io.restorepoint.sync.feed;

import io.restorepoint.schemas.job.CcEvent;
import io.restorepoint.schemas.job.JobEvent;
import io.restorepoint.schemas.job.ProjectChanged;
import io.restorepoint.schemas.job.ProjectDataChanged;
import io.restorepoint.schemas.kafka.Json;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps contract events to the Unicat sync event shape {@code {type, cursor, action, data_type, data_key,
 * data}}:
 * <ul>
 *   <li>a job event: {@code type "cc", data_type "jobs", data_key <job token>, data {project_gid, job, status,
 *       info, created_on, updated_on, version, failure?, result?, event_id, worker_id?}} ({@code event_id} lets a
 *       client drop the copy of a terminal event that a redelivered command republishes);</li>
 *   <li>a project's backups list changed: {@code type "cc", data_type "projects", data_key <project gid>,
 *       data {gid, change, version?, next_version?, updated_on}};</li>
 *   <li>a project's data changed (per-project stream): {@code type "project", data_type "data", data_key
 *       <project gid>, data {reason, job.token, version?, tables?, updated_on}}.</li>
 * </ul>
 * {@code action} is always {@code "UPDATE"}: events are notifications, clients re-read through {@code /api}.
 */
public final class FeedMapper {

    public static final String CC = "cc";
    public static final String PROJECT = "project";

    private FeedMapper() {
    }

    /** The client-facing event of a record, given its cursor and the trace id it carries (or null). */
    @FunctionalInterface
    public interface Mapping<V> {
        FeedEvent map(long cursor, V value, String traceId);
    }

    public static FeedEvent cc(long cursor, CcEvent event) {
        return cc(cursor, event, null);
    }

    /** @param traceId the trace of the request that started the job: added to job events as {@code trace_id} */
    public static FeedEvent cc(long cursor, CcEvent event, String traceId) {
        if (event instanceof JobEvent job) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("project_gid", job.project());
            data.put("job", job.job());
            data.put("status", job.status());
            data.put("info", job.info());
            data.put("created_on", job.createdOn());
            data.put("updated_on", job.updatedOn());
            if (job.version() != null) {
                data.put("version", job.version());
            }
            if (job.failure() != null) {
                data.put("failure", job.failure());
            }
            if (job.result() != null) {
                data.put("result", job.result());
            }
            data.put("event_id", job.eventId());
            if (job.workerId() != null) {
                data.put("worker_id", job.workerId());
            }
            if (traceId != null) {
                data.put("trace_id", traceId);
            }
            return event(CC, cursor, job.project(), "jobs", job.jobToken(), data);
        }
        if (event instanceof ProjectChanged project) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("gid", project.project());
            data.put("change", project.change());
            if (project.version() != null) {
                data.put("version", project.version());
            }
            if (project.nextVersion() != null) {
                data.put("next_version", project.nextVersion());
            }
            data.put("updated_on", project.updatedOn());
            return event(CC, cursor, project.project(), "projects", project.project(), data);
        }
        throw new IllegalArgumentException("no feed mapping for " + event.getClass().getSimpleName());
    }

    public static FeedEvent project(long cursor, ProjectDataChanged change, String traceId) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("reason", change.reason());
        data.put("job.token", change.jobToken());
        if (change.version() != null) {
            data.put("version", change.version());
        }
        if (change.tables() != null) {
            data.put("tables", change.tables());
        }
        data.put("updated_on", change.updatedOn());
        if (traceId != null) {
            data.put("trace_id", traceId);
        }
        return event(PROJECT, cursor, change.project(), "data", change.project(), data);
    }

    private static FeedEvent event(String stream, long cursor, String project, String dataType, String dataKey,
            Map<String, Object> data) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", stream);
        out.put("cursor", cursor);
        out.put("action", "UPDATE");
        out.put("data_type", dataType);
        out.put("data_key", dataKey);
        out.put("data", data);
        return new FeedEvent(stream, cursor, project, dataType, dataKey, Json.MAPPER.writeValueAsString(out));
    }
}
