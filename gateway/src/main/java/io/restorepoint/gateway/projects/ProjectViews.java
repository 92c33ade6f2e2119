package io.restorepoint.gateway.projects;

import io.restorepoint.gateway.control.BackupVersion;
import io.restorepoint.gateway.control.Project;
import io.restorepoint.gateway.control.ProjectStore;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code data} part of project responses: {@code {"cc.projects": {<gid>: {...}}}} with the backups
 * list ({@code versions[]} newest first, {@code next_version}) as in the Unicat reference. Each version
 * carries a {@code status}: {@code pending} while its job runs, {@code valid} once the artifact is
 * committed; versions whose job failed are not listed.
 */
@Component
public class ProjectViews {

    private final ProjectStore projects;

    public ProjectViews(ProjectStore projects) {
        this.projects = projects;
    }

    public Mono<Map<String, Object>> ccProjects(String gid) {
        return projects.find(gid).zipWith(projects.listedVersions(gid).collectList())
                .map(t -> Map.of("cc.projects", Map.of(gid, view(t.getT1(), t.getT2()))));
    }

    static Map<String, Object> view(Project project, List<BackupVersion> versions) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("gid", project.gid());
        view.put("name", project.name());
        view.put("owner", project.owner());
        view.put("status", project.status());
        view.put("backups", Map.of(
                "versions", versions.stream().map(ProjectViews::version).toList(),
                "next_version", project.nextVersion()));
        return view;
    }

    private static Map<String, Object> version(BackupVersion v) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", v.version());
        out.put("name", v.name());
        out.put("created_by", v.createdBy());
        out.put("timestamp", v.createdOn());
        out.put("status", v.status());
        if (v.bytes() != null) {
            out.put("size", v.bytes());
        }
        if (v.skippedJson() != null) {
            // not the whole database: what the backup left out, as its job reported it
            out.put("skipped", io.restorepoint.schemas.kafka.Json.MAPPER.readValue(v.skippedJson(), java.util.List.class));
        }
        if (v.verifyStatus() != null) {
            out.put("verified", Map.of("status", v.verifyStatus(), "timestamp", v.verifiedOn()));
        }
        return out;
    }
}
