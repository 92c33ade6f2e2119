package io.restorepoint.engine;

import io.restorepoint.devinfra.Sql;
import io.restorepoint.engine.artifact.ArtifactFormat;
import io.restorepoint.engine.artifact.ArtifactId;
import io.restorepoint.engine.artifact.FileSystemArtifactStore;
import io.restorepoint.engine.artifact.Manifest;
import io.restorepoint.engine.dump.DumpOptions;
import io.restorepoint.engine.dump.DumpProgress;
import io.restorepoint.engine.dump.DumpRequest;
import io.restorepoint.engine.dump.Dumper;
import io.restorepoint.engine.load.LoadOptions;
import io.restorepoint.engine.load.LoadProgress;
import io.restorepoint.engine.load.Loader;
import io.restorepoint.engine.schema.SchemaObject;
import io.restorepoint.testsupport.SharedInfra;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A realistic application database, not the demo: foreign keys, a view on a view, triggers (one writing
 * another table, two on one event in a set order), a function and a procedure, an event, a used
 * sequence, a partitioned table, generated columns, CHECK constraints, FULLTEXT and SPATIAL indexes, BLOB,
 * BIT, JSON, ENUM and SET columns, identifiers that are reserved words or hold spaces and backticks. Backed
 * up, changed, restored: the database equals the backup, every object included, and nothing else is left.
 */
class WholeDatabaseIT {

    @TempDir
    Path storeDir;

    static final List<String> SCHEMA = List.of(
            "CREATE TABLE customer (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL, email VARCHAR(200), "
                    + "CONSTRAINT email_has_at CHECK (email IS NULL OR email LIKE '%@%'), FULLTEXT KEY ft_name (name), "
                    + "UNIQUE KEY uk_email (email)) ENGINE=InnoDB",
            "CREATE TABLE `order` (id INT AUTO_INCREMENT PRIMARY KEY, customer_id INT NOT NULL, qty INT NOT NULL, price DECIMAL(10,2) NOT NULL, "
                    + "total DECIMAL(12,2) AS (qty * price) STORED, label VARCHAR(40) AS (CONCAT('#', id)) VIRTUAL, "
                    + "status ENUM('new','paid','sent') NOT NULL DEFAULT 'new', flags SET('gift','rush') NOT NULL DEFAULT '', "
                    + "bits BIT(5) NOT NULL DEFAULT b'00000', meta JSON, KEY idx_total (total), KEY idx_status_qty (status, qty DESC), "
                    + "CONSTRAINT fk_order_customer FOREIGN KEY (customer_id) REFERENCES customer (id)) ENGINE=InnoDB",
            "CREATE TABLE `odd name ``x``` (`select` INT PRIMARY KEY, `from where` VARCHAR(20), doc LONGBLOB, "
                    + "KEY `idx odd``key` (`from where`(5)), UNIQUE KEY uk_doc (doc) USING HASH)",
            "CREATE TABLE place (id INT PRIMARY KEY, at POINT NOT NULL, SPATIAL KEY sp_at (at)) ENGINE=InnoDB",
            "CREATE TABLE reading (id INT NOT NULL, taken DATE NOT NULL, value DOUBLE, PRIMARY KEY (id, taken)) "
                    + "PARTITION BY RANGE (YEAR(taken)) (PARTITION p2023 VALUES LESS THAN (2024), PARTITION p2024 VALUES LESS THAN (2025), "
                    + "PARTITION pmax VALUES LESS THAN MAXVALUE)",
            "CREATE TABLE audit_log (id INT AUTO_INCREMENT PRIMARY KEY, what VARCHAR(100) NOT NULL)",
            "CREATE SEQUENCE invoice_no START WITH 1000 INCREMENT BY 1",
            "CREATE VIEW paid_orders AS SELECT o.id, o.customer_id, o.total FROM `order` o WHERE o.status = 'paid'",
            "CREATE VIEW big_paid_orders AS SELECT p.id, c.name, p.total FROM paid_orders p JOIN customer c ON c.id = p.customer_id "
                    + "WHERE p.total > 100",
            "CREATE FUNCTION order_total(oid INT) RETURNS DECIMAL(12,2) READS SQL DATA RETURN (SELECT total FROM `order` WHERE id = oid)",
            "CREATE PROCEDURE mark_paid(IN oid INT) MODIFIES SQL DATA UPDATE `order` SET status = 'paid' WHERE id = oid",
            "CREATE TRIGGER order_audit AFTER INSERT ON `order` FOR EACH ROW "
                    + "INSERT INTO audit_log (what) VALUES (CONCAT('order ', NEW.id, ' for ', NEW.customer_id))",
            "CREATE TRIGGER order_audit_second AFTER INSERT ON `order` FOR EACH ROW FOLLOWS order_audit "
                    + "INSERT INTO audit_log (what) VALUES (CONCAT('second ', NEW.id))",
            "CREATE TRIGGER customer_name_trim BEFORE INSERT ON customer FOR EACH ROW SET NEW.name = TRIM(NEW.name)");

