package io.restorepoint.engine.load;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.R2dbcException;
import io.restorepoint.engine.SchemaObjectException;
import io.restorepoint.engine.TableException;
import io.restorepoint.engine.schema.SchemaObject;
import io.restorepoint.engine.sql.Identifiers;
import io.restorepoint.engine.sql.Statements;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Drops and creates schema objects in a database, each created under the session context it was dumped
 * with (sql_mode, character set, collation, an event's time zone), so a trigger or routine body is parsed
 * as it was written. Views are created in rounds: a view that reads a view not created yet fails with
 * "doesn't exist" and is tried again in the next round, until every view is in or a round makes no
 * progress (then the error of the first view left is raised).
 */
final class ObjectScripts {

    /** ER_NO_SUCH_TABLE: a view reads a view (or table) that is not there yet. */
    private static final int NO_SUCH_TABLE = 1146;
    /** ER_BAD_FIELD_ERROR: a view reads a column that no longer exists. */
    private static final int BAD_FIELD = 1054;
    /** ER_SP_DOES_NOT_EXIST: a view calls a function that no longer exists. */
    private static final int NO_SUCH_FUNCTION = 1305;
    /** ER_NO_SUCH_USER: "The user specified as a definer ('x'@'%') does not exist". */
    private static final int ER_NO_SUCH_USER = 1449;
    /** ER_SPECIFIC_ACCESS_DENIED_ERROR: naming another definer needs SUPER / SET USER. */
    private static final int ER_SPECIFIC_ACCESS_DENIED = 1227;
    private static final String DEFAULT_MODE = Loader.SQL_MODE;

    private ObjectScripts() {
    }

    /** Drops {@code objects} from {@code schema}, later kinds first (events before triggers before routines …). */
    static Mono<Void> drop(Connection connection, String schema, List<SchemaObject> objects) {
        List<SchemaObject> order = new ArrayList<>(objects);
        order.sort(Comparator.comparingInt((SchemaObject o) -> SchemaObject.KINDS.indexOf(o.kind())).reversed());
        return reset(connection).thenMany(Flux.fromIterable(order))
                .concatMap(o -> Statements.execute(connection, "DROP " + o.keyword() + " IF EXISTS " + Identifiers.quote(schema, o.name()))
                        .onErrorMap(e -> new SchemaObjectException(o.kind(), o.name(), e)))
                .then();
    }

    /** Creates {@code objects} in {@code schema}, in {@link SchemaObject#KINDS} order. */
    /**
     * Puts back objects the database had (a failed swap's undo, or a tables-only restore's triggers): each as
     * it was, DEFINER kept, even one whose definer account no longer exists (it existed that way before). A
     * view that was already invalid (it reads a table, column or function that no longer exists) cannot be
     * created again by any server: it is left out and its name added to {@code unrecreatable}.
     */
    static Mono<Void> recreate(Connection connection, String schema, List<SchemaObject> objects, List<String> unrecreatable) {
        return create(connection, schema, objects, null, unrecreatable);
    }

    /** Creates {@code objects} in {@code schema}, in {@link SchemaObject#KINDS} order, with the {@code definers} policy. */
    static Mono<Void> create(Connection connection, String schema, List<SchemaObject> objects, DefinerPolicy definers) {
        return create(connection, schema, objects, definers, null);
    }

    /** @param definers the policy for a backup's objects; null: {@link #recreate} (kept, not checked) */
    private static Mono<Void> create(Connection connection, String schema, List<SchemaObject> objects, DefinerPolicy definers,
            List<String> unrecreatable) {
        if (objects.isEmpty()) {
            return Mono.empty();
        }
        List<SchemaObject> order = new ArrayList<>(objects);
        order.sort(Comparator.comparingInt((SchemaObject o) -> SchemaObject.KINDS.indexOf(o.kind()))); // stable: keeps trigger order
        List<SchemaObject> views = order.stream().filter(o -> o.kind().equals(SchemaObject.VIEW)).toList();
        List<SchemaObject> before = order.stream().filter(o -> o.kind().equals(SchemaObject.SEQUENCE)).toList();
        List<SchemaObject> after = order.stream()
                .filter(o -> !o.kind().equals(SchemaObject.VIEW) && !o.kind().equals(SchemaObject.SEQUENCE)).toList();
        return Statements.execute(connection, "USE " + Identifiers.quote(schema))
                .thenMany(Flux.fromIterable(before).concatMap(o -> createOne(connection, schema, o, definers)))
                .then(views(connection, schema, views, definers, unrecreatable))
                .thenMany(Flux.fromIterable(after).concatMap(o -> createOne(connection, schema, o, definers)))
                .then(reset(connection));
    }

    /** Back to the loader's session after objects set their own context (also before a drop that follows a failure). */
    static Mono<Void> reset(Connection connection) {
        return Statements.execute(connection, "SET NAMES utf8mb4")
                .then(Statements.execute(connection, "SET SESSION sql_mode = '" + DEFAULT_MODE + "', time_zone = '+00:00'"));
    }

    private static Mono<Void> views(Connection connection, String schema, List<SchemaObject> pending, DefinerPolicy definers,
            List<String> unrecreatable) {
        if (pending.isEmpty()) {
            return Mono.empty();
        }
        List<SchemaObject> missing = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();
        return Flux.fromIterable(pending)
                .concatMap(view -> createOne(connection, schema, view, definers)
                        .onErrorResume(e -> {
                            int code = errorCode(e);
                            if (code == NO_SUCH_TABLE || (unrecreatable != null && (code == BAD_FIELD || code == NO_SUCH_FUNCTION))) {
                                missing.add(view);
                                errors.add(e);
                                return Mono.empty();
                            }
                            return Mono.error(e);
                        }))
                .then(Mono.defer(() -> {
                    if (missing.isEmpty()) {
                        return Mono.empty();
                    }
                    if (missing.size() == pending.size()) {
                        if (unrecreatable != null) { // they were invalid already: nothing they read is there to be put back
                            missing.forEach(v -> unrecreatable.add(v.name()));
                            return reset(connection);
                        }
                        return Mono.error(errors.get(0)); // no progress: a view reads something the backup lacks
                    }
                    return views(connection, schema, missing, definers, unrecreatable);
                }));
    }

    private static Mono<Void> createOne(Connection connection, String schema, SchemaObject o, DefinerPolicy definers) {
        // sql_notes = 1: MySQL reports an unknown definer as a note, which is not kept otherwise
        StringBuilder session = new StringBuilder("SET SESSION sql_notes = 1, sql_mode = ")
                .append(Identifiers.stringLiteral(o.sqlMode() == null ? DEFAULT_MODE : o.sqlMode()));
        if (o.characterSetClient() != null) {
            session.append(", character_set_client = ").append(Identifiers.stringLiteral(o.characterSetClient()));
        }
        if (o.collationConnection() != null) {
            session.append(", collation_connection = ").append(Identifiers.stringLiteral(o.collationConnection()));
        }
        session.append(", time_zone = ").append(Identifiers.stringLiteral(o.timeZone() == null ? "+00:00" : o.timeZone()));
        Mono<Void> create = Statements.execute(connection, session.toString())
                .then(Statements.execute(connection, (definers == null ? DefinerPolicy.KEEP : definers).apply(o.statement())))
                .then(definers == null ? Mono.empty() : unknownDefiner(connection, o));
        if (o.kind().equals(SchemaObject.SEQUENCE) && o.nextValue() != null) {
            // the next value the sequence hands out, as in the source at the snapshot
            create = create.then(Statements.execute(connection, "DO SETVAL(" + Identifiers.quote(schema, o.name()) + ", "
                    + o.nextValue() + ", 0)"));
        }
        return create.onErrorMap(e -> e instanceof SchemaObjectException ? e : definerProblem(o, e, definers));
    }

    /**
     * An account with SUPER / SET USER may name a definer the server does not know: the object is created
     * with only a warning, and fails each time it is used. A restore that would leave such an object fails
     * instead, with the same advice as the error an account without SUPER gets.
     */
    private static Mono<Void> unknownDefiner(Connection connection, SchemaObject o) {
        return Statements.query(connection, "SHOW WARNINGS", row -> new Object[] {row.get(1, Number.class), row.get(2, String.class)})
                .filter(w -> w[0] != null && ((Number) w[0]).intValue() == ER_NO_SUCH_USER)
                .next()
                .flatMap(w -> Mono.error(new SchemaObjectException(o.kind(), o.name(), w[1] + DEFINER_ADVICE)));
    }

    private static final String DEFINER_ADVICE = " (the backup keeps each object's definer; create that account on this server, "
            + "give the restoring account SET USER / SUPER, or restore with definers \"restoring_account\" so that the objects "
            + "run as the restoring account)";

    /** The server's error, with what to do when it is about the object's DEFINER. */
    private static SchemaObjectException definerProblem(SchemaObject o, Throwable e, DefinerPolicy definers) {
        int code = errorCode(e);
        if (definers == DefinerPolicy.KEEP && (code == ER_NO_SUCH_USER || code == ER_SPECIFIC_ACCESS_DENIED)) {
            return new SchemaObjectException(o.kind(), o.name(), TableException.rootMessage(e) + DEFINER_ADVICE);
        }
        return new SchemaObjectException(o.kind(), o.name(), e);
    }

    private static int errorCode(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof R2dbcException r) {
                return r.getErrorCode();
            }
        }
        return 0;
    }
}
