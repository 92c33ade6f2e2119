package io.restorepoint.engine.artifact;

import java.util.ArrayList;
import java.util.List;

/**
 * Where things are in every store, whatever its medium: an artifact is the folder {@code <project>/<version>}
 * ({@code %06d}, so versions sort as names), its files are relative names inside it, and staged files are
 * relative names inside {@code .staging}. A name that would leave its folder ({@code ..}, an absolute path, a
 * backslash, a NUL) or that names nothing is refused here, for every store alike.
 */
public final class ArtifactLayout {

    /** The staging area's folder, next to the projects' folders (a project id never starts with a dot). */
    public static final String STAGING = ".staging";

    private ArtifactLayout() {
    }

    /** The artifact's folder, {@code <project>/<version>}, e.g. {@code p1/000003}. */
    public static String folder(ArtifactId id) {
        return id.project() + "/" + versionName(id.version());
    }

    /** A version as it is named in a store, e.g. {@code 000003}. */
    public static String versionName(int version) {
        return String.format("%06d", version);
    }

    /** A file's name inside its artifact, normalized; refused if it would leave the artifact. */
    public static String file(String path) {
        return relative(path, "file outside the artifact: ");
    }

    /** A staged file's (or folder's) name inside the staging area, normalized; refused if it would leave it. */
    public static String staged(String path) {
        return relative(path, "staged path outside the staging area: ");
    }

    /**
     * A relative path, normalized ({@code .} and empty segments dropped, so {@code a//b/} is {@code a/b}).
     * Absolute paths, {@code ..} segments, backslashes and NUL are refused, as is a path that names nothing.
     */
    static String relative(String path, String problem) {
        if (path == null || path.startsWith("/") || path.contains("\\") || path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(problem + path);
        }
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (segment.equals("..")) {
                throw new IllegalArgumentException(problem + path);
            }
            if (!segment.isEmpty() && !segment.equals(".")) {
                segments.add(segment);
            }
        }
        if (segments.isEmpty()) {
            throw new IllegalArgumentException(problem + path);
        }
        return String.join("/", segments);
    }
}
