package io.restorepoint.store;

import io.restorepoint.demo.ScrapDemo;
import io.restorepoint.devinfra.DatabaseServer;
import io.restorepoint.devinfra.Sql;
import io.restorepoint.engine.artifact.ArtifactStoreContract;
import io.restorepoint.engine.artifact.ArtifactId;
import io.restorepoint.engine.artifact.Manifest;
import io.restorepoint.engine.artifact.crypto.Keyring;
import io.restorepoint.engine.connect.DatabaseEndpoint;
import io.restorepoint.engine.dump.DumpOptions;
import io.restorepoint.engine.dump.DumpProgress;
import io.restorepoint.engine.dump.DumpRequest;
import io.restorepoint.engine.dump.Dumper;
import io.restorepoint.engine.load.ArtifactVerifier;
import io.restorepoint.engine.load.LoadOptions;
import io.restorepoint.engine.load.LoadProgress;
import io.restorepoint.engine.load.Loader;
import io.restorepoint.testsupport.SharedInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A real backup through the S3 store, encrypted, and its restore by another store instance over the same bucket. */
class S3DatabaseRoundTripIT {

    static final String BUCKET = "rp-roundtrip";

    static LocalS3Server server;
    static URI endpoint;

    @BeforeAll
    static void startServer() {
        server = LocalS3Server.start();
        endpoint = server.endpoint();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    static S3ArtifactStore store(Path scratch, Keyring keyring) {
        return S3ArtifactStore.create(new StoreProperties.S3(BUCKET, "backups/", "us-east-1", endpoint, true, "test", "test"),
                scratch, 1, keyring);
    }

    static DatabaseEndpoint endpoint() {
        DatabaseServer db = SharedInfra.database();
        return new DatabaseEndpoint(db.host(), db.port(), db.user(), db.password());
    }

    static Map<String, Object> checksums(String schema) {
        return Sql.tableChecksums(SharedInfra.database().connectionFactory(null), schema);
    }

    @Test
    void dumpToS3AndRestoreFromIt(@TempDir Path writerScratch, @TempDir Path readerScratch) throws Exception {
        String live = SharedInfra.freshDatabase("s3_live");
        var db = SharedInfra.database().connectionFactory(live);
        ScrapDemo.install(db, 5_000);
        // fresh statistics: chunking plans key ranges from the catalog's row estimates, which lag right after a load
        Sql.execute(db, "ANALYZE TABLE pesaje, auditoria");
        Map<String, Object> before = checksums(live);
        assertThat(before).isNotEmpty();

        String k1 = ArtifactStoreContract.key(11);
        ArtifactId id = new ArtifactId("scrap", 1);
        Manifest manifest;
        try (S3ArtifactStore writer = store(writerScratch, Keyring.of("k1", Map.of("k1", k1)))) {
            writer.s3Client().createBucket(b -> b.bucket(BUCKET));
            manifest = new Dumper(endpoint().connectionFactory(null), writer, DumpOptions.defaults().withConnections(2)
                    .withChunkRows(2000)).dump(new DumpRequest(id, "dump", live), new DumpProgress()).block(Duration.ofMinutes(2));
            assertThat(manifest).isNotNull();
            // the manifest as committed: encrypted, format 2, what the Dumper returned
            assertThat(manifest.encryption()).isEqualTo(new Manifest.Encryption(Keyring.ALGORITHM, "k1"));
            assertThat(manifest.formatVersion()).isEqualTo(io.restorepoint.engine.artifact.ArtifactFormat.ENCRYPTED_VERSION);
            assertThat(writer.manifest(id)).contains(manifest);
            assertThat(manifest.tables().stream().mapToInt(t -> t.chunks().size()).sum()).as("several chunks")
                    .isGreaterThan(manifest.tables().size());
            for (String key : writer.list(writer.artifactPrefix(id))) {
                if (!key.endsWith("/manifest.json")) {
                    byte[] stored = writer.s3Client().getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
                    assertThat(new String(stored, StandardCharsets.ISO_8859_1)).as(key).startsWith("RPE1").doesNotContain("INSERT");
                }
            }
        }

        Sql.execute(db, "DELETE FROM pesaje WHERE ID % 2 = 0");
        assertThat(checksums(live)).isNotEqualTo(before);

        // another instance (another service, say), its own scratch space, the keys after a rotation
        try (S3ArtifactStore reader = store(readerScratch, Keyring.of("k2", Map.of("k1", k1, "k2", ArtifactStoreContract.key(12))))) {
            Manifest read = reader.manifest(id).orElseThrow();
            ArtifactVerifier.verify(reader, id, read);
            Loader loader = new Loader(endpoint().connectionFactory(null), reader, new LoadOptions(2));
            long rows = loader.load(id, read, live + "_shadow", live, new LoadProgress()).block(Duration.ofMinutes(2));
            loader.swap(live, live + "_shadow", live + "_old").block(Duration.ofMinutes(1));
            assertThat(rows).isEqualTo(manifest.totalRows());
        }
        assertThat(checksums(live)).isEqualTo(before);
    }
}
