package io.restorepoint.engine;

import io.restorepoint.demo.ScrapDemo;
import io.restorepoint.devinfra.Sql;
import io.restorepoint.engine.artifact.ArtifactId;
import io.restorepoint.engine.artifact.FileSystemArtifactStore;
import io.restorepoint.engine.artifact.Manifest;
import io.restorepoint.engine.dump.DumpOptions;
import io.restorepoint.engine.dump.DumpProgress;
import io.restorepoint.engine.dump.DumpRequest;
import io.restorepoint.engine.dump.Dumper;
import io.restorepoint.engine.load.ArtifactCorruptException;
import io.restorepoint.engine.load.LoadOptions;
import io.restorepoint.engine.load.LoadProgress;
import io.restorepoint.engine.load.Loader;
import io.restorepoint.testsupport.SharedInfra;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Load and swap: a restored database equals its backup, atomically; a corrupt artifact changes nothing. */
class LoaderIT {

    @TempDir
    Path storeDir;

    @Test
    void restoreRoundTripBringsBackTheBackupExactlyWithForeignKeysIntact() throws Exception {
        String live = SharedInfra.freshDatabase("restore_live");
        var db = SharedInfra.database().connectionFactory(live);
        ScrapDemo.install(db, 20_000);
        Sql.execute(db, "UPDATE usuarios SET nombre = 'Café ? ¿qué?' WHERE id = 3");
        Map<String, Object> before = checksums(live);

        FileSystemArtifactStore store = new FileSystemArtifactStore(storeDir, 1);
        ArtifactId id = new ArtifactId("restore", 1);
        Manifest manifest = dumper(store).dump(new DumpRequest(id, "dump", live), new DumpProgress()).block(Duration.ofMinutes(2));

        // the live data moves on: rows changed, deleted, added; a table appears
        Sql.execute(db, "SET SESSION foreign_key_checks = 0", "DELETE FROM pesaje WHERE ID % 3 = 0",
                "UPDATE areas SET AREA = CONCAT(AREA, ' (old)')", "INSERT INTO turnos (TURNO, hora_inicio, hora_fin) VALUES ('Extra', '01:00', '02:00')",
                "CREATE TABLE scratch_notes (id INT PRIMARY KEY)", "INSERT INTO scratch_notes VALUES (1)");
        assertThat(checksums(live)).isNotEqualTo(before);

        Loader loader = new Loader(EngineFixtures.endpoint().connectionFactory(null), store, new LoadOptions(2));
        LoadProgress progress = new LoadProgress();
        long rows = loader.load(id, manifest, live + "_shadow", live, progress).block(Duration.ofMinutes(2));
        assertThat(rows).isEqualTo(manifest.totalRows());
        assertThat(progress.snapshot().done()).isEqualTo(manifest.totalRows());
        assertThat(checksums(live)).as("nothing visible changes while loading").isNotEqualTo(before);

        loader.swap(live, live + "_shadow", live + "_old").block(Duration.ofMinutes(1));

        assertThat(checksums(live)).as("the database equals the backup, table by table").isEqualTo(before);
        assertThat(Sql.scalar(db, "SELECT nombre FROM usuarios WHERE id = 3")).isEqualTo("Café ? ¿qué?");
        assertThat(Sql.query(SharedInfra.database().connectionFactory(null), "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA "
                + "WHERE SCHEMA_NAME IN ('" + live + "_shadow', '" + live + "_old')")).as("helper schemas are gone").isEmpty();
        // foreign keys point at the live tables and are enforced
        List<Map<String, Object>> fks = Sql.query(db, "SELECT DISTINCT UNIQUE_CONSTRAINT_SCHEMA FROM information_schema.REFERENTIAL_CONSTRAINTS "
                + "WHERE CONSTRAINT_SCHEMA = '" + live + "'");
        assertThat(fks).extracting(r -> r.values().iterator().next()).containsExactly(live);
        assertThatThrownBy(() -> Sql.execute(db, "INSERT INTO lineas (LINEA, area_id) VALUES ('L-ghost', 999999)"))
                .hasMessageContaining("foreign key");
    }

    @Test
    void aCorruptArtifactIsRefusedBeforeAnythingIsCreated() throws Exception {
        String live = SharedInfra.freshDatabase("corrupt_live");
        var db = SharedInfra.database().connectionFactory(live);
        ScrapDemo.install(db, 2_000);
        FileSystemArtifactStore store = new FileSystemArtifactStore(storeDir, 1);
        ArtifactId id = new ArtifactId("corrupt", 1);
        Manifest manifest = dumper(store).dump(new DumpRequest(id, "dump", live), new DumpProgress()).block(Duration.ofMinutes(2));
        Map<String, Object> before = checksums(live);

        Manifest.Table pesaje = manifest.tables().stream().filter(t -> t.name().equals("pesaje")).findFirst().orElseThrow();
        Path chunk = storeDir.resolve("corrupt").resolve("000001").resolve(pesaje.chunks().get(0).file());
        try (RandomAccessFile file = new RandomAccessFile(chunk.toFile(), "rw")) {
            file.seek(file.length() / 2);
            int b = file.read();
            file.seek(file.length() / 2);
            file.write(b ^ 0x01);
        }

        Loader loader = new Loader(EngineFixtures.endpoint().connectionFactory(null), store, new LoadOptions(2));
        assertThatThrownBy(() -> loader.load(id, manifest, live + "_shadow", live, new LoadProgress()).block(Duration.ofMinutes(1)))
                .isInstanceOf(ArtifactCorruptException.class)
                .hasMessageContaining("table pesaje").hasMessageContaining("checksum");
        assertThat(checksums(live)).isEqualTo(before);
        assertThat(Sql.query(SharedInfra.database().connectionFactory(null), "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA "
                + "WHERE SCHEMA_NAME = '" + live + "_shadow'")).isEmpty();
    }

    private Dumper dumper(FileSystemArtifactStore store) {
        return new Dumper(EngineFixtures.endpoint().connectionFactory(null), store, DumpOptions.defaults().withConnections(2).withChunkRows(3000));
    }

    /** CHECKSUM TABLE of every table of a schema, by name. */
    static Map<String, Object> checksums(String schema) {
        return Sql.tableChecksums(SharedInfra.database().connectionFactory(null), schema);
    }
}
