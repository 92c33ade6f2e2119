package io.restorepoint.engine;

import io.restorepoint.devinfra.Sql;
import io.restorepoint.engine.artifact.ArtifactId;
import io.restorepoint.engine.artifact.ArtifactStore;
import io.restorepoint.engine.artifact.ArtifactWriter;
import io.restorepoint.engine.artifact.FileSink;
import io.restorepoint.engine.artifact.FileSystemArtifactStore;
import io.restorepoint.engine.artifact.Manifest;
import io.restorepoint.engine.dump.DumpOptions;
import io.restorepoint.engine.dump.DumpProgress;
import io.restorepoint.engine.dump.DumpRequest;
import io.restorepoint.engine.dump.Dumper;
import io.restorepoint.testsupport.SharedInfra;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DumperIT {

    @TempDir
    Path storeDir;

    private static final List<String> MATRIX_COLUMNS = List.of("id", "d", "dt", "ts", "dd", "tm", "b", "bin", "blb",
            "j", "e", "st", "s", "n", "txt", "f", "fl", "g");

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} connection(s)")
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 3})
    void dumpRoundTripsEveryValueExactlyAndRecordsChecksums(int connections) throws Exception {
        String source = SharedInfra.freshDatabase("dump_src");
        Sql.execute(EngineFixtures.database(source),
                "SET SESSION time_zone='+00:00'",
                """
                CREATE TABLE matrix (
                  id INT PRIMARY KEY,
                  d DECIMAL(30,10), dt DATETIME(6), ts TIMESTAMP(3) NULL, dd DATE, tm TIME(6), b BIT(12),
                  bin VARBINARY(20), blb BLOB, j JSON, e ENUM('a','b'), st SET('x','y','z'),
                  s VARCHAR(100) CHARACTER SET utf8mb4, n VARCHAR(10) NULL, txt LONGTEXT, f DOUBLE, fl FLOAT,
                  g INT GENERATED ALWAYS AS (id * 2) VIRTUAL)""",
                """
                INSERT INTO matrix (id,d,dt,ts,dd,tm,b,bin,blb,j,e,st,s,n,txt,f,fl) VALUES
                 (1, 12345678901234567890.0123456789, '2024-03-15 14:30:00.123456', '2024-03-15 14:30:00.123',
                  '1000-01-01', '-838:59:59.000000', b'101010101010', 0x00FF0A0D5C27221A, 0x000102, '{"a": [1, 2.5, "ü"]}',
                  'b', 'x,z', 'ñandú 🐧 \\\\ \\' " ; \\n end', '', REPEAT('long text ', 20000), 0.1, 1.5),
                 (2, -0.0000000001, '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999', '9999-12-31',
                  '838:59:59', b'0', X'', '', 'null', 'a', '', '', NULL, '', -1.7976931348623157E308, -3.4e38),
                 (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'x', NULL, NULL, NULL, NULL)""",
                """
                CREATE TABLE edges (
                  id BIGINT UNSIGNED PRIMARY KEY, ti TINYINT, tu TINYINT UNSIGNED, si SMALLINT, mi MEDIUMINT UNSIGNED,
                  bi BIGINT, yr YEAR, ch CHAR(5), bn BINARY(4), tb TINYBLOB, mt MEDIUMTEXT,
                  l1 VARCHAR(20) CHARACTER SET latin1, ts6 TIMESTAMP(6) NULL, dt0 DATETIME, t3 TIME(3),
                  dec0 DECIMAL(65,0), dec30 DECIMAL(65,30), b64 BIT(64),
                  st_gen INT AS (si * 2) STORED)""",
                """
                INSERT INTO edges (id,ti,tu,si,mi,bi,yr,ch,bn,tb,mt,l1,ts6,dt0,t3,dec0,dec30,b64) VALUES
                 (18446744073709551615, -128, 255, -32768, 16777215, -9223372036854775808, 2155, 'ab', 0x61000000, 0x00,
                  REPEAT('ñ', 600000), 'café', '1970-01-01 00:00:01.000001', '1000-01-01 00:00:00', '-00:00:00.001',
                  99999999999999999999999999999999999999999999999999999999999999999, -0.000000000000000000000000000001,
                  b'1111111111111111111111111111111111111111111111111111111111111111'),
                 (0, 127, 0, 32767, 0, 9223372036854775807, 1901, '', 0x00000000, '', '', '', '2038-01-19 03:14:07.999999',
                  '9999-12-31 23:59:59', '838:59:59.999', 0, 0, 0)""",
                "CREATE TABLE nokey (a VARCHAR(5), b INT)",
                "INSERT INTO nokey VALUES ('x', 1), ('x', 1), (NULL, NULL)",
                "CREATE TABLE `odd name; drop` (`we``ird` INT PRIMARY KEY)",
                "INSERT INTO `odd name; drop` VALUES (7)",
                "CREATE TABLE empty_one (id INT PRIMARY KEY)");

        FileSystemArtifactStore store = new FileSystemArtifactStore(storeDir, 3);
        ArtifactId id = new ArtifactId("p1", 1);
        DumpOptions smallStatements = DumpOptions.defaults().withRowsPerStatement(2).withConnections(connections);
        DumpProgress progress = new DumpProgress();
        Manifest manifest = new Dumper(EngineFixtures.endpoint().connectionFactory(null), store, smallStatements)
                .dump(new DumpRequest(id, "job-1", source), progress)
                .block(Duration.ofMinutes(1));

        assertThat(manifest.tables()).extracting(Manifest.Table::name)
                .containsExactly("edges", "empty_one", "matrix", "nokey", "odd name; drop");
        assertThat(manifest.tables()).extracting(Manifest.Table::rows).containsExactly(2L, 0L, 3L, 3L, 1L);
        assertThat(manifest.totalRows()).isEqualTo(9);
        assertThat(manifest.server().flavor()).isIn("mariadb", "mysql");
        assertThat(manifest.consistency().connections()).isEqualTo(connections);
        assertThat(manifest.consistency().method())
                .isEqualTo(connections == 1 ? "single-transaction" : "database-locked-snapshot");
        if (connections > 1) {
            // the shared test server keeps no binlog, so the lock-free default takes the database's own table lock
            assertThat(manifest.consistency().note()).contains("no binlog position");
            assertThat(manifest.consistency().lockMillis()).isNotNull();
        }
        Manifest.Table matrix = manifest.tables().get(2);
        assertThat(matrix.columns()).filteredOn(Manifest.Column::generated).extracting(Manifest.Column::name)
                .containsExactly("g");
        assertThat(matrix.primaryKey()).containsExactly("id");
        assertThat(progress.snapshot().remaining()).isZero();
        assertThat(progress.snapshot().done()).isEqualTo(9);

        for (Manifest.Table table : manifest.tables()) {
            for (Manifest.Chunk chunk : table.chunks()) {
                try (InputStream in = store.open(id, chunk.file())) {
                    byte[] stored = in.readAllBytes();
                    assertThat(stored.length).isEqualTo(chunk.bytes());
                    assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(stored)))
                            .isEqualTo(chunk.sha256());
                }
            }
        }
        assertThat(store.manifest(id)).contains(manifest);

        String target = SharedInfra.freshDatabase("dump_dst");
        EngineFixtures.replay(store, id, target);

        var factory = EngineFixtures.database(source);
        assertThat(sameRows(factory, source, target, "matrix", MATRIX_COLUMNS)).isEqualTo(3);
        assertThat(sameRows(factory, source, target, "edges", EDGE_COLUMNS)).isEqualTo(2);
        assertThat(((Number) Sql.scalar(factory, "SELECT COUNT(*) FROM " + target + ".nokey WHERE a = 'x' AND b = 1"))
                .longValue()).isEqualTo(2);
        assertThat(((Number) Sql.scalar(factory, "SELECT `we``ird` FROM " + target + ".`odd name; drop`"))
                .intValue()).isEqualTo(7);
    }

    private static final List<String> EDGE_COLUMNS = List.of("id", "ti", "tu", "si", "mi", "bi", "yr", "ch", "bn", "tb",
            "mt", "l1", "ts6", "dt0", "t3", "dec0", "dec30", "b64", "st_gen");

    /** Rows of {@code table} equal, column by column (NULL-safe), in both databases. */
    static long sameRows(io.r2dbc.spi.ConnectionFactory factory, String source, String target, String table,
            List<String> columns) {
        String joined = columns.stream().map(c -> "a." + c + " <=> b." + c).collect(Collectors.joining(" AND "));
        return ((Number) Sql.scalar(factory, "SELECT COUNT(*) FROM " + source + "." + table + " a JOIN " + target
                + "." + table + " b ON " + joined)).longValue();
    }

    @Test
    void aLongRunningQueryMakesTheDumpSkipTheGlobalLockAndStayConsistentOverOneConnection() throws Exception {
        String source = SharedInfra.freshDatabase("guard");
        Sql.execute(EngineFixtures.database(source), "CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1),(2)");
        var sleeper = reactor.core.publisher.Mono.usingWhen(reactor.core.publisher.Mono.from(EngineFixtures.database(source).create()),
                c -> io.restorepoint.engine.sql.Statements.execute(c, "SELECT SLEEP(6)"), io.r2dbc.spi.Connection::close).subscribe();
        try {
            Thread.sleep(2200);
            DumpOptions options = new DumpOptions(1000, 1 << 20, 1_000_000, 3, 1000, Duration.ofSeconds(2), Duration.ofSeconds(5))
                    .withConsistency(io.restorepoint.engine.snapshot.ConsistencyMode.GLOBAL_LOCK);
            FileSystemArtifactStore store = new FileSystemArtifactStore(storeDir, 1);
            Manifest manifest = new Dumper(EngineFixtures.endpoint().connectionFactory(null), store, options)
                    .dump(new DumpRequest(new ArtifactId("guard", 1), "job", source), new DumpProgress())
                    .block(Duration.ofMinutes(1));
            assertThat(manifest.consistency().method()).isEqualTo("single-transaction");
            assertThat(manifest.consistency().connections()).isEqualTo(1);
            assertThat(manifest.consistency().note()).contains("a query has run for over 2 s");
            assertThat(manifest.totalRows()).isEqualTo(2);
        } finally {
            sleeper.dispose();
        }
    }

    @Test
    void missingDatabaseFailsWithItsName() throws Exception {
        FileSystemArtifactStore store = new FileSystemArtifactStore(storeDir, 3);
        ArtifactId id = new ArtifactId("p1", 2);
        Dumper dumper = new Dumper(EngineFixtures.endpoint().connectionFactory(null), store, DumpOptions.defaults());
        assertThatThrownBy(() -> dumper.dump(new DumpRequest(id, "job-2", "no_such_database_here"), new DumpProgress())
                .block(Duration.ofMinutes(1))).hasMessageContaining("no_such_database_here");
        assertThat(store.manifest(id)).isEmpty();
    }

    @Test
    void dumpFailingMidWayLeavesNeitherManifestNorPartialFiles() throws Exception {
        String source = SharedInfra.freshDatabase("dump_fail");
        Sql.execute(EngineFixtures.database(source),
                "CREATE TABLE a (id INT PRIMARY KEY)", "INSERT INTO a VALUES (1),(2)",
                "CREATE TABLE b (id INT PRIMARY KEY)", "INSERT INTO b VALUES (1)");
        FileSystemArtifactStore real = new FileSystemArtifactStore(storeDir, 3);
        ArtifactId id = new ArtifactId("p1", 3);
        // the store accepts a's files, then the disk "fills up" while b is written
        ArtifactStore failing = new ArtifactStore() {
            public ArtifactWriter begin(ArtifactId artifact, String token) throws IOException {
                ArtifactWriter writer = real.begin(artifact, token);
                return new ArtifactWriter() {
                    public FileSink create(String path) throws IOException {
                        return writer.create(path);
                    }

                    public FileSink createCompressed(String path) throws IOException {
                        if (path.startsWith("data/b.")) {
                            throw new IOException("No space left on device");
                        }
                        return writer.createCompressed(path);
                    }

                    public void commit(Manifest manifest) throws IOException {
                        writer.commit(manifest);
                    }

                    public void close() throws IOException {
                        writer.close();
                    }
                };
            }

            public Optional<Manifest> manifest(ArtifactId artifact) throws IOException {
                return real.manifest(artifact);
            }

            public InputStream openStored(ArtifactId artifact, String file) throws IOException {
                return real.openStored(artifact, file);
            }

            public io.restorepoint.engine.artifact.crypto.Keyring keyring() {
                return real.keyring();
            }

            public boolean delete(ArtifactId artifact) throws IOException {
                return real.delete(artifact);
            }

            public java.io.OutputStream createStaged(String path) throws IOException {
                return real.createStaged(path);
            }

            public InputStream openStaged(String path) throws IOException {
                return real.openStaged(path);
            }

            public boolean existsStaged(String path) {
                return real.existsStaged(path);
            }

            public void deleteStaged(String path) throws IOException {
                real.deleteStaged(path);
            }
        };
        Dumper dumper = new Dumper(EngineFixtures.endpoint().connectionFactory(null), failing, DumpOptions.defaults());

        assertThatThrownBy(() -> dumper.dump(new DumpRequest(id, "job-3", source), new DumpProgress())
                .block(Duration.ofMinutes(1)))
                .isInstanceOf(TableException.class)
                .hasMessageContaining("table b").hasMessageContaining("No space left on device");
        assertThat(real.manifest(id)).isEmpty();
        try (var files = Files.list(storeDir.resolve("p1"))) {
            assertThat(files.toList()).as("the partial directory is removed").isEmpty();
        }
    }
}
