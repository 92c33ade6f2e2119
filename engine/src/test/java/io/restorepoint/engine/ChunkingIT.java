package io.restorepoint.engine;

import io.restorepoint.devinfra.Sql;
import io.restorepoint.engine.artifact.ArtifactId;
import io.restorepoint.engine.artifact.FileSystemArtifactStore;
import io.restorepoint.engine.artifact.Manifest;
import io.restorepoint.engine.dump.DumpOptions;
import io.restorepoint.engine.dump.DumpProgress;
import io.restorepoint.engine.dump.DumpRequest;
import io.restorepoint.engine.dump.Dumper;
import io.restorepoint.testsupport.SharedInfra;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Key-range chunking over awkward keys: every row lands in exactly one chunk. */
class ChunkingIT {

    @TempDir
    Path storeDir;

    @Test
    void sparseNegativeCompositeStringAndKeylessTablesDumpCompletely() throws Exception {
        String source = SharedInfra.freshDatabase("chunk_src");
        String seq = Sql.sequence(4);
        Sql.execute(EngineFixtures.database(source),
                "CREATE TABLE sparse (id BIGINT PRIMARY KEY, v INT)",
                "INSERT INTO sparse SELECT n * n * n * 1000 + 1, n FROM " + seq + " t WHERE n < 2000",
                "INSERT INTO sparse VALUES (9223372036854775807, -1)",
                "CREATE TABLE negative (id INT PRIMARY KEY, v INT)",
                "INSERT INTO negative SELECT n - 1500, n FROM " + seq + " t WHERE n < 3000",
                "CREATE TABLE composite (a INT, b VARCHAR(10), v INT, PRIMARY KEY (a, b))",
                "INSERT INTO composite SELECT n DIV 7, CONCAT('k', n MOD 7), n FROM " + seq + " t WHERE n < 2500",
                "CREATE TABLE stringkey (k VARCHAR(20) PRIMARY KEY, v INT)",
                "INSERT INTO stringkey SELECT CONCAT('key-', n), n FROM " + seq + " t WHERE n < 1200",
                "CREATE TABLE keyless (v INT, w VARCHAR(5))",
                "INSERT INTO keyless SELECT n MOD 10, 'x' FROM " + seq + " t WHERE n < 1500",
                "ANALYZE TABLE sparse, negative, composite, stringkey, keyless");

        FileSystemArtifactStore store = new FileSystemArtifactStore(storeDir, 1);
        ArtifactId id = new ArtifactId("chunks", 1);
        DumpOptions options = DumpOptions.defaults().withConnections(3).withChunkRows(200);
        Manifest manifest = new Dumper(EngineFixtures.endpoint().connectionFactory(null), store, options)
                .dump(new DumpRequest(id, "job", source), new DumpProgress()).block(Duration.ofMinutes(2));

        Map<String, Manifest.Table> tables = new java.util.HashMap<>();
        manifest.tables().forEach(t -> tables.put(t.name(), t));
        assertThat(tables.get("sparse").rows()).isEqualTo(2001);
        assertThat(tables.get("negative").rows()).isEqualTo(3000);
        assertThat(tables.get("composite").rows()).isEqualTo(2500);
        assertThat(tables.get("stringkey").rows()).isEqualTo(1200);
        assertThat(tables.get("keyless").rows()).isEqualTo(1500);
        assertThat(tables.get("negative").chunks().size()).as("ranged into many chunks").isGreaterThan(5);
        assertThat(tables.get("composite").chunks().size()).isGreaterThan(5);
        assertThat(tables.get("sparse").chunks().size()).as("skewed keys still split").isGreaterThan(1);
        assertThat(tables.get("stringkey").chunks()).hasSize(1);
        assertThat(tables.get("keyless").chunks()).hasSize(1);
        assertThat(tables.get("negative").chunks().get(0).range()).startsWith("`id` >= -1500 AND `id` < ");
        for (Manifest.Table table : manifest.tables()) {
            assertThat(table.chunks().stream().mapToLong(Manifest.Chunk::rows).sum()).as(table.name()).isEqualTo(table.rows());
            assertThat(table.chunks()).allSatisfy(c -> assertThat(c.rows()).isPositive());
        }

        String target = SharedInfra.freshDatabase("chunk_dst");
        EngineFixtures.replay(store, id, target);
        var factory = EngineFixtures.database(source);
        for (String table : List.of("sparse", "negative", "composite", "stringkey")) {
            List<String> columns = Sql.query(factory, "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '"
                    + source + "' AND TABLE_NAME = '" + table + "'").stream().map(r -> (String) r.values().iterator().next()).toList();
            assertThat(DumperIT.sameRows(factory, source, target, table, columns)).as(table).isEqualTo(tables.get(table).rows());
        }
        assertThat(Sql.scalar(factory, "SELECT COUNT(*) FROM " + target + ".keyless WHERE v = 3")).isEqualTo(150L);
    }
}
