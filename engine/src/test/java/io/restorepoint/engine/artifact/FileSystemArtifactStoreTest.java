package io.restorepoint.engine.artifact;

import io.restorepoint.engine.artifact.crypto.Keyring;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The filesystem store keeps the store contract: an artifact is {@code <root>/<project>/<version>/}, written
 * under {@code .<version>.partial/} until its commit; staged files are under {@code <root>/.staging/}.
 */
class FileSystemArtifactStoreTest extends ArtifactStoreContract {

    @TempDir
    Path root;

    @Override
    protected ArtifactStore store(Keyring keyring) {
        return new FileSystemArtifactStore(root, 1, keyring);
    }

    @Override
    protected List<String> leftovers(ArtifactId id) throws IOException {
        Path project = root.resolve(id.project());
        if (!Files.exists(project)) {
            return List.of();
        }
        String version = String.format("%06d", id.version());
        try (Stream<Path> files = Files.walk(project)) {
            return files.filter(p -> !p.equals(project))
                    .map(p -> project.relativize(p).toString())
                    .filter(p -> p.startsWith(version) || p.startsWith("." + version))
                    .sorted().toList();
        }
    }

    @Override
    protected List<String> stored(ArtifactId id) throws IOException {
        String version = String.format("%06d", id.version());
        TreeSet<String> files = new TreeSet<>();
        for (Path dir : List.of(root.resolve(id.project()).resolve(version), root.resolve(id.project()).resolve("." + version + ".partial"))) {
            files.addAll(filesUnder(dir));
        }
        return List.copyOf(files);
    }

    @Override
    protected byte[] storedBytes(ArtifactId id, String file) throws IOException {
        return Files.readAllBytes(committed(id).resolve(file));
    }

    @Override
    protected void replaceStored(ArtifactId id, String file, byte[] bytes) throws IOException {
        if (bytes == null) {
            Files.delete(committed(id).resolve(file));
        } else {
            Files.write(committed(id).resolve(file), bytes);
        }
    }

    @Override
    protected List<String> staged() throws IOException {
        return filesUnder(root.resolve(".staging"));
    }

    private Path committed(ArtifactId id) {
        return root.resolve(id.project()).resolve(String.format("%06d", id.version()));
    }

    private static List<String> filesUnder(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/')).sorted().toList();
        }
    }
}
