package io.restorepoint.engine;

import io.restorepoint.demo.ScrapDemo;
import io.restorepoint.devinfra.Sql;
import io.restorepoint.engine.artifact.FileSystemArtifactStore;
import io.restorepoint.engine.export.Exporter;
import io.restorepoint.engine.imports.ImportDocumentException;
import io.restorepoint.engine.imports.ImportStager;
import io.restorepoint.engine.imports.Importer;
import io.restorepoint.engine.imports.StagedImport;
import io.restorepoint.testsupport.SharedInfra;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Import: validate and stage the whole document, then insert only what is missing, all or nothing. */
class ImportIT {

    @TempDir
    Path dir;

    @Test
    void importInsertsOnlyMissingRowsAndASecondImportInsertsNothing() throws Exception {
        String db = SharedInfra.freshDatabase("import");
        var factory = SharedInfra.database().connectionFactory(db);
        ScrapDemo.install(factory, 500);
        Path document = export(db);
        Sql.execute(factory, "SET SESSION foreign_key_checks = 0", "DELETE FROM pesaje WHERE ID > 400",
                "DELETE FROM auditoria WHERE id <= 20", "DELETE FROM catnp WHERE id = 7", "DELETE FROM sesiones");
        Map<String, Object> changedButNotDeleted = LoaderIT.checksums(db);

        FileSystemArtifactStore store = new FileSystemArtifactStore(dir.resolve("store"), 1);
        ImportStager stager = new ImportStager(EngineFixtures.endpoint().connectionFactory(null), store);
        StagedImport staged = stager.stage(document, db, Set.of("sesiones"), Set.of("usuarios.contra"), "imports/a");
        assertThat(staged.version()).isEqualTo("2.0");
        assertThat(staged.tables()).extracting(StagedImport.Table::name).doesNotContain("sesiones");
        assertThat(staged.tables().stream().map(StagedImport.Table::name).toList().indexOf("catnp"))
                .as("parents first").isLessThan(staged.tables().stream().map(StagedImport.Table::name).toList().indexOf("tolerancias") + 100);
        assertThat(changedButNotDeleted).as("staging writes nothing").isEqualTo(LoaderIT.checksums(db));

        Importer importer = new Importer(EngineFixtures.endpoint().connectionFactory(null), store);
        Importer.ImportResult first = importer.run("imports/a", db, staged, n -> { }).block(Duration.ofMinutes(1));
        assertThat(first.tables().get("pesaje")).isEqualTo(new Importer.ImportResult.Count(100, 400));
        assertThat(first.tables().get("auditoria")).isEqualTo(new Importer.ImportResult.Count(20, 480));
        assertThat(first.tables().get("catnp")).isEqualTo(new Importer.ImportResult.Count(1, 233));
        assertThat(first.tables().get("usuarios")).isEqualTo(new Importer.ImportResult.Count(0, 25));
        assertThat(first.tables().get("sesiones")).as("the session table is skipped").isEqualTo(new Importer.ImportResult.Count(0, 12));
        assertThat(Sql.scalar(factory, "SELECT COUNT(*) FROM sesiones")).isEqualTo(0L);
        assertThat(Sql.scalar(factory, "SELECT COUNT(*) FROM pesaje")).isEqualTo(500L);
        assertThat((String) Sql.scalar(factory, "SELECT contra FROM usuarios WHERE gafete = 'admin'")).startsWith("$2a$10$");
        assertThat(importer.committed("imports/a")).isEqualTo(first);

        StagedImport again = stager.stage(document, db, Set.of("sesiones"), Set.of("usuarios.contra"), "imports/b");
        Importer.ImportResult second = importer.run("imports/b", db, again, n -> { }).block(Duration.ofMinutes(1));
        assertThat(second.inserted()).isZero();
    }

    @Test
    void aFailureHalfWayRollsEverythingBack() throws Exception {
        String db = SharedInfra.freshDatabase("import_fail");
        var factory = SharedInfra.database().connectionFactory(db);
        ScrapDemo.install(factory, 300);
        Path document = export(db);
        Sql.execute(factory, "SET SESSION foreign_key_checks = 0", "DELETE FROM pesaje", "DELETE FROM areas WHERE id > 10",
                "DELETE FROM usuarios WHERE id > 20");
        FileSystemArtifactStore store = new FileSystemArtifactStore(dir.resolve("store"), 1);
        StagedImport staged = new ImportStager(EngineFixtures.endpoint().connectionFactory(null), store)
                .stage(document, db, Set.of("sesiones"), Set.of("usuarios.contra"), "imports/c");
        Map<String, Object> before = LoaderIT.checksums(db);
        // the schema changes between validation and the job: the last table can no longer be loaded
        String last = staged.tables().get(staged.tables().size() - 1).name();
        Sql.execute(factory, "ALTER TABLE `" + last + "` ADD COLUMN required_now INT NOT NULL, RENAME TO `" + last + "_gone`");
        before.remove(last);
        assertThatThrownBy(() -> new Importer(EngineFixtures.endpoint().connectionFactory(null), store)
                .run("imports/c", db, staged, n -> { }).block(Duration.ofMinutes(1)))
                .isInstanceOf(TableException.class).hasMessageContaining("table " + last);
        Map<String, Object> after = LoaderIT.checksums(db);
        after.remove(last + "_gone");
        assertThat(after).as("nothing of the import stayed").isEqualTo(before);
    }

