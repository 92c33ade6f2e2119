package io.restorepoint.engine.artifact;

import io.restorepoint.engine.artifact.crypto.Keyring;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The rules every store's {@link ArtifactWriter} keeps, whatever its medium; a store supplies only how a
 * file is opened, how the manifest makes the artifact visible and how everything written is removed.
 * <ul>
 *   <li>A manifest is committed only under the id the writer was opened for, only once, and only when
 *       every file is closed (a file still being written is not part of a complete artifact).</li>
 *   <li><b>Discard stops every writer first, then removes.</b> Files are written by many threads (one per
 *       dump connection) while a cancel or a failure may discard the artifact from another. {@link #close()}
 *       therefore refuses every write, open and close from that moment on, waits for the ones under way to
 *       return, aborts the files still open (an abort never publishes a file: an S3 upload is not sent) and
 *       only then removes what was written. So nothing written by a stopped job is ever left behind, nor
 *       created after the discard returns.</li>
 * </ul>
 * Writes pass the guard below compression and encryption, in blocks of up to 64 KiB, so it costs one
 * uncontended lock per block.
 */
public abstract class StoreWriter implements ArtifactWriter {

    /** A raw file of the medium that can be dropped without being published. */
    public interface Abortable {
        /** Releases the file without making it part of the artifact; it is removed with the rest. */
        void abort() throws IOException;
    }

    private enum State { OPEN, COMMITTED, DISCARDED }

    private final ArtifactId id;
    private final int compressionLevel;
    private final Keyring keyring;
    private final Object lock = new Object();
    private final Set<Guarded> open = new HashSet<>();
    private State state = State.OPEN;
    private int busy;
    private boolean committing;

    protected StoreWriter(ArtifactId id, int compressionLevel, Keyring keyring) {
        this.id = id;
        this.compressionLevel = compressionLevel;
        this.keyring = keyring;
    }

    /** Opens a new raw file of the artifact; closing it stores it (a stream may be {@link Abortable}). */
    protected abstract OutputStream openFile(String path) throws IOException;

    /** Writes the manifest (as the keyring describes it) and makes the artifact visible, atomically. */
    protected abstract void publish(Manifest described) throws IOException;

    /** Removes everything written for this artifact; no writer runs any more when this is called. */
    protected abstract void discardFiles() throws IOException;

    @Override
    public final FileSink create(String path) throws IOException {
        return FileSink.over(guarded(path), false, 0, keyring, path);
    }

    @Override
    public final FileSink createCompressed(String path) throws IOException {
        return FileSink.over(guarded(path), true, compressionLevel, keyring, path);
    }

    private OutputStream guarded(String path) throws IOException {
        enter(path);
        try {
            Guarded file = new Guarded(path, openFile(path));
            synchronized (lock) {
                open.add(file);
            }
            return file;
        } finally {
            exit();
        }
    }

    @Override
    public final void commit(Manifest manifest) throws IOException {
        if (!manifest.project().equals(id.project()) || manifest.version() != id.version()) {
            throw new IllegalArgumentException("manifest of " + manifest.project() + "@v" + manifest.version()
                    + " committed as " + id);
        }
        synchronized (lock) {
            if (state != State.OPEN || committing) {
                throw new IllegalStateException("artifact " + id + " is already " + (state == State.OPEN ? "being committed"
                        : state.name().toLowerCase()));
            }
            if (!open.isEmpty()) {
                throw new IllegalStateException("artifact " + id + " still has files being written: "
                        + open.stream().map(g -> g.path).sorted().toList());
            }
            committing = true;
        }
        try {
            publish(keyring.describe(manifest));
            synchronized (lock) {
                state = State.COMMITTED;
            }
        } finally {
            synchronized (lock) {
                committing = false;
                lock.notifyAll();
            }
        }
    }

    /** Discards everything written (no-op after a commit): stops every writer first, then removes. */
    @Override
    public final void close() throws IOException {
        List<Guarded> abandoned;
        synchronized (lock) {
            boolean interrupted = false;
            while (committing) {
                interrupted |= waitQuietly();
            }
            if (state != State.OPEN) {
                restore(interrupted);
                return;
            }
            state = State.DISCARDED;
            while (busy > 0) {
                interrupted |= waitQuietly();
            }
            restore(interrupted);
            abandoned = new ArrayList<>(open);
            open.clear();
        }
        IOException failure = null;
        for (Guarded file : abandoned) {
            try {
                file.abort();
            } catch (IOException e) {
                failure = e;
            }
        }
        discardFiles();
        if (failure != null) {
            throw failure;
        }
    }

    private boolean waitQuietly() {
        try {
            lock.wait();
            return false;
        } catch (InterruptedException e) {
            // keep waiting: leaving before the writers stop is what leaves files behind
            return true;
        }
    }

    private static void restore(boolean interrupted) {
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void enter(String path) throws IOException {
        synchronized (lock) {
            if (state != State.OPEN) {
                throw new IOException("artifact " + id + " is " + state.name().toLowerCase() + ": not writing " + path);
            }
            busy++;
        }
    }

    private void exit() {
        synchronized (lock) {
            if (--busy == 0) {
                lock.notifyAll();
            }
        }
    }

    /** A raw file behind the guard: every call runs only while the artifact is open. */
    private final class Guarded extends OutputStream {
        private final String path;
        private final OutputStream out;

        Guarded(String path, OutputStream out) {
            this.path = path;
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            enter(path);
            try {
                out.write(b, off, len);
            } finally {
                exit();
            }
        }

        @Override
        public void flush() throws IOException {
            enter(path);
            try {
                out.flush();
            } finally {
                exit();
            }
        }

        @Override
        public void close() throws IOException {
            synchronized (lock) {
                if (!open.contains(this)) {
                    return; // closed already, or aborted by a discard
                }
            }
            enter(path);
            try {
                out.close();
            } finally {
                synchronized (lock) {
                    open.remove(this);
                }
                exit();
            }
        }

        void abort() throws IOException {
            if (out instanceof Abortable abortable) {
                abortable.abort();
            } else {
                out.close();
            }
        }
    }
}
