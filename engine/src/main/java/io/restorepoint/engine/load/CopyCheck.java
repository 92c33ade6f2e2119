package io.restorepoint.engine.load;

import io.r2dbc.spi.Connection;
import io.restorepoint.engine.SchemaObjectException;
import io.restorepoint.engine.TableException;
import io.restorepoint.engine.artifact.Manifest;
import io.restorepoint.engine.dump.InsertEncoder;
import io.restorepoint.engine.schema.ColumnInfo;
import io.restorepoint.engine.schema.SchemaObject;
import io.restorepoint.engine.schema.SchemaObjects;
import io.restorepoint.engine.schema.SchemaReader;
import io.restorepoint.engine.schema.TableInfo;
import io.restorepoint.engine.sql.Identifiers;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Compares a loaded copy of a backup (a verify's scratch schema) with the backup itself:
 * <ul>
 *   <li>rows: every table is read back through the dump's own encoder and its row count and row checksum
 *       ({@link Manifest.Table#rowChecksum()}) must equal the manifest's, so a value that changed on the
 *       way (a lost row, a truncated BLOB, a decimal rounded, a character set conversion) is found;</li>
 *   <li>objects: the backup's views, triggers, routines and sequences are created in the copy as a restore
 *       creates them, read back with {@code SHOW CREATE}, and every definition (DEFINER aside, which the
 *       restore's policy decides) and session context must equal the backup's, and the copy must hold no
 *       other. Events are not created: an enabled event would start running in the copy; their files are
 *       checked against the manifest's checksums only.</li>
 * </ul>
 */
final class CopyCheck {

    private CopyCheck() {
    }

    /** Completes when the copy equals the backup; fails with the first difference, naming the table or object. */
    static Mono<Void> compare(Connection connection, Manifest manifest, String copy, List<SchemaObject> objects) {
        return rows(connection, manifest, copy).then(objects(connection, copy, objects));
    }

    private static Mono<Void> rows(Connection connection, Manifest manifest, String copy) {
        return SchemaReader.tables(connection, copy)
                .map(tables -> tables.stream().collect(Collectors.toMap(TableInfo::name, Function.identity())))
                .flatMapMany(tables -> Flux.fromIterable(manifest.tables())
                        .filter(t -> t.rowChecksum() != null)
                        .concatMap(expected -> {
                            TableInfo table = tables.get(expected.name());
                            if (table == null) {
                                return Mono.error(new TableException(expected.name(), "the loaded copy does not have this table"));
                            }
                            return checksum(connection, copy, table).flatMap(actual -> {
                                if (actual[0] != expected.rows() || !Long.toUnsignedString(actual[1], 16).equals(expected.rowChecksum())) {
                                    return Mono.error(new TableException(expected.name(), "the loaded copy differs from the backup ("
                                            + actual[0] + " rows, row checksum " + Long.toUnsignedString(actual[1], 16) + "; the backup has "
                                            + expected.rows() + " rows, row checksum " + expected.rowChecksum() + ")"));
                                }
                                return Mono.empty();
                            });
                        }))
                .then();
    }

    /** Rows and row checksum of one table, read as the dump reads it. */
    static Mono<long[]> checksum(Connection connection, String schema, TableInfo table) {
        List<ColumnInfo> columns = table.dataColumns();
        InsertEncoder encoder = new InsertEncoder(table.name(), columns, 1000, 1 << 20);
        OutputStream discard = OutputStream.nullOutputStream();
        String sql = "SELECT " + Identifiers.columnList(columns.stream().map(ColumnInfo::name).toList()) + " FROM "
                + Identifiers.quote(schema, table.name());
        return Flux.from(connection.createStatement(sql).execute())
                .concatMap(result -> result.map(row -> {
                    try {
                        encoder.row(row, discard);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return Boolean.TRUE;
                }))
                .count()
                .map(rows -> new long[] {rows, encoder.checksum()})
                .onErrorMap(e -> !(e instanceof TableException), e -> new TableException(table.name(), e));
    }

    /**
     * The objects are created as the checking account (their DEFINER is not compared: a restore's policy decides
     * it), so a backup whose definers this server does not know is still verified; they are read back with
     * the kinds the account may not see left out, which then count as missing from the copy.
     */
    private static Mono<Void> objects(Connection connection, String copy, List<SchemaObject> objects) {
        List<SchemaObject> created = objects.stream().filter(o -> !o.kind().equals(SchemaObject.EVENT)).toList();
        return ObjectScripts.create(connection, copy, created, DefinerPolicy.RESTORING_ACCOUNT)
                .then(SchemaObjects.readSkipping(connection, copy).map(SchemaObjects.Read::objects))
                .flatMap(present -> {
                    Map<String, SchemaObject> expected = byKey(created);
                    Map<String, SchemaObject> actual = byKey(present.stream().filter(o -> !o.kind().equals(SchemaObject.EVENT)).toList());
                    TreeSet<String> extra = new TreeSet<>(actual.keySet());
                    extra.removeAll(expected.keySet());
                    if (!extra.isEmpty()) {
                        return Mono.error(new SchemaObjectException("database", copy, "the loaded copy has objects the backup "
                                + "does not list: " + extra));
                    }
                    List<String> differences = new ArrayList<>();
                    expected.forEach((key, want) -> {
                        SchemaObject got = actual.get(key);
                        String difference = got == null ? "missing from the loaded copy" : difference(want, got);
                        if (difference != null) {
                            differences.add(key + ": " + difference);
                        }
                    });
                    if (!differences.isEmpty()) {
                        return Mono.error(new SchemaObjectException("database", copy, "the loaded copy differs from the backup: "
                                + String.join("; ", differences)));
                    }
                    return Mono.<Void>empty();
                });
    }

    private static Map<String, SchemaObject> byKey(List<SchemaObject> objects) {
        Map<String, SchemaObject> out = new TreeMap<>();
        objects.forEach(o -> out.put(o.kind() + " " + o.name(), o));
        return out;
    }

    /** What differs between the backup's object and the one created from it; null when they are the same. */
    static String difference(SchemaObject want, SchemaObject got) {
        if (!withoutDefiner(want.statement()).equals(withoutDefiner(got.statement()))) {
            return "its definition reads back as «" + got.statement() + "», not «" + want.statement() + "»";
        }
        if (!Objects.equals(want.sqlMode(), got.sqlMode())) {
            return "sql_mode " + got.sqlMode() + ", not " + want.sqlMode();
        }
        if (!Objects.equals(want.characterSetClient(), got.characterSetClient())
                || !Objects.equals(want.collationConnection(), got.collationConnection())) {
            return "character set " + got.characterSetClient() + "/" + got.collationConnection() + ", not "
                    + want.characterSetClient() + "/" + want.collationConnection();
        }
        if (!Objects.equals(want.table(), got.table())) {
            return "on table " + got.table() + ", not " + want.table();
        }
        if (!Objects.equals(want.nextValue(), got.nextValue())) {
            return "next value " + got.nextValue() + ", not " + want.nextValue();
        }
        return null;
    }

    private static String withoutDefiner(String statement) {
        return DefinerPolicy.RESTORING_ACCOUNT.apply(statement);
    }
}
