package io.restorepoint.engine.export;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.restorepoint.engine.schema.ColumnInfo;
import io.restorepoint.engine.schema.SchemaReader;
import io.restorepoint.engine.schema.TableInfo;
import io.restorepoint.engine.sql.Identifiers;
import io.restorepoint.engine.sql.Statements;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Streams a whole database as one JSON document, the table export format of the scrap-tracking API:
 * <pre>{"exportDate":"…","version":"2.0","server":"restorepoint","project":"…","database":"…",
 *  "data":{"areas":[{…},…],…},"counts":{"areas":15,…}}</pre>
 * All tables are read in one consistent snapshot, parents before the tables that reference them, and
 * written out in pieces of about 64 KiB as rows arrive: memory stays flat, and the first bytes leave
 * as soon as the snapshot is open.
 */
public final class Exporter {

    /** The document format version written, and the versions an import accepts. */
    public static final String FORMAT_VERSION = "2.0";
    public static final String SERVER = "restorepoint";

    private static final int PIECE = 64 * 1024;

    private final ConnectionFactory server;

    public Exporter(ConnectionFactory server) {
        this.server = server;
    }

    /**
     * @param excluded tables left out (the session table)
     */
    public Flux<byte[]> export(String project, String database, Set<String> excluded) {
        Map<String, AtomicLong> counts = new LinkedHashMap<>();
        return Flux.usingWhen(Mono.from(server.create()),
                connection -> Statements.execute(connection, "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                        .then(Statements.execute(connection, "START TRANSACTION WITH CONSISTENT SNAPSHOT"))
                        // the header leaves as soon as the snapshot is open; the catalog is read after it
                        .thenMany(Flux.concat(Mono.just(header(project, database)),
                                SchemaReader.tables(connection, database)
                                        .zipWhen(tables -> SchemaReader.references(connection, database))
                                        .flatMapMany(t -> body(connection, database,
                                                SchemaReader.parentsFirst(t.getT1(), t.getT2()).stream()
                                                        .filter(table -> !excluded.contains(table.name())).toList(), counts)),
                                Mono.fromSupplier(() -> footer(counts)))),
                connection -> Statements.execute(connection, "ROLLBACK").then(Mono.from(connection.close())),
                (connection, error) -> Mono.from(connection.close()),
                connection -> Mono.from(connection.close()));
    }

    private static byte[] header(String project, String database) {
        return ("{\"exportDate\":\"" + Instant.now() + "\",\"version\":\"" + FORMAT_VERSION
                + "\",\"server\":\"" + SERVER + "\",\"project\":" + quoted(project) + ",\"database\":" + quoted(database)
                + ",\"data\":{").getBytes(StandardCharsets.UTF_8);
    }

    private Flux<byte[]> body(Connection connection, String database, List<TableInfo> tables, Map<String, AtomicLong> counts) {
        return Flux.range(0, tables.size())
                .concatMap(i -> table(connection, database, tables.get(i), i == 0,
                        counts.computeIfAbsent(tables.get(i).name(), k -> new AtomicLong())));
    }

    private static byte[] footer(Map<String, AtomicLong> counts) {
        StringBuilder out = new StringBuilder("},\"counts\":{");
        int i = 0;
        for (Map.Entry<String, AtomicLong> e : counts.entrySet()) {
            out.append(i++ == 0 ? "" : ",").append(quoted(e.getKey())).append(':').append(e.getValue().get());
        }
        return out.append("}}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private Flux<byte[]> table(Connection connection, String database, TableInfo table, boolean first, AtomicLong count) {
        List<ColumnInfo> columns = table.dataColumns();
        JsonRowEncoder encoder = new JsonRowEncoder(columns);
        String sql = "SELECT " + Identifiers.columnList(columns.stream().map(ColumnInfo::name).toList())
                + " FROM " + Identifiers.quote(database, table.name());
        Pieces pieces = new Pieces();
        pieces.buffer.write(((first ? "" : ",") + quoted(table.name()) + ":[").getBytes(StandardCharsets.UTF_8));
        return Flux.from(connection.createStatement(sql).execute())
                .concatMap(result -> result.map(row -> {
                    if (count.getAndIncrement() > 0) {
                        pieces.buffer.write(',');
                    }
                    encoder.write(row, pieces.buffer);
                    return pieces.takeIfFull();
                }))
                .filter(piece -> piece.length > 0)
                .concatWith(Mono.fromSupplier(() -> {
                    pieces.buffer.write(']');
                    return pieces.take();
                }));
    }

    /** Accumulates encoded rows and hands them out in pieces of about {@link #PIECE} bytes. */
    private static final class Pieces {
        private static final byte[] NONE = new byte[0];
        private final JsonBytes buffer = new JsonBytes(PIECE + 8192);

        byte[] takeIfFull() {
            return buffer.size() >= PIECE ? buffer.take() : NONE;
        }

        byte[] take() {
            return buffer.take();
        }
    }

    static String quoted(String value) {
        JsonBytes out = new JsonBytes(value.length() + 16);
        out.string(value.getBytes(StandardCharsets.UTF_8));
        return new String(out.take(), StandardCharsets.UTF_8);
    }
}