    static final String EVENT = "CREATE EVENT nightly_cleanup ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 03:00:00' DISABLE "
            + "DO DELETE FROM audit_log WHERE what LIKE 'tmp%'";

    /** Creates the schema, every object kind included (the embedded server checks privileges, so it takes events). */
    static void install(io.r2dbc.spi.ConnectionFactory db) {
        Sql.execute(db, SCHEMA);
        Sql.execute(db, EVENT);
    }

    static final List<String> DATA = List.of(
            "INSERT INTO customer (name, email) VALUES ('  Ana  ', 'ana@example.com'), ('Bo', NULL), ('Çağrı Ünal', 'c@example.com')",
            "INSERT INTO `order` (customer_id, qty, price, status, flags, bits, meta) VALUES (1, 2, 60.00, 'paid', 'gift', b'10101', '{\"a\": [1, 2]}'), "
                    + "(2, 1, 5.50, 'new', '', b'00001', NULL), (3, 10, 20.00, 'paid', 'gift,rush', b'11111', '{\"b\": null}')",
            "INSERT INTO `odd name ``x``` VALUES (1, 'a''b\\\\c', REPEAT(UNHEX('00FF7F80'), 524288)), (2, NULL, NULL)",
            "INSERT INTO place VALUES (1, ST_GeomFromText('POINT(1 2)')), (2, ST_GeomFromText('POINT(-3.5 4.25)'))",
            "INSERT INTO reading VALUES (1, '2023-05-01', 1.5), (1, '2024-05-01', 2.5), (2, '2026-01-01', NULL)",
            "DO NEXTVAL(invoice_no)", "DO NEXTVAL(invoice_no)", "DO NEXTVAL(invoice_no)");

