package io.restorepoint.engine.schema;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Readable;
import io.restorepoint.engine.SchemaObjectException;
import io.restorepoint.engine.sql.Identifiers;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.function.Function;

/**
 * Reads every schema object of a database that is not a base table: sequences (MariaDB), views, stored
 * functions and procedures, triggers (in their firing order) and events, each as {@code SHOW CREATE}
 * prints it with the session context it was created under. Run inside the dump's snapshot connection, so
 * the objects are those of the moment the data is from (DDL is not transactional: a definition changed
 * during the dump is read as it is when this runs, right after the snapshot is taken). An object whose
 * definition cannot be read (no privilege: {@code SHOW CREATE PROCEDURE} then gives no body) fails the read
 * with its name, and an account that lacks a privilege the server needs to show a kind of object at all
 * fails the read before anything is read ({@link ReadPrivileges}): a backup never leaves one out silently.
 * The read makes {@code database} the connection's default database.
 */
public final class SchemaObjects {

    private SchemaObjects() {
    }

    public static Mono<List<SchemaObject>> read(Connection connection, String database) {
        // with the database as the session's default, SHOW CREATE VIEW names the view and the tables of the
        // same database unqualified, so the definition can be created in another schema (a verify's copy)
        return Flux.from(connection.createStatement("USE " + Identifiers.quote(database)).execute())
                .concatMap(io.r2dbc.spi.Result::getRowsUpdated)
                .then(ReadPrivileges.check(connection, database))
                .thenMany(sequences(connection, database))
                .concatWith(views(connection, database))
                .concatWith(routines(connection, database, SchemaObject.FUNCTION))
                .concatWith(routines(connection, database, SchemaObject.PROCEDURE))
                .concatWith(triggers(connection, database))
                .concatWith(events(connection, database))
                .collectList();
    }

    private static Flux<SchemaObject> sequences(Connection connection, String database) {
        return names(connection, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? "
                + "AND TABLE_TYPE = 'SEQUENCE' ORDER BY TABLE_NAME", database)
                .concatMap(name -> show(connection, "SHOW CREATE SEQUENCE " + Identifiers.quote(database, name),
                                row -> text(row, 1))
                        .zipWith(show(connection, "SELECT next_not_cached_value FROM " + Identifiers.quote(database, name),
                                row -> row.get(0, Number.class).longValue()))
                        .map(t -> new SchemaObject(SchemaObject.SEQUENCE, name, null, required(SchemaObject.SEQUENCE, name, t.getT1()),
                                null, null, null, null, t.getT2()))
                        .onErrorMap(e -> wrap(SchemaObject.SEQUENCE, name, e)));
    }

    private static Flux<SchemaObject> views(Connection connection, String database) {
        return names(connection, "SELECT TABLE_NAME FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME", database)
                .concatMap(name -> show(connection, "SHOW CREATE VIEW " + Identifiers.quote(database, name),
                                row -> new SchemaObject(SchemaObject.VIEW, name, null, required(SchemaObject.VIEW, name, text(row, 1)),
                                        null, text(row, 2), text(row, 3), null, null))
                        .onErrorMap(e -> wrap(SchemaObject.VIEW, name, e)));
    }

    private static Flux<SchemaObject> routines(Connection connection, String database, String kind) {
        return names(connection, "SELECT ROUTINE_NAME FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? AND ROUTINE_TYPE = '"
                + kind.toUpperCase(java.util.Locale.ROOT) + "' ORDER BY ROUTINE_NAME", database)
                .concatMap(name -> show(connection, "SHOW CREATE " + kind.toUpperCase(java.util.Locale.ROOT) + " "
                                + Identifiers.quote(database, name),
                                row -> new SchemaObject(kind, name, null, required(kind, name, text(row, 2)), text(row, 1),
                                        text(row, 3), text(row, 4), null, null))
                        .onErrorMap(e -> wrap(kind, name, e)));
    }

    private static Flux<SchemaObject> triggers(Connection connection, String database) {
        return Flux.from(connection.createStatement("SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE FROM information_schema.TRIGGERS "
                        + "WHERE TRIGGER_SCHEMA = ? ORDER BY EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER")
                        .bind(0, database).execute())
                .concatMap(result -> result.map(row -> new String[] {row.get(0, String.class), row.get(1, String.class)}))
                .collectList()
                .flatMapMany(Flux::fromIterable)
                .concatMap(t -> show(connection, "SHOW CREATE TRIGGER " + Identifiers.quote(database, t[0]),
                                row -> new SchemaObject(SchemaObject.TRIGGER, t[0], t[1], required(SchemaObject.TRIGGER, t[0], text(row, 2)),
                                        text(row, 1), text(row, 3), text(row, 4), null, null))
                        .onErrorMap(e -> wrap(SchemaObject.TRIGGER, t[0], e)));
    }

    private static Flux<SchemaObject> events(Connection connection, String database) {
        return names(connection, "SELECT EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ? ORDER BY EVENT_NAME", database)
                .concatMap(name -> show(connection, "SHOW CREATE EVENT " + Identifiers.quote(database, name),
                                row -> new SchemaObject(SchemaObject.EVENT, name, null, required(SchemaObject.EVENT, name, text(row, 3)),
                                        text(row, 1), text(row, 4), text(row, 5), text(row, 2), null))
                        .onErrorMap(e -> wrap(SchemaObject.EVENT, name, e)));
    }

    /** The names first, then one SHOW per name: a connection runs one exchange at a time. */
    private static Flux<String> names(Connection connection, String sql, String database) {
        return Flux.from(connection.createStatement(sql).bind(0, database).execute())
                .concatMap(result -> result.map(row -> row.get(0, String.class)))
                .collectList()
                .flatMapMany(Flux::fromIterable);
    }

    private static <T> Mono<T> show(Connection connection, String sql, Function<Readable, T> mapper) {
        return Flux.from(connection.createStatement(sql).execute())
                .concatMap(result -> result.map(mapper::apply))
                .single();
    }

    private static String text(Readable row, int index) {
        Object value = row.get(index);
        if (value == null) {
            return null;
        }
        return value instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8) : value.toString();
    }

    private static String required(String kind, String name, String statement) {
        if (statement == null || statement.isBlank()) {
            throw new SchemaObjectException(kind, name, "the server shows no definition (the account may lack the privilege "
                    + "to read it, e.g. SHOW VIEW, or SELECT on mysql.proc / SHOW_ROUTINE); the backup cannot hold it");
        }
        return statement;
    }

    private static Throwable wrap(String kind, String name, Throwable e) {
        return e instanceof SchemaObjectException ? e : new SchemaObjectException(kind, name, e);
    }
}
