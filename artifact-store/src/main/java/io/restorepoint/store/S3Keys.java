package io.restorepoint.store;

import io.restorepoint.engine.artifact.ArtifactId;
import io.restorepoint.engine.artifact.ArtifactLayout;

import java.util.List;

/**
 * The store's layout ({@link ArtifactLayout}) as object keys under one key prefix:
 * {@code <prefix><project>/<version>/<file>} and {@code <prefix>.staging/<path>}.
 */
final class S3Keys {

    private final String prefix;

    /** @param prefix {@code ""}, or e.g. {@code restorepoint/} (leading {@code /} dropped, trailing one added) */
    S3Keys(String prefix) {
        this.prefix = normalize(prefix);
    }

    static String normalize(String prefix) {
        if (prefix == null) {
            return "";
        }
        String p = prefix.strip();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        if (p.isEmpty()) {
            return "";
        }
        if (p.contains("\\") || List.of(p.split("/")).contains("..")) {
            throw new IllegalArgumentException("invalid S3 key prefix: " + prefix);
        }
        return p.endsWith("/") ? p : p + "/";
    }

    /** The key prefix, {@code ""} or ending in {@code /}. */
    String prefix() {
        return prefix;
    }

    /** The key prefix of an artifact's objects, ending in {@code /}. */
    String artifact(ArtifactId id) {
        return prefix + ArtifactLayout.folder(id) + "/";
    }

    /** The key of a file of an artifact. */
    String file(ArtifactId id, String file) {
        return artifact(id) + ArtifactLayout.file(file);
    }

    /** The key of a staged file (or folder, without a trailing {@code /}). */
    String staged(String path) {
        return prefix + ArtifactLayout.STAGING + "/" + ArtifactLayout.staged(path);
    }
}
