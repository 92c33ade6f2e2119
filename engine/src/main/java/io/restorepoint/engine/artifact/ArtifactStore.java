package io.restorepoint.engine.artifact;

import io.restorepoint.engine.artifact.crypto.Keyring;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/** Where backup artifacts are kept. Only committed artifacts (with a manifest) are ever visible. */
public interface ArtifactStore {

    /**
     * Starts writing an artifact. Leftovers of an earlier, unfinished attempt at the same id are
     * discarded. Fails if a committed artifact with this id already exists.
     */
    ArtifactWriter begin(ArtifactId id, String jobToken) throws IOException;

    /** The manifest of a committed artifact. */
    Optional<Manifest> manifest(ArtifactId id) throws IOException;

    /** Opens a file of a committed artifact, decrypted if it is encrypted. */
    default InputStream open(ArtifactId id, String file) throws IOException {
        return keyring().decrypting(openStored(id, file), file);
    }

    /** Opens a file of a committed artifact as stored (the bytes its manifest checksum covers). */
    InputStream openStored(ArtifactId id, String file) throws IOException;

    /** The keys this store encrypts new artifacts with and decrypts existing ones with. */
    Keyring keyring();

    /** Removes an artifact, committed or not. Returns whether anything was there. */
    boolean delete(ArtifactId id) throws IOException;

    /**
     * A file in the staging area, where work in progress that is not a backup lives (validated import
     * documents on their way to a worker). {@code path} is relative, e.g. {@code imports/<job>/data.sql.zst}.
     * Encrypted like artifact files when the keyring has a current key.
     */
    OutputStream createStaged(String path) throws IOException;

    InputStream openStaged(String path) throws IOException;

    boolean existsStaged(String path) throws IOException;

    /** Removes a staged file or folder and everything in it. */
    void deleteStaged(String path) throws IOException;
}