    @Test
    void everyObjectComesBackAndNothingElseIsLeft() throws Exception {
        String live = populated("whole_db");
        var db = SharedInfra.database().connectionFactory(live);
        Map<String, Object> tables = LoaderIT.checksums(live);
        Map<String, String> objects = objects(live);
        assertThat(objects).hasSize(9);
        Object next = Sql.scalar(db, "SELECT next_not_cached_value FROM invoice_no");

        FileSystemArtifactStore store = new FileSystemArtifactStore(storeDir, 1);
        ArtifactId id = new ArtifactId("whole", 1);
        long started = System.nanoTime();
        Manifest manifest = new Dumper(EngineFixtures.endpoint().connectionFactory(null), store,
                DumpOptions.defaults().withConnections(2).withChunkRows(1000))
                .dump(new DumpRequest(id, "dump", live), new DumpProgress()).block(Duration.ofMinutes(2));
        long dumpMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(manifest.formatVersion()).isEqualTo(ArtifactFormat.VERSION);
        assertThat(manifest.tables()).extracting(Manifest.Table::name)
                .containsExactlyInAnyOrder("customer", "order", "odd name `x`", "place", "reading", "audit_log");
        List<String> expected = List.of(
                "sequence invoice_no", "view big_paid_orders", "view paid_orders", "function order_total", "procedure mark_paid",
                "trigger customer_name_trim", "trigger order_audit", "trigger order_audit_second", "event nightly_cleanup");
        assertThat(manifest.objects()).extracting(o -> o.kind() + " " + o.name()).containsExactlyElementsOf(expected);
        assertThat(manifest.objects()).allSatisfy(o -> assertThat(o.sha256()).hasSize(64));

        // the database moves on: data, objects changed, dropped and added
        Sql.execute(db, "INSERT INTO customer (name) VALUES ('later')", "UPDATE `order` SET qty = 99 WHERE id = 2",
                "DELETE FROM `odd name ``x``` WHERE `select` = 1", "DO NEXTVAL(invoice_no)",
                "DROP VIEW big_paid_orders", "DROP TRIGGER order_audit_second", "DROP EVENT nightly_cleanup",
                "CREATE EVENT stray_event ON SCHEDULE EVERY 1 HOUR DISABLE DO DELETE FROM audit_log",
                "CREATE OR REPLACE VIEW paid_orders AS SELECT id FROM `order`", "DROP PROCEDURE mark_paid",
                "CREATE TRIGGER stray BEFORE UPDATE ON customer FOR EACH ROW SET NEW.email = NULL",
                "CREATE VIEW stray_view AS SELECT 1 AS one", "CREATE FUNCTION stray_fn() RETURNS INT DETERMINISTIC RETURN 1",
                "CREATE TABLE stray_table (id INT PRIMARY KEY)");
        assertThat(objects(live)).isNotEqualTo(objects);

        Loader loader = new Loader(EngineFixtures.endpoint().connectionFactory(null), store, new LoadOptions(2));
        started = System.nanoTime();
        loader.load(id, manifest, live + "_shadow", live, new LoadProgress()).block(Duration.ofMinutes(2));
        loader.swap(id, manifest, live, live + "_shadow", live + "_old").block(Duration.ofMinutes(1));
        long restoreMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(LoaderIT.checksums(live)).as("every table as in the backup, and no other").isEqualTo(tables);
        assertThat(objects(live)).as("every object as in the backup, and no other").isEqualTo(objects);
        // as after a server restart: the sequence goes on from the first number it had not handed out or cached
        // at the backup, so no number given out before the backup is given out again
        assertThat(((Number) Sql.scalar(db, "SELECT NEXTVAL(invoice_no)")).longValue()).isEqualTo(((Number) next).longValue())
                .isGreaterThanOrEqualTo(1003L);
        // the objects work on the restored tables
        Sql.execute(db, "INSERT INTO `order` (customer_id, qty, price) VALUES (2, 1, 1.00)");
        assertThat(Sql.query(db, "SELECT what FROM audit_log ORDER BY id")).extracting(r -> r.get("what"))
                .containsExactly("order 1 for 1", "second 1", "order 2 for 2", "second 2", "order 3 for 3", "second 3",
                        "order 4 for 2", "second 4");
        Sql.execute(db, "CALL mark_paid(4)");
        assertThat(Sql.scalar(db, "SELECT order_total(4)").toString()).isEqualTo("1.00");
        assertThat(Sql.scalar(db, "SELECT COUNT(*) FROM big_paid_orders")).isEqualTo(2L);
        assertThatThrownBy(() -> Sql.execute(db, "INSERT INTO customer (name, email) VALUES ('x', 'no-at')")).hasMessageContaining("email_has_at");
        // the FULLTEXT and SPATIAL indexes answer on the restored tables
        assertThat(Sql.query(db, "SELECT id FROM customer WHERE MATCH(name) AGAINST('Ana' IN BOOLEAN MODE)"))
                .extracting(r -> r.get("id")).containsExactly(1);
        assertThat(Sql.query(db, "SELECT id FROM place FORCE INDEX (sp_at) "
                + "WHERE MBRContains(ST_GeomFromText('POLYGON((0 0, 0 5, 5 5, 5 0, 0 0))'), at)")).extracting(r -> r.get("id"))
                .containsExactly(1);
        System.out.printf("whole-database round trip: dump %d ms, load + swap %d ms, %d objects%n", dumpMillis, restoreMillis,
                manifest.objects().size());
    }

