package io.restorepoint.engine.artifact.crypto;

import java.io.IOException;

/**
 * An encrypted artifact file cannot be read with the keys at hand: the key it names is not configured,
 * or the configured key of that id is not the one it was written with (authentication fails).
 */
public final class ArtifactKeyException extends IOException {

    public ArtifactKeyException(String message) {
        super(message);
    }

    public ArtifactKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
