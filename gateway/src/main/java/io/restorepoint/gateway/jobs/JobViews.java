package io.restorepoint.gateway.jobs;

import io.restorepoint.gateway.control.JobRow;
import io.restorepoint.schemas.kafka.Json;

import java.util.LinkedHashMap;
import java.util.Map;

/** A job as clients see it: the {@code data} of its sync events, plus its token. */
public final class JobViews {

    private JobViews() {
    }

    public static Map<String, Object> view(JobRow job) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("job.token", job.token());
        out.put("project_gid", job.project());
        out.put("job", job.job());
        out.put("status", job.status());
        out.put("info", job.infoJson() == null ? Map.of("total", job.total(), "remaining", job.remaining())
                : Json.MAPPER.readValue(job.infoJson(), Map.class));
        out.put("created_on", job.createdOn());
        out.put("updated_on", job.updatedOn());
        if (job.version() != null) {
            out.put("version", job.version());
        }
        if (job.workerId() != null) {
            out.put("worker_id", job.workerId());
        }
        if (job.failureJson() != null) {
            out.put("failure", Json.MAPPER.readValue(job.failureJson(), Map.class));
        }
        if (job.resultJson() != null) {
            out.put("result", Json.MAPPER.readValue(job.resultJson(), Map.class));
        }
        return out;
    }
}