    @Test
    void aRestoreThatCannotCreateAnObjectPutsTheDatabaseBackAsItWas() throws Exception {
        Backup b = backup("whole_db_fail");
        String live = b.live();
        var db = b.db();

        // the live database changes; then a restore whose last object cannot be created (a procedure that
        // does not parse): it must leave the changed database exactly as it was
        Sql.execute(db, "DELETE FROM audit_log", "DROP TRIGGER order_audit_second", "CREATE VIEW stray_view AS SELECT 1 AS one");
        Map<String, Object> tables = LoaderIT.checksums(live);
        Map<String, String> objects = objects(live);
        List<SchemaObject> broken = new java.util.ArrayList<>();
        for (Manifest.ObjectEntry entry : b.manifest().objects()) {
            try (var in = b.store().open(b.id(), entry.file())) {
                broken.add(ArtifactFormat.JSON.readValue(in, SchemaObject.class));
            }
        }
        broken.add(new SchemaObject(SchemaObject.PROCEDURE, "broken", null, "CREATE PROCEDURE broken() SELECT * FROM WHERE",
                null, null, null, null, null));
        Loader loader = new Loader(EngineFixtures.endpoint().connectionFactory(null), b.store(), new LoadOptions(2));
        loader.load(b.id(), b.manifest(), live + "_shadow", live, new LoadProgress()).block(Duration.ofMinutes(2));
        assertThatThrownBy(() -> loader.swap(live, live + "_shadow", live + "_old", broken).block(Duration.ofMinutes(1)))
                .hasMessageContaining("procedure broken");
        assertThat(LoaderIT.checksums(live)).as("the tables are the old ones").isEqualTo(tables);
        assertThat(objects(live)).as("the objects are the old ones").isEqualTo(objects);
        Sql.execute(db, "INSERT INTO `order` (customer_id, qty, price) VALUES (1, 1, 1.00)");
        assertThat(Sql.query(db, "SELECT what FROM audit_log")).as("the old triggers fire again").hasSize(1);
    }

    @Test
    void aTablesOnlyArtifactRestoresIntoADatabaseWithTriggersAndKeepsItsObjects() throws Exception {
        Backup b = backup("whole_db_v1");
        String live = b.live();
        var db = b.db();
        // what a format 1 artifact says: the same tables, no objects
        Manifest full = b.manifest();
        Manifest v1 = new Manifest(ArtifactFormat.TABLES_ONLY_VERSION, full.tool(), full.project(), full.version(), full.jobToken(),
                full.database(), full.startedAt(), full.completedAt(), full.server(), full.consistency(), full.tables(),
                full.totalRows(), full.totalBytes(), null, null);
        // a live trigger whose definer account was dropped since: it is put back as it was, not refused
        Sql.execute(db, "CREATE DEFINER = 'gone_" + ProcessHandle.current().pid() + "'@'%' TRIGGER orphaned BEFORE UPDATE ON place "
                + "FOR EACH ROW SET NEW.id = NEW.id");
        Map<String, Object> tables = LoaderIT.checksums(live);
        Map<String, String> objects = objects(live);
        assertThat(objects).containsKey("trigger orphaned");
        // a table the backup does not hold, with a trigger: both go (the trigger cannot outlive its table)
        Sql.execute(db, "DELETE FROM audit_log", "CREATE TABLE later (id INT PRIMARY KEY)",
                "CREATE TRIGGER later_trigger BEFORE INSERT ON later FOR EACH ROW SET NEW.id = NEW.id + 1");
        Loader loader = new Loader(EngineFixtures.endpoint().connectionFactory(null), b.store(), new LoadOptions(2));
        loader.load(b.id(), v1, live + "_shadow", live, new LoadProgress()).block(Duration.ofMinutes(2));
        loader.swap(b.id(), v1, live, live + "_shadow", live + "_old").block(Duration.ofMinutes(1));
        assertThat(LoaderIT.checksums(live)).isEqualTo(tables);
        assertThat(objects(live)).as("the database keeps its own objects").isEqualTo(objects);
    }

    @Test
    void aVerifyComparesEveryRowAndEveryObjectOfTheLoadedCopyWithTheBackup() {
        Backup b = backup("whole_db_verify");
        assertThat(b.manifest().tables()).allSatisfy(t -> assertThat(t.rowChecksum()).isNotBlank());
        Loader loader = new Loader(EngineFixtures.endpoint().connectionFactory(null), b.store(), new LoadOptions(2));
        String copy = b.live() + "_verify";
        loader.load(b.id(), b.manifest(), copy, b.live(), new LoadProgress()).block(Duration.ofMinutes(2));
        loader.compare(b.id(), b.manifest(), copy).block(Duration.ofMinutes(1));
        assertThat(objects(copy).keySet()).as("every object but the event was created in the copy")
                .containsExactlyInAnyOrderElementsOf(objects(b.live()).keySet().stream().filter(k -> !k.startsWith("event ")).toList());

        // one byte of the 2 MB BLOB differs: the row count is right, the rows are not
        var copyDb = SharedInfra.database().connectionFactory(copy);
        loader.drop(copy).block(Duration.ofMinutes(1));
        loader.load(b.id(), b.manifest(), copy, b.live(), new LoadProgress()).block(Duration.ofMinutes(2));
        Sql.execute(copyDb, "UPDATE `odd name ``x``` SET doc = CONCAT(LEFT(doc, 1000), 'Z', SUBSTRING(doc, 1002)) WHERE `select` = 1");
        assertThatThrownBy(() -> loader.compare(b.id(), b.manifest(), copy).block(Duration.ofMinutes(1)))
                .hasMessageStartingWith("table odd name `x`: the loaded copy differs from the backup (2 rows, row checksum");

        // an object the backup does not have
        loader.drop(copy).block(Duration.ofMinutes(1));
        loader.load(b.id(), b.manifest(), copy, b.live(), new LoadProgress()).block(Duration.ofMinutes(2));
        Sql.execute(copyDb, "CREATE VIEW extra AS SELECT 1 AS one");
        assertThatThrownBy(() -> loader.compare(b.id(), b.manifest(), copy).block(Duration.ofMinutes(1)))
                .hasMessageContaining("objects the backup does not list: [view extra]");
        loader.drop(copy).block(Duration.ofMinutes(1));
    }