    @Test
    void badDocumentsAreRefusedWithReasonsAndNothingStaged() throws Exception {
        String db = SharedInfra.freshDatabase("import_bad");
        ScrapDemo.createSchema(SharedInfra.database().connectionFactory(db));
        FileSystemArtifactStore store = new FileSystemArtifactStore(dir.resolve("store"), 1);
        ImportStager stager = new ImportStager(EngineFixtures.endpoint().connectionFactory(null), store);
        Object[][] cases = {
                {"[]", 400, "JSON object"},
                {"{\"version\":\"2.0\",\"data\":{", 400, "not valid JSON"},
                {"{\"version\":\"9.9\",\"data\":{}}", 422, "not supported"},
                {"{\"data\":{}}", 422, "no version"},
                {"{\"version\":\"2.0\"}", 422, "no data"},
                {"{\"version\":\"2.0\",\"data\":{\"nope`; DROP TABLE areas; --\":[]}}", 422, "does not exist"},
                {"{\"version\":\"2.0\",\"data\":{\"areas\":[{\"id\":1,\"AREA\":\"x\",\"evil`col\":1}]}}", 422, "column evil`col does not exist"},
                {"{\"version\":\"2.0\",\"data\":{\"areas\":[{\"id\":\"one\",\"AREA\":\"x\"}]}}", 422, "whole number"},
                {"{\"version\":\"2.0\",\"data\":{\"areas\":[{\"id\":1,\"AREA\":null}]}}", 422, "may not be null"},
                {"{\"version\":\"2.0\",\"data\":{\"areas\":[{\"id\":1,\"AREA\":\"" + "x".repeat(101) + "\"}]}}", 422, "at most 100 characters"},
                {"{\"version\":\"2.0\",\"data\":{\"pesaje\":[{\"COSTO\":1234567890123.5}]}}", 422, "digits"},
                {"{\"version\":\"2.0\",\"data\":{\"pesaje\":[{\"FECHA_REGISTRO\":\"yesterday\"}]}}", 422, "date and time"},
                {"{\"version\":\"2.0\",\"data\":{\"areas\":[{\"id\":{\"a\":[[[1]]]}}]}}", 422, "single value"},
                {"{\"version\":\"2.0\",\"data\":{\"areas\":[[1,2]]}}", 400, "must be an object"},
                {"{\"version\":\"2.0\",\"data\":{\"areas\":[],\"areas\":[]}}", 400, "Duplicate"}, // a member name twice, anywhere
                {"{\"version\":\"2.0\",\"meta\":" + "[".repeat(200) + "]".repeat(200) + ",\"data\":{}}", 400, "not valid JSON"},
                {"{\"version\":\"2.0\",\"data\":{}} trailing", 400, ""},
        };
        int n = 0;
        for (Object[] c : cases) {
            Path file = dir.resolve("bad" + n++ + ".json");
            Files.writeString(file, (String) c[0]);
            assertThatThrownBy(() -> stager.stage(file, db, Set.of("sesiones"), Set.of("usuarios.contra"), "imports/bad"))
                    .as((String) c[0])
                    .isInstanceOfSatisfying(ImportDocumentException.class, e -> {
                        assertThat(e.status()).as((String) c[0]).isEqualTo(c[1]);
                        assertThat(e.getMessage()).as((String) c[0]).contains((String) c[2]);
                    });
            assertThat(store.existsStaged("imports/bad")).as("nothing staged for " + c[0]).isFalse();
        }
        assertThat(Sql.scalar(SharedInfra.database().connectionFactory(db), "SELECT COUNT(*) FROM areas")).isEqualTo(0L);
    }

    private Path export(String db) throws Exception {
        Path file = dir.resolve(db + ".json");
        try (OutputStream out = Files.newOutputStream(file)) {
            for (byte[] piece : new Exporter(EngineFixtures.endpoint().connectionFactory(null)).export("p", db, Set.of())
                    .collectList().block(Duration.ofMinutes(1))) {
                out.write(piece);
            }
        }
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).contains("\"sesiones\"");
        return file;
    }
}
