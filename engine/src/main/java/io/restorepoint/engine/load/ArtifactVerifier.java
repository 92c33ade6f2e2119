package io.restorepoint.engine.load;

import io.restorepoint.engine.artifact.ArtifactFormat;
import io.restorepoint.engine.artifact.ArtifactId;
import io.restorepoint.engine.artifact.ArtifactStore;
import io.restorepoint.engine.artifact.Manifest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Checks every file of an artifact against the manifest's size and SHA-256, and authenticates every
 * encrypted segment, before anything is loaded.
 */
public final class ArtifactVerifier {

    private ArtifactVerifier() {
    }

    /**
     * @throws ArtifactCorruptException naming the table of the first file that does not match
     * @throws io.restorepoint.engine.artifact.crypto.ArtifactKeyException when the artifact is encrypted with a
     *         key the store's keyring lacks, or with different key material under the same id
     */
    public static void verify(ArtifactStore store, ArtifactId id, Manifest manifest) throws IOException {
        store.keyring().checkCanRead(manifest);
        boolean encrypted = manifest.encryption() != null;
        int expected = encrypted ? ArtifactFormat.ENCRYPTED_VERSION : ArtifactFormat.VERSION;
        int tablesOnly = encrypted ? ArtifactFormat.TABLES_ONLY_ENCRYPTED_VERSION : ArtifactFormat.TABLES_ONLY_VERSION;
        if (manifest.formatVersion() != expected && manifest.formatVersion() != tablesOnly) {
            throw new ArtifactCorruptException("*", "artifact format " + manifest.formatVersion() + " is not supported (this "
                    + "version reads formats " + ArtifactFormat.TABLES_ONLY_VERSION + " and " + ArtifactFormat.VERSION + ", and "
                    + ArtifactFormat.TABLES_ONLY_ENCRYPTED_VERSION + " and " + ArtifactFormat.ENCRYPTED_VERSION
                    + " when the manifest records an encryption)");
        }
        if ((manifest.formatVersion() == expected) != manifest.capturesObjects()) {
            throw new ArtifactCorruptException("*", "a format " + manifest.formatVersion() + " manifest "
                    + (manifest.capturesObjects() ? "lists schema objects, which that format has not" : "lists no schema objects"));
        }
        if (manifest.objects() != null) {
            for (Manifest.ObjectEntry object : manifest.objects()) {
                check(store, id, object.kind() + " " + object.name(), object.file(), -1, object.sha256(), encrypted);
            }
        }
        for (Manifest.Table table : manifest.tables()) {
            check(store, id, table.name(), table.schemaFile(), -1, table.schemaSha256(), encrypted);
            long rows = 0;
            for (Manifest.Chunk chunk : table.chunks()) {
                check(store, id, table.name(), chunk.file(), chunk.bytes(), chunk.sha256(), encrypted);
                rows += chunk.rows();
            }
            if (rows != table.rows()) {
                throw new ArtifactCorruptException(table.name(), "chunks hold " + rows + " rows, the manifest says " + table.rows());
            }
        }
    }

    /** Hashes and counts what is read through it. */
    private static final class CountingDigest extends DigestInputStream {
        long count;

        CountingDigest(InputStream in, MessageDigest digest) {
            super(in, digest);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }

    private static void check(ArtifactStore store, ArtifactId id, String table, String file, long bytes, String sha256,
            boolean encrypted) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        CountingDigest stored;
        try (InputStream raw = store.openStored(id, file)) {
            stored = new CountingDigest(raw, digest);
            // Reading the plaintext reads every stored byte once: it is hashed on the way and, when the
            // file is encrypted, every segment is authenticated with the configured key.
            try (InputStream plain = store.keyring().decrypting(stored, file, encrypted)) {
                plain.transferTo(OutputStream.nullOutputStream());
            }
        } catch (NoSuchFileException e) {
            throw new ArtifactCorruptException(table, file + " is missing");
        } catch (io.restorepoint.engine.artifact.crypto.Keyring.EncryptionMismatchException e) {
            throw new ArtifactCorruptException(table, e.getMessage());
        }
        long size = stored.count;
        if (bytes >= 0 && size != bytes) {
            throw new ArtifactCorruptException(table, file + " has " + size + " bytes, the manifest says " + bytes);
        }
        if (!HexFormat.of().formatHex(digest.digest()).equals(sha256)) {
            throw new ArtifactCorruptException(table, file + " does not match its SHA-256 checksum");
        }
    }
}