    @Test
    void anAccountThatCannotSeeEveryObjectFailsTheBackupNamingWhatItLacks() throws Exception {
        String live = populated("whole_db_priv");
        var db = SharedInfra.database().connectionFactory(live);
        String account = "reader_" + ProcessHandle.current().pid();
        // enough for the tables and views, not for triggers, events and routine bodies: the server would show
        // this account none of them, so a backup taken with it must not pass for complete
        var reader = account(db, account, "GRANT SELECT, SHOW VIEW, LOCK TABLES ON `" + live + "`.* TO '" + account + "'@'%'");
        FileSystemArtifactStore store = new FileSystemArtifactStore(storeDir, 1);
        assertThatThrownBy(() -> new Dumper(reader.connectionFactory(null), store, DumpOptions.defaults())
                .dump(new DumpRequest(new ArtifactId("priv", 1), "dump", live), new DumpProgress()).block(Duration.ofMinutes(2)))
                .hasMessageContaining("database " + live + ": the account lacks TRIGGER (triggers), EVENT (events), "
                        + "the right to read routine bodies");
        assertThat(store.manifest(new ArtifactId("priv", 1))).as("nothing committed").isEmpty();

        // where the operator opted in, the same account's backup leaves out what it cannot see, and says so
        Manifest partial = new Dumper(reader.connectionFactory(null), store, DumpOptions.defaults().withSkipUnreadableObjects(true))
                .dump(new DumpRequest(new ArtifactId("priv", 3), "dump", live), new DumpProgress()).block(Duration.ofMinutes(2));
        assertThat(partial.objects()).extracting(o -> o.kind() + " " + o.name())
                .containsExactly("sequence invoice_no", "view big_paid_orders", "view paid_orders");
        assertThat(partial.skippedObjects()).extracting(o -> o.kind() + " " + o.name())
                .containsExactly("function *", "procedure *", "trigger *", "event *");
        assertThat(partial.skippedObjects().get(2).reason()).isEqualTo("the backup account lacks TRIGGER, so the server shows it no "
                + "trigger of this database");
        assertThat(store.manifest(new ArtifactId("priv", 3)).orElseThrow().skippedObjects()).as("as stored").hasSize(4);

        // given what it needs (not everything), the same account's backup holds every object
        Sql.execute(db, "GRANT TRIGGER, EVENT ON `" + live + "`.* TO '" + account + "'@'%'",
                "GRANT SELECT ON mysql.proc TO '" + account + "'@'%'");
        Manifest manifest = new Dumper(reader.connectionFactory(null), store, DumpOptions.defaults())
                .dump(new DumpRequest(new ArtifactId("priv", 2), "dump", live), new DumpProgress()).block(Duration.ofMinutes(2));
        assertThat(manifest.objects()).hasSize(9);
    }

