package io.restorepoint.engine.artifact;

import io.restorepoint.engine.artifact.crypto.Keyring;

import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * An artifact file being written: compresses and encrypts as configured, and counts and hashes the
 * stored bytes on their way out.
 * {@link #bytes()} and {@link #sha256()} are final once the sink is closed.
 */
public final class FileSink extends OutputStream {

    private final OutputStream target;
    private final OutputStream stored;
    private final MessageDigest digest;
    private final Counter counter;
    private String sha256;

    private FileSink(OutputStream file, boolean compressed, int level, Keyring keys, String path) throws IOException {
        this.digest = sha256Digest();
        this.counter = new Counter(file);
        this.stored = keys.encrypting(new DigestOutputStream(counter, digest), path);
        this.target = compressed
                ? new com.github.luben.zstd.ZstdOutputStream(new java.io.BufferedOutputStream(stored, 1 << 16), level)
                : new java.io.BufferedOutputStream(stored, 1 << 16);
    }

    /**
     * A sink over a store's raw file: bytes are compressed (if asked), then encrypted (if the keyring has a
     * current key), then counted and hashed as stored.
     *
     * @param path the file's path inside the artifact (bound to its encryption)
     */
    public static FileSink over(OutputStream file, boolean compressed, int level, Keyring keys, String path)
            throws IOException {
        return new FileSink(file, compressed, level, keys, path);
    }

    static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void write(int b) throws IOException {
        target.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        target.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
        target.flush();
    }

    @Override
    public void close() throws IOException {
        if (sha256 == null) {
            target.close();
            sha256 = HexFormat.of().formatHex(digest.digest());
        }
    }

    /** Stored bytes, once closed. */
    public long bytes() {
        return counter.count;
    }

    /** SHA-256 of the stored bytes, hex, once closed. */
    public String sha256() {
        if (sha256 == null) {
            throw new IllegalStateException("not closed yet");
        }
        return sha256;
    }

    private static final class Counter extends java.io.FilterOutputStream {
        private long count;

        Counter(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
