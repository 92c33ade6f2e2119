package io.restorepoint.engine.artifact;

import java.util.regex.Pattern;

/**
 * Names one backup artifact: a project's backup version.
 *
 * @param project project gid (letters, digits, {@code -} and {@code _}; it becomes a path segment)
 * @param version backup version, &gt;= 0
 */
public record ArtifactId(String project, int version) {

    private static final Pattern PROJECT = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public ArtifactId {
        if (project == null || !PROJECT.matcher(project).matches()) {
            throw new IllegalArgumentException("invalid project id for an artifact: " + project);
        }
        if (version < 0) {
            throw new IllegalArgumentException("invalid backup version: " + version);
        }
    }

    @Override
    public String toString() {
        return project + "@v" + version;
    }
}
