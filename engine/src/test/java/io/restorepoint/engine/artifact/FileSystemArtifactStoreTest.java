package io.restorepoint.engine.artifact;

import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The filesystem store keeps the writer contract. */
class FileSystemArtifactStoreTest extends ArtifactWriterContract {

    @TempDir
    Path root;

    @Override
    protected ArtifactStore store() {
        return new FileSystemArtifactStore(root, 1);
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
}