    @Test
    void anAccountThatMayReadSomeTablesOnlyFailsTheBackupEvenWhereSkippingIsAllowed() throws Exception {
        String live = populated("whole_db_table_priv");
        var db = SharedInfra.database().connectionFactory(live);
        String account = "some_tables_" + ProcessHandle.current().pid();
        // every object privilege, but SELECT on two tables only: the server would show it those two and no other
        var reader = account(db, account, "GRANT SHOW VIEW, TRIGGER, EVENT, LOCK TABLES ON `" + live + "`.* TO '" + account + "'@'%'",
                "GRANT SELECT ON mysql.proc TO '" + account + "'@'%'",
                "GRANT SELECT ON `" + live + "`.`customer` TO '" + account + "'@'%'",
                "GRANT SELECT ON `" + live + "`.`order` TO '" + account + "'@'%'");
        FileSystemArtifactStore store = new FileSystemArtifactStore(storeDir, 1);
        for (boolean skipping : List.of(false, true)) {
            assertThatThrownBy(() -> new Dumper(reader.connectionFactory(null), store, DumpOptions.defaults().withSkipUnreadableObjects(skipping))
                    .dump(new DumpRequest(new ArtifactId("table-priv", 1), "dump", live), new DumpProgress()).block(Duration.ofMinutes(2)))
                    .as("skipping allowed: %s", skipping)
                    .hasMessageContaining("database " + live + ": the account lacks SELECT");
        }
        assertThat(store.manifest(new ArtifactId("table-priv", 1))).isEmpty();
    }

    @Test
    void aBackupOfAnInvalidViewIsFoundUnrestorableByVerifyAndAFailedRestorePutsBackAllButThatView() {
        Backup b = backupWith("whole_db_invalid_view",
                // the table a view reads is dropped: the server keeps the view, and would refuse to create it again
                "CREATE TABLE gone (id INT)", "CREATE VIEW reads_gone AS SELECT id FROM gone", "DROP TABLE gone");
        assertThat(b.manifest().objects()).extracting(Manifest.ObjectEntry::name).contains("reads_gone");
        Loader loader = new Loader(EngineFixtures.endpoint().connectionFactory(null), b.store(), new LoadOptions(2));
        String copy = b.live() + "_verify";
        loader.load(b.id(), b.manifest(), copy, b.live(), new LoadProgress()).block(Duration.ofMinutes(2));
        assertThatThrownBy(() -> loader.compare(b.id(), b.manifest(), copy).block(Duration.ofMinutes(1)))
                .hasMessageStartingWith("view reads_gone: ")
                .hasMessageContaining("gone");
        loader.drop(copy).block(Duration.ofMinutes(1));

        Sql.execute(b.db(), "DELETE FROM audit_log");
        Map<String, Object> tables = LoaderIT.checksums(b.live());
        Map<String, String> objects = objects(b.live());
        loader.load(b.id(), b.manifest(), b.live() + "_shadow", b.live(), new LoadProgress()).block(Duration.ofMinutes(2));
        assertThatThrownBy(() -> loader.swap(b.id(), b.manifest(), b.live(), b.live() + "_shadow", b.live() + "_old")
                .block(Duration.ofMinutes(1)))
                .hasMessageStartingWith("view reads_gone: ")
                .hasMessageContaining("the database was put back as it was, except the view(s) [reads_gone], which were invalid "
                        + "before the restore");
        // no server creates an invalid view: the one thing that cannot be put back (CHECKSUM TABLE lists views too)
        tables.remove("reads_gone");
        objects.remove("view reads_gone");
        assertThat(LoaderIT.checksums(b.live())).isEqualTo(tables);
        assertThat(objects(b.live())).as("every other object is put back").isEqualTo(objects);
    }

