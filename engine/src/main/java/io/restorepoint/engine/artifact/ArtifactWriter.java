package io.restorepoint.engine.artifact;

import java.io.IOException;

/** Writes the files of one artifact; nothing is visible until {@link #commit(Manifest)}. */
public interface ArtifactWriter extends AutoCloseable {

    /** A new file, stored as written; its size and SHA-256 are known once it is closed. */
    FileSink create(String path) throws IOException;

    /** A new file, zstd-compressed; size and SHA-256 are of the stored (compressed) bytes. */
    FileSink createCompressed(String path) throws IOException;

    /** Writes the manifest and makes the artifact visible, atomically. */
    void commit(Manifest manifest) throws IOException;

    /** Discards everything written (no-op after a commit). */
    @Override
    void close() throws IOException;
}
