package io.restorepoint.schemas.membership;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * One user's membership of one project, as the gateway holds it. Published to a compacted topic
 * keyed by {@link #key()}; a tombstone (null value) removes it. Read by the feeds to decide which
 * events a user may see.
 *
 * @param roles  {@code owner} or {@code member}
 * @param status {@code active} or {@code invited}; only active members see project events
 */
public record ProjectMembership(
        @JsonProperty("schema_version") int schemaVersion,
        @JsonProperty("project_gid") String project,
        @JsonProperty("user_gid") String user,
        @JsonProperty("roles") List<String> roles,
        @JsonProperty("status") String status) {

    public static final String CE_TYPE = "io.restorepoint.membership.v1";

    public ProjectMembership {
        java.util.Objects.requireNonNull(project, "project_gid");
        java.util.Objects.requireNonNull(user, "user_gid");
        java.util.Objects.requireNonNull(status, "status");
    }

    public static String key(String project, String user) {
        return project + "/" + user;
    }

    @JsonIgnore
    public String key() {
        return key(project, user);
    }

    @JsonIgnore
    public boolean isActive() {
        return "active".equals(status);
    }
}