    @Test
    void aDefinerTheServerDoesNotKnowIsAClearReasonAndRestoringAsTheRestoringAccountWorks() throws Exception {
        String live = SharedInfra.freshDatabase("whole_db_definer");
        var db = SharedInfra.database().connectionFactory(live);
        String owner = "app_owner_" + ProcessHandle.current().pid();
        Sql.execute(db, "CREATE USER '" + owner + "'@'%'", "GRANT ALL ON `" + live + "`.* TO '" + owner + "'@'%'");
        Sql.execute(db, "CREATE TABLE t (id INT PRIMARY KEY, n INT)", "CREATE TABLE log (id INT PRIMARY KEY)",
                "CREATE DEFINER = '" + owner + "'@'%' VIEW v AS SELECT id FROM t",
                "CREATE DEFINER = '" + owner + "'@'%' TRIGGER t_log AFTER INSERT ON t FOR EACH ROW INSERT INTO log VALUES (NEW.id)",
                "INSERT INTO t VALUES (1, 1), (2, 2)");
        FileSystemArtifactStore store = new FileSystemArtifactStore(storeDir, 1);
        ArtifactId id = new ArtifactId("definer", 1);
        Manifest manifest = new Dumper(EngineFixtures.endpoint().connectionFactory(null), store, DumpOptions.defaults())
                .dump(new DumpRequest(id, "dump", live), new DumpProgress()).block(Duration.ofMinutes(2));
        Map<String, Object> backedUp = LoaderIT.checksums(live);
        // the account is gone on the server the backup is restored to (another server, or dropped since)
        Sql.execute(db, "DROP VIEW v", "DROP TRIGGER t_log", "DROP USER '" + owner + "'@'%'", "UPDATE t SET n = 9");
        Map<String, Object> tables = LoaderIT.checksums(live);
        Map<String, String> objects = objects(live);

        // an account with SUPER could create the objects (the server only warns), but they would fail whenever used
        Loader keep = new Loader(EngineFixtures.endpoint().connectionFactory(null), store, new LoadOptions(2));
        keep.load(id, manifest, live + "_shadow", live, new LoadProgress()).block(Duration.ofMinutes(2));
        assertThatThrownBy(() -> keep.swap(id, manifest, live, live + "_shadow", live + "_old").block(Duration.ofMinutes(1)))
                .hasMessageContaining(owner)
                .hasMessageContaining("does not exist")
                .hasMessageContaining("restoring_account");
        assertThat(LoaderIT.checksums(live)).as("nothing restored").isEqualTo(tables);
        assertThat(objects(live)).isEqualTo(objects);

        // a managed server: the restoring account has every right on its databases, and no SUPER
        String restorer = "restorer_" + ProcessHandle.current().pid();
        Sql.execute(db, "CREATE USER '" + restorer + "'@'%' IDENTIFIED BY 'pw'", "GRANT ALL ON `" + live + "%`.* TO '" + restorer + "'@'%'");
        var server = SharedInfra.database();
        var managed = new io.restorepoint.engine.connect.DatabaseEndpoint(server.host(), server.port(), restorer, "pw");
        Loader keepManaged = new Loader(managed.connectionFactory(null), store, new LoadOptions(2));
        keepManaged.load(id, manifest, live + "_shadow1", live, new LoadProgress()).block(Duration.ofMinutes(2));
        assertThatThrownBy(() -> keepManaged.swap(id, manifest, live, live + "_shadow1", live + "_old1").block(Duration.ofMinutes(1)))
                .hasMessageContaining("view v: Access denied; you need (at least one of) the SET USER privilege")
                .hasMessageContaining("restoring_account");
        assertThat(LoaderIT.checksums(live)).as("nothing restored").isEqualTo(tables);
        assertThat(objects(live)).isEqualTo(objects);

        Loader asRestorer = new Loader(managed.connectionFactory(null), store,
                new LoadOptions(2, io.restorepoint.engine.load.DefinerPolicy.RESTORING_ACCOUNT));
        asRestorer.load(id, manifest, live + "_shadow2", live, new LoadProgress()).block(Duration.ofMinutes(2));
        asRestorer.swap(id, manifest, live, live + "_shadow2", live + "_old2").block(Duration.ofMinutes(1));
        assertThat(LoaderIT.checksums(live)).isEqualTo(backedUp);
        assertThat(Sql.query(db, "SELECT DEFINER FROM information_schema.VIEWS WHERE TABLE_SCHEMA = '" + live + "' "
                + "UNION ALL SELECT DEFINER FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = '" + live + "'"))
                .extracting(r -> r.get("DEFINER")).containsExactly(restorer + "@%", restorer + "@%");
        Sql.execute(db, "INSERT INTO t VALUES (3, 3)");
        assertThat(Sql.scalar(db, "SELECT COUNT(*) FROM log WHERE id = 3")).as("the trigger fires as the restoring account").isEqualTo(1L);
    }

    private record Backup(String live, io.r2dbc.spi.ConnectionFactory db, FileSystemArtifactStore store, ArtifactId id,
            Manifest manifest) {
    }

    /** A new account (password "pw") that may take the global read lock, with {@code grants} besides; its endpoint. */
    private static io.restorepoint.engine.connect.DatabaseEndpoint account(io.r2dbc.spi.ConnectionFactory db, String account,
            String... grants) {
        Sql.execute(db, "CREATE USER '" + account + "'@'%' IDENTIFIED BY 'pw'", "GRANT RELOAD, BINLOG MONITOR ON *.* TO '" + account + "'@'%'");
        Sql.execute(db, grants);
        var server = SharedInfra.database();
        return new io.restorepoint.engine.connect.DatabaseEndpoint(server.host(), server.port(), account, "pw");
    }

