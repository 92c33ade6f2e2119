package io.restorepoint.engine.load;

import io.restorepoint.engine.artifact.ArtifactFormat;
import io.restorepoint.engine.artifact.ArtifactId;
import io.restorepoint.engine.artifact.ArtifactStore;
import io.restorepoint.engine.artifact.Manifest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Checks every file of an artifact against the manifest's size and SHA-256 before anything is loaded. */
public final class ArtifactVerifier {

    private ArtifactVerifier() {
    }

    /** @throws ArtifactCorruptException naming the table of the first file that does not match */
    public static void verify(ArtifactStore store, ArtifactId id, Manifest manifest) throws IOException {
        if (manifest.formatVersion() != ArtifactFormat.VERSION) {
            throw new ArtifactCorruptException("*", "artifact format " + manifest.formatVersion() + " is not supported (this "
                    + "version reads format " + ArtifactFormat.VERSION + ")");
        }
        for (Manifest.Table table : manifest.tables()) {
            check(store, id, table.name(), table.schemaFile(), -1, table.schemaSha256());
            long rows = 0;
            for (Manifest.Chunk chunk : table.chunks()) {
                check(store, id, table.name(), chunk.file(), chunk.bytes(), chunk.sha256());
                rows += chunk.rows();
            }
            if (rows != table.rows()) {
                throw new ArtifactCorruptException(table.name(), "chunks hold " + rows + " rows, the manifest says " + table.rows());
            }
        }
    }

    private static void check(ArtifactStore store, ArtifactId id, String table, String file, long bytes, String sha256)
            throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long size = 0;
        try (InputStream in = store.open(id, file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
                size += n;
            }
        } catch (NoSuchFileException e) {
            throw new ArtifactCorruptException(table, file + " is missing");
        }
        if (bytes >= 0 && size != bytes) {
            throw new ArtifactCorruptException(table, file + " has " + size + " bytes, the manifest says " + bytes);
        }
        if (!HexFormat.of().formatHex(digest.digest()).equals(sha256)) {
            throw new ArtifactCorruptException(table, file + " does not match its SHA-256 checksum");
        }
    }
}
