package io.restorepoint.engine.artifact;

import java.time.Instant;
import java.util.List;

/**
 * The manifest of a backup artifact, format v3 ({@code docs/artifact-format.md}; v1 and v2 artifacts,
 * which hold base tables only, are still read). It is written last: an artifact without one is incomplete
 * and never listed or restored.
 *
 * @param formatVersion {@link ArtifactFormat#VERSION}, {@link ArtifactFormat#ENCRYPTED_VERSION} when encrypted
 * @param tool          producer and its version
 * @param project       project gid
 * @param version       backup version
 * @param jobToken      the job that wrote it
 * @param database      the source database name
 * @param startedAt     when the snapshot was taken
 * @param completedAt   when the last chunk was written
 * @param server        the source server
 * @param consistency   how the snapshot was made consistent, and where it stands in the binlog
 * @param tables        every base table, by name
 * @param totalRows     rows over all tables
 * @param totalBytes    stored bytes over all files
 * @param encryption    how the files (all but this manifest) are encrypted; null when they are not
 * @param objects       every schema object other than a base table (views, triggers, routines, events,
 *                      sequences), in the order a restore creates them; null in a format 1 or 2 artifact,
 *                      which did not capture them
 * @param skipped       objects the backup left out because the account could not read them, when the operator
 *                      opted into that ({@code RP_BACKUP_SKIP_UNREADABLE_OBJECTS}); null or empty: none
 */
public record Manifest(
        int formatVersion,
        String tool,
        String project,
        int version,
        String jobToken,
        String database,
        Instant startedAt,
        Instant completedAt,
        Server server,
        Consistency consistency,
        List<Table> tables,
        long totalRows,
        long totalBytes,
        Encryption encryption,
        List<ObjectEntry> objects,
        List<SkippedObject> skipped) {

    public Manifest(int formatVersion, String tool, String project, int version, String jobToken, String database,
            Instant startedAt, Instant completedAt, Server server, Consistency consistency, List<Table> tables, long totalRows,
            long totalBytes, Encryption encryption, List<ObjectEntry> objects) {
        this(formatVersion, tool, project, version, jobToken, database, startedAt, completedAt, server, consistency, tables,
                totalRows, totalBytes, encryption, objects, null);
    }

    /** This manifest with its encryption (and the format version that goes with it) recorded. */
    public Manifest withEncryption(int formatVersion, Encryption encryption) {
        return new Manifest(formatVersion, tool, project, version, jobToken, database, startedAt, completedAt, server,
                consistency, tables, totalRows, totalBytes, encryption, objects, skipped);
    }

    /** The objects left out, never null. */
    public List<SkippedObject> skippedObjects() {
        return skipped == null ? List.of() : skipped;
    }

    /**
     * An object, or every object of a kind, the backup left out because the account could not read it.
     *
     * @param kind   as in {@link ObjectEntry#kind()}
     * @param name   its name; {@code *} when the account may not see objects of this kind at all
     * @param reason why, as the server or the privilege check said
     */
    public record SkippedObject(String kind, String name, String reason) {
    }

    /** Whether the artifact holds the schema objects, or (format 1, 2) base tables only. */
    public boolean capturesObjects() {
        return objects != null;
    }

    /**
     * A schema object other than a base table.
     *
     * @param kind   {@code sequence}, {@code view}, {@code function}, {@code procedure}, {@code trigger} or {@code event}
     * @param name   its name
     * @param table  the table of a trigger (null for other kinds)
     * @param file   path of its definition ({@code objects/<kind>/<name>.json}: statement and session context)
     * @param sha256 SHA-256 of that file
     */
    public record ObjectEntry(String kind, String name, String table, String file, String sha256) {
    }

    /**
     * @param algorithm {@value io.restorepoint.engine.artifact.crypto.Keyring#ALGORITHM}
     * @param keyId     the id of the key the files are encrypted with (never the key itself)
     */
    public record Encryption(String algorithm, String keyId) {
    }

    /**
     * @param version the server's {@code VERSION()}
     * @param flavor  {@code mariadb} or {@code mysql}
     */
    public record Server(String version, String flavor) {
    }

    /**
     * @param method         {@code compared-snapshots} (parallel connections, equal binlog positions, no lock),
     *                       {@code database-locked-snapshot} (started under a brief LOCK TABLES READ of the
     *                       database's tables), {@code synchronized-snapshot} (under a brief global read lock)
     *                       or {@code single-transaction} (one connection)
     * @param note           why the dump fell back (to the table lock, or to one connection), if it did
     * @param binlogFile     binlog file at the snapshot, when the server logs and the account may read it
     * @param binlogPosition binlog position at the snapshot
     * @param gtidSet        GTID position at the snapshot
     * @param lockMillis     how long the lock was held (null: none was taken)
     * @param connections    connections that read the data
     */
    public record Consistency(String method, String note, String binlogFile, Long binlogPosition, String gtidSet,
            Long lockMillis, int connections) {
    }

    /**
     * @param name         table name
     * @param schemaFile   path of its {@code CREATE TABLE} statement
     * @param schemaSha256 SHA-256 of that file
     * @param rows         rows dumped
     * @param columns      every column, generated ones included (they are in the DDL, not the data)
     * @param primaryKey   primary key columns
     * @param chunks       data files in key order
     * @param rowChecksum  the sum (mod 2^64, hex) of a CRC-32C of each row as encoded in the chunks, whatever
     *                     their order ({@code InsertEncoder}); a verify reads the loaded copy back and compares.
     *                     Null in artifacts written before format 3
     */
    public record Table(String name, String schemaFile, String schemaSha256, long rows, List<Column> columns,
            List<String> primaryKey, List<Chunk> chunks, String rowChecksum) {

        public Table(String name, String schemaFile, String schemaSha256, long rows, List<Column> columns,
                List<String> primaryKey, List<Chunk> chunks) {
            this(name, schemaFile, schemaSha256, rows, columns, primaryKey, chunks, null);
        }
    }

    /** A column: name, full type, nullability, and whether it is generated (not in the data). */
    public record Column(String name, String type, boolean nullable, boolean generated) {
    }

    /**
     * One data file.
     *
     * @param file   path inside the artifact
     * @param rows   rows in it
     * @param bytes  stored (compressed) size
     * @param sha256 SHA-256 of the stored bytes
     * @param range  the key range it holds ({@code `id` >= 1 AND `id` < 250001}); null for a whole table
     */
    public record Chunk(String file, long rows, long bytes, String sha256, String range) {
    }
}
