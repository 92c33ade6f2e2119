package io.restorepoint.engine.artifact;

import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * An artifact file being written: counts and hashes the stored bytes on their way out.
 * {@link #bytes()} and {@link #sha256()} are final once the sink is closed.
 */
public final class FileSink extends OutputStream {

    private final OutputStream target;
    private final OutputStream stored;
    private final MessageDigest digest;
    private final Counter counter;
    private String sha256;

    FileSink(OutputStream file, boolean compressed, int level) throws IOException {
        this.digest = sha256Digest();
        this.counter = new Counter(file);
        this.stored = new DigestOutputStream(counter, digest);
        this.target = compressed
                ? new com.github.luben.zstd.ZstdOutputStream(new java.io.BufferedOutputStream(stored, 1 << 16), level)
                : new java.io.BufferedOutputStream(stored, 1 << 16);
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
