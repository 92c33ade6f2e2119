package io.restorepoint.engine.stats;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.restorepoint.engine.schema.SchemaReader;
import io.restorepoint.engine.schema.TableInfo;
import io.restorepoint.engine.sql.Identifiers;
import io.restorepoint.engine.sql.Statements;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exact row counts of every table of a database (one consistent snapshot, {@code COUNT(*)} each, not
 * the catalog's estimates) and its size on disk (data + indexes, from the catalog).
 */
public final class DatabaseStats {

    private final ConnectionFactory server;

    public DatabaseStats(ConnectionFactory server) {
        this.server = server;
    }

    /**
     * @param tables rows per table, in table name order
     * @param bytes  data + index bytes
     */
    public record Stats(Map<String, Long> tables, long bytes) {
    }

    public Mono<Stats> of(String database) {
        return Mono.usingWhen(Mono.from(server.create()), connection -> read(connection, database),
                connection -> Statements.execute(connection, "ROLLBACK").then(Mono.from(connection.close())),
                (connection, e) -> Mono.from(connection.close()), connection -> Mono.from(connection.close()));
    }

    private static Mono<Stats> read(Connection connection, String database) {
        return Statements.execute(connection, "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                .then(Statements.execute(connection, "START TRANSACTION WITH CONSISTENT SNAPSHOT"))
                .then(SchemaReader.tables(connection, database))
                .flatMap(tables -> Flux.fromIterable(tables)
                        .concatMap(table -> Statements.query(connection, "SELECT COUNT(*) FROM " + Identifiers.quote(database, table.name()),
                                row -> Map.entry(table.name(), row.get(0, Number.class).longValue())))
                        .collectMap(Map.Entry::getKey, Map.Entry::getValue, LinkedHashMap::new)
                        .map(counts -> new Stats(counts, tables.stream().mapToLong(TableInfo::dataBytes).sum())));
    }
}