    /** A fresh database with the schema and data above; its name. */
    @Test
    void indexesBuiltAfterTheRowsGiveEveryTableItsDumpedDefinition() throws Exception {
        String live = populated("deferred");
        FileSystemArtifactStore store = new FileSystemArtifactStore(storeDir, 1);
        ArtifactId id = new ArtifactId("deferred", 1);
        Manifest manifest = new Dumper(EngineFixtures.endpoint().connectionFactory(null), store, DumpOptions.defaults())
                .dump(new DumpRequest(id, "dump", live), new DumpProgress()).block(Duration.ofMinutes(2));
        Map<String, String> before = new java.util.TreeMap<>();
        for (Manifest.Table table : manifest.tables()) {
            before.put(table.name(), String.valueOf(Sql.query(SharedInfra.database().connectionFactory(live),
                    "SHOW CREATE TABLE " + io.restorepoint.engine.sql.Identifiers.quote(table.name())).get(0).get("Create Table")));
        }

        // every table, however small, gets its indexes and foreign keys after its rows
        Loader loader = new Loader(EngineFixtures.endpoint().connectionFactory(null), store,
                new LoadOptions(2).withDeferIndexesFromRows(0));
        loader.load(id, manifest, live + "_shadow", live, new LoadProgress()).block(Duration.ofMinutes(2));

        var shadow = SharedInfra.database().connectionFactory(live + "_shadow");
        for (Map.Entry<String, String> table : before.entrySet()) {
            String now = String.valueOf(Sql.query(shadow, "SHOW CREATE TABLE "
                    + io.restorepoint.engine.sql.Identifiers.quote(table.getKey())).get(0).get("Create Table"));
            assertThat(io.restorepoint.engine.load.DeferredIndexes.sameDefinition(now, table.getValue()))
                    .as("%s:%n%s%nwas%n%s", table.getKey(), now, table.getValue()).isTrue();
        }
        Map<String, Object> liveTables = new java.util.HashMap<>(LoaderIT.checksums(live));
        liveTables.keySet().retainAll(before.keySet()); // views and the sequence come with the swap
        assertThat(LoaderIT.checksums(live + "_shadow")).isEqualTo(liveTables);
        // the deferred indexes work: full-text, spatial, the foreign key (checks on), the hash-unique key
        assertThat(Sql.query(shadow, "SELECT id FROM customer WHERE MATCH(name) AGAINST ('Ana')")).hasSize(1);
        assertThat(Sql.query(shadow, "SELECT id FROM place WHERE MBRContains(ST_GeomFromText('POLYGON((0 0,0 5,5 5,5 0,0 0))'), at)"))
                .hasSize(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Sql.execute(shadow,
                "INSERT INTO `order` (customer_id, qty, price) VALUES (999, 1, 1.00)")).hasMessageContaining("foreign key");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Sql.execute(shadow,
                "INSERT INTO customer (name, email) VALUES ('twin', 'ana@example.com')")).hasMessageContaining("Duplicate");
        loader.drop(live + "_shadow").block();
    }

    private static String populated(String name) {
        String live = SharedInfra.freshDatabase(name);
        var db = SharedInfra.database().connectionFactory(live);
        install(db);
        Sql.execute(db, DATA);
        return live;
    }

    /** A fresh database with the schema and data above, and its backup. */
    private Backup backup(String name) {
        return backupWith(name);
    }

    /** As {@link #backup}, with {@code extra} statements run before the backup. */
    private Backup backupWith(String name, String... extra) {
        String live = populated(name);
        var db = SharedInfra.database().connectionFactory(live);
        Sql.execute(db, extra);
        FileSystemArtifactStore store = new FileSystemArtifactStore(storeDir, 1);
        ArtifactId id = new ArtifactId(name.replace('_', '-'), 1);
        Manifest manifest = new Dumper(EngineFixtures.endpoint().connectionFactory(null), store, DumpOptions.defaults())
                .dump(new DumpRequest(id, "dump", live), new DumpProgress()).block(Duration.ofMinutes(2));
        return new Backup(live, db, store, id, manifest);
    }

    /** Every object but base tables, as the server shows it (DEFINER and all), by kind and name. */
    static Map<String, String> objects(String schema) {
        return Sql.objectDefinitions(SharedInfra.database().connectionFactory(null), schema);
    }
}
