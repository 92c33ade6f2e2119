package io.restorepoint.engine.artifact;

import io.restorepoint.engine.artifact.crypto.Keyring;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Artifacts as directories: {@code <root>/<project>/<version>/} ({@link ArtifactLayout}). An artifact is
 * written under a hidden partial directory and renamed into place, manifest included, in one atomic move, so
 * a crash at any moment leaves either a complete artifact or none. The writer's rules are {@link StoreWriter}'s;
 * this class holds only the filesystem's part.
 */
public final class FileSystemArtifactStore implements ArtifactStore {

    private final Path root;
    private final int compressionLevel;
    private final Keyring keyring;

    public FileSystemArtifactStore(Path root, int compressionLevel) {
        this(root, compressionLevel, Keyring.none());
    }

    /** A store that encrypts new artifacts with the keyring's current key, if it has one. */
    public FileSystemArtifactStore(Path root, int compressionLevel, Keyring keyring) {
        this.root = root.toAbsolutePath();
        this.compressionLevel = compressionLevel;
        this.keyring = keyring;
    }

    @Override
    public Keyring keyring() {
        return keyring;
    }

    public Path root() {
        return root;
    }

    Path finalDir(ArtifactId id) {
        return root.resolve(ArtifactLayout.folder(id));
    }

    private Path partialDir(ArtifactId id) {
        return root.resolve(id.project()).resolve("." + ArtifactLayout.versionName(id.version()) + ".partial");
    }

    @Override
    public ArtifactWriter begin(ArtifactId id, String jobToken) throws IOException {
        Path target = finalDir(id);
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "artifact " + id + " is already committed");
        }
        Path partial = partialDir(id);
        deleteTree(partial);
        Files.createDirectories(partial);
        return new Writer(id, partial, target);
    }

    @Override
    public Optional<Manifest> manifest(ArtifactId id) throws IOException {
        Path file = finalDir(id).resolve(ArtifactFormat.MANIFEST);
        try (InputStream in = Files.newInputStream(file)) {
            return Optional.of(ArtifactFormat.JSON.readValue(in, Manifest.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public InputStream openStored(ArtifactId id, String file) throws IOException {
        return Files.newInputStream(finalDir(id).resolve(ArtifactLayout.file(file)));
    }

    @Override
    public boolean delete(ArtifactId id) throws IOException {
        boolean existed = Files.exists(finalDir(id));
        deleteTree(partialDir(id));
        deleteTree(finalDir(id));
        return existed;
    }

    @Override
    public OutputStream createStaged(String path) throws IOException {
        Path file = staged(path);
        Files.createDirectories(file.getParent());
        return keyring.encrypting(Files.newOutputStream(file), path);
    }

    @Override
    public InputStream openStaged(String path) throws IOException {
        return keyring.decrypting(Files.newInputStream(staged(path)), path);
    }

    @Override
    public boolean existsStaged(String path) {
        return Files.exists(staged(path));
    }

    @Override
    public void deleteStaged(String path) throws IOException {
        deleteTree(staged(path));
    }

    /** Staged files live under {@code <root>/.staging/}, never outside it. */
    private Path staged(String path) {
        return root.resolve(ArtifactLayout.STAGING).resolve(ArtifactLayout.staged(path));
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private final class Writer extends StoreWriter {
        private final Path partial;
        private final Path target;

        Writer(ArtifactId id, Path partial, Path target) {
            super(id, compressionLevel, keyring);
            this.partial = partial;
            this.target = target;
        }

        @Override
        protected OutputStream openFile(String path) throws IOException {
            Path file = partial.resolve(ArtifactLayout.file(path));
            Files.createDirectories(file.getParent());
            return Files.newOutputStream(file);
        }

        @Override
        protected void publish(Manifest described) throws IOException {
            try (OutputStream out = Files.newOutputStream(partial.resolve(ArtifactFormat.MANIFEST))) {
                ArtifactFormat.JSON.writeValue(out, described);
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        }

        @Override
        protected void discardFiles() throws IOException {
            deleteTree(partial);
        }
    }
}
