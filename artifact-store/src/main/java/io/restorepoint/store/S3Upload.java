package io.restorepoint.store;

import io.restorepoint.engine.artifact.StoreWriter;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * A file on its way to the bucket: written to a temporary file under {@code <scratch>/.s3-upload/} and
 * hashed, then uploaded in one PutObject with its SHA-256 when closed. If writing it failed, closing it
 * uploads nothing; an {@link #abort()} drops it.
 */
final class S3Upload extends OutputStream implements StoreWriter.Abortable {

    /** The folder of temporary upload files under the scratch directory. */
    static final String UPLOADS = ".s3-upload";

    private final S3Bucket bucket;
    private final String key;
    private final Path temp;
    private final MessageDigest digest = S3Bucket.sha256();
    private final OutputStream out;
    private long length;
    private boolean failed;
    private boolean closed;

    S3Upload(S3Bucket bucket, Path scratch, String key) throws IOException {
        this.bucket = bucket;
        this.key = key;
        Path dir = scratch.resolve(UPLOADS);
        Files.createDirectories(dir);
        this.temp = Files.createTempFile(dir, "upload-", ".part");
        try {
            this.out = new BufferedOutputStream(new DigestOutputStream(Files.newOutputStream(temp), digest), 1 << 16);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("stream to " + bucket.uri(key) + " is closed");
        }
        try {
            out.write(b, off, len);
            length += len;
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    @Override
    public void flush() throws IOException {
        if (!closed) {
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.close();
            if (failed) {
                throw new IOException("not uploading " + bucket.uri(key) + ": writing it failed");
            }
            bucket.put(key, temp, length, Base64.getEncoder().encodeToString(digest.digest()));
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Drops the temporary file; nothing is uploaded. */
    @Override
    public void abort() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.close();
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
