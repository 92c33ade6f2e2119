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
 *
 * <p>Where the operator opted in ({@link #readSkipping}), every object of a kind the account lacks the
 * privilege to see is left out and reported as {@link Unreadable} instead.
 */
public final class SchemaObjects {

    /** An object (or, with name {@code *}, every object of a kind) that could not be read, and why. */
    public record Unreadable(String kind, String name, String reason) {
    }

    /** What a read found: the objects, in {@link SchemaObject#KINDS} order, and what it left out. */
    public record Read(List<SchemaObject> objects, List<Unreadable> unreadable) {
    }

    private final Connection connection;
    private final String database;
    private final boolean checked;
    private final List<Unreadable> unreadable = new java.util.ArrayList<>();

    private SchemaObjects(Connection connection, String database, boolean checked) {
        this.connection = connection;
        this.database = database;
        this.checked = checked;
    }

    /**
     * Every object; fails when the account may not see every kind (naming the privileges it lacks) or on the
     * first object that cannot be read, naming it.
     */
    public static Mono<List<SchemaObject>> read(Connection connection, String database) {
        return new SchemaObjects(connection, database, false).run(java.util.Set.of()).map(Read::objects);
    }

    /**
     * Every object of the kinds the account may see; the kinds it may not see (it lacks SHOW VIEW, TRIGGER,
     * EVENT or the right to read routine bodies) are listed as unreadable, with name {@code *}, instead of
     * failing the read. An account that may not see every table (no SELECT on the database) still fails: a
     * table cannot be left out. A single object that cannot be read still fails the read, naming it.
     */
    public static Mono<Read> readSkipping(Connection connection, String database) {
        SchemaObjects reader = new SchemaObjects(connection, database, true);
        return use(connection, database)
                .then(ReadPrivileges.checkTables(connection, database))
                .then(ReadPrivileges.missingKinds(connection, database))
                .flatMap(missing -> {
                    missing.forEach((kind, privilege) -> reader.unreadable.add(new Unreadable(kind, "*",
                            "the backup account lacks " + privilege + ", so the server shows it no " + kind + " of this database")));
                    return reader.run(missing.keySet());
                });
    }

    private Mono<Read> run(java.util.Set<String> leftOut) {
        Mono<Void> before = checked ? Mono.empty() : use(connection, database).then(ReadPrivileges.check(connection, database));
        return before
                .thenMany(leftOut.contains(SchemaObject.SEQUENCE) ? Flux.empty() : sequences())
                .concatWith(leftOut.contains(SchemaObject.VIEW) ? Flux.empty() : views())
                .concatWith(leftOut.contains(SchemaObject.FUNCTION) ? Flux.empty() : routines(SchemaObject.FUNCTION))
                .concatWith(leftOut.contains(SchemaObject.PROCEDURE) ? Flux.empty() : routines(SchemaObject.PROCEDURE))
                .concatWith(leftOut.contains(SchemaObject.TRIGGER) ? Flux.empty() : triggers())
                .concatWith(leftOut.contains(SchemaObject.EVENT) ? Flux.empty() : events())
                .collectList()
                .map(objects -> new Read(objects, List.copyOf(unreadable)));
    }

    // with the database as the session's default, SHOW CREATE VIEW names the view and the tables of the
    // same database unqualified, so the definition can be created in another schema (a verify's copy)
    private static Mono<Void> use(Connection connection, String database) {
        return Flux.from(connection.createStatement("USE " + Identifiers.quote(database)).execute())
                .concatMap(io.r2dbc.spi.Result::getRowsUpdated)
                .then();
    }

    /** One object's read: its failure names it. */
    private static Mono<SchemaObject> one(String kind, String name, Mono<SchemaObject> read) {
        return read.onErrorMap(e -> wrap(kind, name, e));
    }

    private Flux<SchemaObject> sequences() {
        return names("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? "
                + "AND TABLE_TYPE = 'SEQUENCE' ORDER BY TABLE_NAME")
                .concatMap(name -> one(SchemaObject.SEQUENCE, name, show("SHOW CREATE SEQUENCE " + Identifiers.quote(database, name),
                                row -> text(row, 1))
                        .zipWith(show("SELECT next_not_cached_value FROM " + Identifiers.quote(database, name),
                                row -> row.get(0, Number.class).longValue()))
                        .map(t -> new SchemaObject(SchemaObject.SEQUENCE, name, null, required(SchemaObject.SEQUENCE, name, t.getT1()),
                                null, null, null, null, t.getT2()))));
    }

    private Flux<SchemaObject> views() {
        return names("SELECT TABLE_NAME FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME")
                .concatMap(name -> one(SchemaObject.VIEW, name, show("SHOW CREATE VIEW " + Identifiers.quote(database, name),
                        row -> new SchemaObject(SchemaObject.VIEW, name, null, required(SchemaObject.VIEW, name, text(row, 1)),
                                null, text(row, 2), text(row, 3), null, null))));
    }


    private Flux<SchemaObject> routines(String kind) {
        String keyword = kind.toUpperCase(java.util.Locale.ROOT);
        return names("SELECT ROUTINE_NAME FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? AND ROUTINE_TYPE = '"
                + keyword + "' ORDER BY ROUTINE_NAME")
                .concatMap(name -> one(kind, name, show("SHOW CREATE " + keyword + " " + Identifiers.quote(database, name),
                        row -> new SchemaObject(kind, name, null, required(kind, name, text(row, 2)), text(row, 1),
                                text(row, 3), text(row, 4), null, null))));
    }

    private Flux<SchemaObject> triggers() {
        return Flux.from(connection.createStatement("SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE FROM information_schema.TRIGGERS "
                        + "WHERE TRIGGER_SCHEMA = ? ORDER BY EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER")
                        .bind(0, database).execute())
                .concatMap(result -> result.map(row -> new String[] {row.get(0, String.class), row.get(1, String.class)}))
                .collectList()
                .flatMapMany(Flux::fromIterable)
                .concatMap(t -> one(SchemaObject.TRIGGER, t[0], show("SHOW CREATE TRIGGER " + Identifiers.quote(database, t[0]),
                        row -> new SchemaObject(SchemaObject.TRIGGER, t[0], t[1], required(SchemaObject.TRIGGER, t[0], text(row, 2)),
                                text(row, 1), text(row, 3), text(row, 4), null, null))));
    }

    private Flux<SchemaObject> events() {
        return names("SELECT EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ? ORDER BY EVENT_NAME")
                .concatMap(name -> one(SchemaObject.EVENT, name, show("SHOW CREATE EVENT " + Identifiers.quote(database, name),
                        row -> new SchemaObject(SchemaObject.EVENT, name, null, required(SchemaObject.EVENT, name, text(row, 3)),
                                text(row, 1), text(row, 4), text(row, 5), text(row, 2), null))));
    }

    /** The names first, then one SHOW per name: a connection runs one exchange at a time. */
    private Flux<String> names(String sql) {
        return Flux.from(connection.createStatement(sql).bind(0, database).execute())
                .concatMap(result -> result.map(row -> row.get(0, String.class)))
                .collectList()
                .flatMapMany(Flux::fromIterable);
    }

    private <T> Mono<T> show(String sql, Function<Readable, T> mapper) {
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
