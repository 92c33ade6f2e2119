package io.restorepoint.engine;

import io.restorepoint.demo.ScrapDemo;
import io.restorepoint.devinfra.Sql;
import io.restorepoint.engine.artifact.ArtifactId;
import io.restorepoint.engine.artifact.FileSystemArtifactStore;
import io.restorepoint.engine.artifact.Manifest;
import io.restorepoint.engine.artifact.crypto.ArtifactKeyException;
import io.restorepoint.engine.artifact.crypto.Keyring;
import io.restorepoint.engine.dump.DumpOptions;
import io.restorepoint.engine.dump.DumpProgress;
import io.restorepoint.engine.dump.DumpRequest;
import io.restorepoint.engine.dump.Dumper;
import io.restorepoint.engine.load.LoadOptions;
import io.restorepoint.engine.load.LoadProgress;
import io.restorepoint.engine.load.Loader;
import io.restorepoint.testsupport.SharedInfra;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Encryption at rest: an encrypted backup restores exactly; the wrong key is refused before the database is touched. */
class EncryptedArtifactIT {

    @TempDir
    Path storeDir;

    static String key(int seed) {
        byte[] bytes = new byte[32];
        new Random(seed).nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Test
    void encryptedRoundTripAndWrongKeyRefusal() throws Exception {
        String live = SharedInfra.freshDatabase("encrypted_live");
        var db = SharedInfra.database().connectionFactory(live);
        ScrapDemo.install(db, 5_000);
        Map<String, Object> before = LoaderIT.checksums(live);

        Keyring k1 = Keyring.of("2026-11", Map.of("2026-11", key(1)));
        FileSystemArtifactStore writer = new FileSystemArtifactStore(storeDir, 1, k1);
        ArtifactId id = new ArtifactId("enc", 1);
        new Dumper(EngineFixtures.endpoint().connectionFactory(null), writer, DumpOptions.defaults().withConnections(2)
                .withChunkRows(2000)).dump(new DumpRequest(id, "dump", live), new DumpProgress()).block(Duration.ofMinutes(2));

        // what reached the disk: the manifest names the key (not the key), every other file is ciphertext
        Manifest manifest = writer.manifest(id).orElseThrow();
        assertThat(manifest.encryption()).isEqualTo(new Manifest.Encryption(Keyring.ALGORITHM, "2026-11"));
        Path dir = storeDir.resolve("enc").resolve("000001");
        assertThat(Files.readString(dir.resolve("manifest.json"))).doesNotContain(key(1));
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).filter(f -> !f.endsWith("manifest.json")).toList()) {
                String stored = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                assertThat(stored).as(file.toString()).startsWith("RPE1").doesNotContain("CREATE TABLE").doesNotContain("INSERT");
            }
        }

        // a manifest edited to say "in the clear" (format 1) does not get ciphertext loaded as SQL
        Manifest downgraded = manifest.withEncryption(io.restorepoint.engine.artifact.ArtifactFormat.VERSION, null);
        assertThatThrownBy(() -> io.restorepoint.engine.load.ArtifactVerifier.verify(writer, id, downgraded))
                .isInstanceOf(io.restorepoint.engine.load.ArtifactCorruptException.class)
                .hasMessageContaining("is encrypted, but its manifest says the artifact is not");
        assertThat(manifest.formatVersion()).isEqualTo(io.restorepoint.engine.artifact.ArtifactFormat.ENCRYPTED_VERSION);

        // wrong material under the right id, and a keyring without the id: refused, nothing created or changed
        Sql.execute(db, "DELETE FROM pesaje WHERE ID % 2 = 0");
        Map<String, Object> changed = LoaderIT.checksums(live);
        for (Keyring wrong : new Keyring[] {Keyring.of("2026-11", Map.of("2026-11", key(2))), Keyring.none()}) {
            FileSystemArtifactStore reader = new FileSystemArtifactStore(storeDir, 1, wrong);
            Loader loader = new Loader(EngineFixtures.endpoint().connectionFactory(null), reader, new LoadOptions(2));
            assertThatThrownBy(() -> loader.load(id, manifest, live + "_shadow", live, new LoadProgress()).block(Duration.ofMinutes(1)))
                    .satisfies(e -> assertThat(keyFailure(e)).as("an ArtifactKeyException in " + e)
                            .isNotNull().hasMessageContaining("'2026-11'"));
            assertThat(Sql.query(SharedInfra.database().connectionFactory(null), "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA "
                    + "WHERE SCHEMA_NAME = '" + live + "_shadow'")).as("no helper schema was created").isEmpty();
            assertThat(LoaderIT.checksums(live)).isEqualTo(changed);
        }

        // after a key rotation the old key stays in the keyring: the backup restores exactly
        Keyring rotated = Keyring.of("2027-01", Map.of("2026-11", key(1), "2027-01", key(3)));
        FileSystemArtifactStore reader = new FileSystemArtifactStore(storeDir, 1, rotated);
        Loader loader = new Loader(EngineFixtures.endpoint().connectionFactory(null), reader, new LoadOptions(2));
        long rows = loader.load(id, manifest, live + "_shadow", live, new LoadProgress()).block(Duration.ofMinutes(2));
        loader.swap(live, live + "_shadow", live + "_old").block(Duration.ofMinutes(1));
        assertThat(rows).isEqualTo(manifest.totalRows());
        assertThat(LoaderIT.checksums(live)).isEqualTo(before);
    }

    static ArtifactKeyException keyFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ArtifactKeyException key) {
                return key;
            }
        }
        return null;
    }
}
