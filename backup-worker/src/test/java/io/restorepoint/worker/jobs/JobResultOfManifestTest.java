package io.restorepoint.worker.jobs;

import io.restorepoint.engine.artifact.ArtifactFormat;
import io.restorepoint.engine.artifact.Manifest;
import io.restorepoint.schemas.job.JobResult;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What a done event says about the objects of the backup it used, and what an older format lacks. */
class JobResultOfManifestTest {

    private static Manifest manifest(int format, List<Manifest.ObjectEntry> objects) {
        return new Manifest(format, "restorepoint/test", "demo", 7, "token", "scrap_demo", Instant.EPOCH, Instant.EPOCH,
                new Manifest.Server("11.4.5-MariaDB", "mariadb"), null, List.of(), 120, 4096, null, objects);
    }

    @Test
    void aWholeDatabaseBackupCountsItsObjectsByKindAndHasNothingToNote() {
        Manifest m = manifest(ArtifactFormat.VERSION, List.of(
                new Manifest.ObjectEntry("view", "a", null, "objects/view/a.json", "x"),
                new Manifest.ObjectEntry("view", "b", null, "objects/view/b.json", "x"),
                new Manifest.ObjectEntry("trigger", "t", "orders", "objects/trigger/t.json", "x")));
        JobResult result = BackupJob.result(m, 0, BackupJob.notes(m, true));
        assertThat(result.rows()).isEqualTo(120);
        assertThat(result.objects()).isEqualTo(Map.of("view", 2, "trigger", 1));
        assertThat(result.notes()).isNull();
        assertThat(BackupJob.result(manifest(ArtifactFormat.VERSION, List.of()), 0, null).objects())
                .as("a database without objects: an empty count, not an absent one").isEmpty();
    }

    @Test
    void aBackupThatLeftObjectsOutListsThemAndARestoreSaysTheDatabaseLacksThem() {
        Manifest whole = manifest(ArtifactFormat.VERSION, List.of(new Manifest.ObjectEntry("view", "a", null, "objects/view/a.json", "x")));
        Manifest m = new Manifest(whole.formatVersion(), whole.tool(), whole.project(), whole.version(), whole.jobToken(),
                whole.database(), whole.startedAt(), whole.completedAt(), whole.server(), whole.consistency(), whole.tables(),
                whole.totalRows(), whole.totalBytes(), null, whole.objects(),
                List.of(new Manifest.SkippedObject("trigger", "*", "the backup account lacks TRIGGER")));
        JobResult restored = BackupJob.result(m, 0, BackupJob.notes(m, true));
        assertThat(restored.skipped()).containsExactly(new JobResult.SkippedObject("trigger", "*", "the backup account lacks TRIGGER"));
        assertThat(restored.notes()).singleElement().asString()
                .isEqualTo("backup version 7 left out 1 object(s) the backup account could not read (see skipped): "
                        + "the restored database does not have them");
        assertThat(BackupJob.result(whole, 0, null).skipped()).as("nothing left out: no list").isNull();
    }

    @Test
    void aTablesOnlyArtifactSaysWhatItLacks() {
        Manifest m = manifest(ArtifactFormat.TABLES_ONLY_VERSION, null);
        JobResult restored = BackupJob.result(m, 0, BackupJob.notes(m, true));
        assertThat(restored.objects()).as("the format records no objects: no count").isNull();
        assertThat(restored.notes()).singleElement().asString()
                .startsWith("backup version 7 is artifact format 1, written before backups held views, triggers, routines, "
                        + "events and sequences: it has base tables only")
                .contains("the database kept its own views");
        assertThat(BackupJob.notes(m, false)).singleElement().asString().endsWith("so only those were verified");
        Manifest unchecked = new Manifest(ArtifactFormat.VERSION, "restorepoint/test", "demo", 7, "token", "scrap_demo", Instant.EPOCH,
                Instant.EPOCH, null, null, List.of(new Manifest.Table("t", "schema/t.sql", "x", 1, List.of(), List.of(), List.of())),
                1, 1, null, List.of());
        assertThat(BackupJob.notes(unchecked, false)).as("a verify of rows without a checksum says it counted only")
                .containsExactly("backup version 7 predates row checksums: its rows were compared by count only");
        assertThat(BackupJob.notes(unchecked, true)).isNull();
    }
}
