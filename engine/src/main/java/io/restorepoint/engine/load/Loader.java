package io.restorepoint.engine.load;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Result;
import io.restorepoint.engine.TableException;
import io.restorepoint.engine.artifact.ArtifactFormat;
import io.restorepoint.engine.artifact.ArtifactId;
import io.restorepoint.engine.artifact.ArtifactStore;
import io.restorepoint.engine.artifact.Manifest;
import io.restorepoint.engine.schema.SchemaObject;
import io.restorepoint.engine.schema.SchemaObjects;
import io.restorepoint.engine.schema.SchemaReader;
import io.restorepoint.engine.sql.Identifiers;
import io.restorepoint.engine.sql.Statements;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

/**
 * Loads an artifact into a schema of its own, the way myloader does: tables first (DDL as dumped), then
 * the data chunks over N connections in parallel, each INSERT statement committed on its own (so no
 * transaction holds more than one statement of at most 1000 rows), foreign key and unique checks off while
 * loading, and at the end every table's row count checked against the manifest. A restore then swaps the
 * loaded schema in with one {@code RENAME TABLE} (see {@link #swap}): readers see the old tables or the
 * new ones, never a mix; the views, triggers, routines, events and sequences of the backup replace the
 * database's in the same step.
 */
public final class Loader {

    private static final Logger log = LoggerFactory.getLogger(Loader.class);
    /** The sql_mode a load runs under (0 in an AUTO_INCREMENT column stays 0), and objects fall back to. */
    static final String SQL_MODE = "NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION";
    private static final String SESSION = "SET SESSION foreign_key_checks = 0, unique_checks = 0, "
            + "sql_mode = '" + SQL_MODE + "', time_zone = '+00:00'";

    private final ConnectionFactory server;
    private final ArtifactStore store;
    private final LoadOptions options;

    public Loader(ConnectionFactory server, ArtifactStore store, LoadOptions options) {
        this.server = server;
        this.store = store;
        this.options = options;
    }

    /** This loader with another DEFINER policy for the objects it creates (a restore request's choice); null keeps its own. */
    public Loader withDefiners(DefinerPolicy definers) {
        return definers == null || definers == options.definers() ? this
                : new Loader(server, store, options.withDefiners(definers));
    }

    /**
     * Verifies the artifact, then creates {@code target} (dropping a leftover of that name) with the
     * character set of {@code likeDatabase}, and loads every table into it.
     *
     * @return rows loaded
     */
    public Mono<Long> load(ArtifactId id, Manifest manifest, String target, String likeDatabase, LoadProgress progress) {
        progress.plan(manifest);
        return Mono.fromCallable(() -> {
                    ArtifactVerifier.verify(store, id, manifest);
                    return manifest;
                })
                .subscribeOn(Schedulers.boundedElastic())
                .then(Mono.defer(() -> {
                    progress.phase("schema");
                    return withConnection(connection -> createSchema(connection, target, likeDatabase)
                            .then(Statements.execute(connection, SESSION))
                            .then(Statements.execute(connection, "USE " + Identifiers.quote(target)))
                            .thenMany(Flux.fromIterable(manifest.tables())
                                    .concatMap(table -> ddl(id, table)
                                            .map(ddl -> Map.entry(table.name(), new Ddl(ddl, table.rows() >= options.deferIndexesFromRows()
                                                    ? DeferredIndexes.of(ddl) : DeferredIndexes.asDumped(ddl))))
                                            .flatMap(entry -> Statements.execute(connection, entry.getValue().split().create())
                                                    .thenReturn(entry))
                                            .onErrorMap(e -> !(e instanceof TableException), e -> new TableException(table.name(), e))))
                            .collectMap(Map.Entry::getKey, Map.Entry::getValue, java.util.LinkedHashMap::new));
                }))
                .flatMap(ddls -> Mono.defer(() -> {
                    progress.phase("load");
                    return loadChunks(id, manifest, target, progress);
                }).then(Mono.defer(() -> {
                    if (ddls.values().stream().noneMatch(d -> d.split().deferred())) {
                        return Mono.empty();
                    }
                    progress.phase("indexes");
                    return buildIndexes(target, ddls);
                })))
                .then(Mono.defer(() -> {
                    progress.phase("check");
                    return withConnection(connection -> checkCounts(connection, manifest, target));
                }))
                .thenReturn(manifest.totalRows());
    }

    /** A table's DDL as dumped, and how it is created. */
    private record Ddl(String dumped, DeferredIndexes split) {
    }

    /**
     * Builds the deferred indexes (tables in parallel, largest first), then the foreign keys, then checks that
     * each such table is defined exactly as dumped.
     */
    private Mono<Void> buildIndexes(String target, Map<String, Ddl> ddls) {
        ConcurrentLinkedQueue<Map.Entry<String, Ddl>> tables = new ConcurrentLinkedQueue<>();
        ddls.entrySet().stream().filter(e -> e.getValue().split().deferred()).forEach(tables::add);
        int connections = Math.max(1, Math.min(options.connections(), tables.size()));
        long started = System.nanoTime();
        return Flux.range(0, connections)
                .flatMap(i -> withConnection(connection -> Statements.execute(connection, SESSION)
                        .then(Statements.execute(connection, "USE " + Identifiers.quote(target)))
                        .then(drainIndexes(connection, tables))))
                .then(withConnection(connection -> Statements.execute(connection, SESSION)
                        .then(Statements.execute(connection, "USE " + Identifiers.quote(target)))
                        .thenMany(Flux.fromIterable(ddls.entrySet())
                                .filter(e -> e.getValue().split().deferred())
                                .concatMap(e -> {
                                    String fk = e.getValue().split().foreignKeyStatement(e.getKey());
                                    return (fk == null ? Mono.<Void>empty() : Statements.execute(connection, fk))
                                            .then(SchemaReader.createStatement(connection, target, e.getKey()))
                                            .flatMap(now -> DeferredIndexes.sameDefinition(now, e.getValue().dumped())
                                                    ? Mono.<Void>empty()
                                                    : Mono.error(new IllegalStateException("the table built with deferred indexes "
                                                            + "is not defined as the backup's: " + now)))
                                            .onErrorMap(x -> !(x instanceof TableException), x -> new TableException(e.getKey(), x));
                                }))
                        .then()))
                .doOnSuccess(v -> log.info("built the deferred indexes of {} table(s) of {} in {} ms",
                        ddls.values().stream().filter(d -> d.split().deferred()).count(), target,
                        (System.nanoTime() - started) / 1_000_000));
    }

    private Mono<Void> drainIndexes(Connection connection, ConcurrentLinkedQueue<Map.Entry<String, Ddl>> tables) {
        return Mono.defer(() -> {
            Map.Entry<String, Ddl> table = tables.poll();
            if (table == null) {
                return Mono.empty();
            }
            return Flux.fromIterable(table.getValue().split().indexStatements(table.getKey()))
                    .concatMap(sql -> Statements.execute(connection, sql))
                    .then()
                    .onErrorMap(e -> !(e instanceof TableException), e -> new TableException(table.getKey(), e))
                    .then(drainIndexes(connection, tables));
        });
    }

    private Mono<Void> createSchema(Connection connection, String target, String likeDatabase) {
        return Statements.query(connection, "SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME "
                                + "FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = " + Identifiers.stringLiteral(likeDatabase),
                        row -> " CHARACTER SET " + row.get(0, String.class) + " COLLATE " + row.get(1, String.class))
                .next()
                .defaultIfEmpty(" CHARACTER SET utf8mb4")
                .flatMap(charset -> Statements.execute(connection, "DROP DATABASE IF EXISTS " + Identifiers.quote(target))
                        .then(Statements.execute(connection, "CREATE DATABASE " + Identifiers.quote(target) + charset)));
    }

    private Mono<String> ddl(ArtifactId id, Manifest.Table table) {
        return Mono.fromCallable(() -> {
            try (InputStream in = store.open(id, table.schemaFile())) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
                return text.endsWith(";") ? text.substring(0, text.length() - 1) : text;
            }
        }).subscribeOn(Schedulers.boundedElastic());
    }

    private Mono<Void> loadChunks(ArtifactId id, Manifest manifest, String target, LoadProgress progress) {
        ConcurrentLinkedQueue<Task> tasks = new ConcurrentLinkedQueue<>();
        List<Task> ordered = new ArrayList<>();
        for (Manifest.Table table : manifest.tables()) {
            for (Manifest.Chunk chunk : table.chunks()) {
                ordered.add(new Task(table.name(), chunk));
            }
        }
        ordered.sort(Comparator.comparingLong((Task t) -> t.chunk.bytes()).reversed());
        tasks.addAll(ordered);
        int connections = Math.max(1, Math.min(options.connections(), ordered.size()));
        return Flux.range(0, connections)
                .flatMap(i -> withConnection(connection -> Statements.execute(connection, SESSION)
                        .then(Statements.execute(connection, "USE " + Identifiers.quote(target)))
                        .then(drain(connection, id, tasks, progress))))
                .then();
    }

    private Mono<Void> drain(Connection connection, ArtifactId id, ConcurrentLinkedQueue<Task> tasks, LoadProgress progress) {
        return Mono.defer(() -> {
            Task task = tasks.poll();
            if (task == null) {
                return Mono.empty();
            }
            return loadChunk(connection, id, task, progress).then(drain(connection, id, tasks, progress));
        });
    }

    private Mono<Void> loadChunk(Connection connection, ArtifactId id, Task task, LoadProgress progress) {
        var counter = progress.counter(task.table);
        return StatementReader.statements(() -> store.open(id, task.chunk.file()))
                .concatMap(sql -> Flux.from(connection.createStatement(sql).execute()).concatMap(Result::getRowsUpdated), 1)
                .doOnNext(counter::add)
                .then()
                .onErrorMap(e -> !(e instanceof TableException), e -> new TableException(task.table, e));
    }

    private Mono<Void> checkCounts(Connection connection, Manifest manifest, String target) {
        return Flux.fromIterable(manifest.tables())
                .concatMap(table -> Statements.query(connection, "SELECT COUNT(*) FROM " + Identifiers.quote(target, table.name()),
                                row -> row.get(0, Number.class).longValue())
                        .single()
                        .flatMap(count -> count == table.rows() ? Mono.<Void>empty()
                                : Mono.error(new TableException(table.name(), new IllegalStateException(
                                        "loaded " + count + " rows, the backup holds " + table.rows())))))
                .then();
    }

    /** The longest the swap's {@code RENAME TABLE} waits for the metadata locks of the live tables. */
    public static final int SWAP_LOCK_WAIT_SECONDS = 600;

    /**
     * Makes the backup the database: {@link #swap(String, String, String, List)} with the artifact's schema
     * objects. An artifact of format 1 or 2 holds none: its tables are swapped in and the database keeps its
     * own views, routines, events and triggers (recreated on the new tables).
     */
    public Mono<Void> swap(ArtifactId id, Manifest manifest, String live, String loaded, String graveyard) {
        if (!manifest.capturesObjects()) {
            return swap(live, loaded, graveyard, null);
        }
        return objects(id, manifest).flatMap(objects -> swap(live, loaded, graveyard, objects));
    }

    /** The artifact's schema objects (none for format 1 and 2), as the manifest lists them. */
    private Mono<List<SchemaObject>> objects(ArtifactId id, Manifest manifest) {
        return Flux.fromIterable(manifest.capturesObjects() ? manifest.objects() : List.<Manifest.ObjectEntry>of())
                .concatMap(entry -> Mono.fromCallable(() -> {
                    try (InputStream in = store.open(id, entry.file())) {
                        return ArtifactFormat.JSON.readValue(in, SchemaObject.class);
                    }
                }).subscribeOn(Schedulers.boundedElastic()))
                .collectList();
    }

    /**
     * Compares {@code copy}, into which {@link #load} loaded the artifact, with the artifact: every table's
     * rows and row checksum, and every object's definition ({@link CopyCheck}). The objects are created in
     * {@code copy} for this. Fails with the first difference.
     */
    public Mono<Void> compare(ArtifactId id, Manifest manifest, String copy) {
        return objects(id, manifest).flatMap(objects -> withConnection(connection ->
                CopyCheck.compare(connection, manifest, copy, objects).thenReturn(Boolean.TRUE))).then();
    }

    /** Swaps the loaded tables in and keeps the live schema's other objects: a tables-only restore. */
    public Mono<Void> swap(String live, String loaded, String graveyard) {
        return swap(live, loaded, graveyard, null);
    }

    /**
     * Makes {@code loaded}'s tables the tables of {@code live} in one atomic {@code RENAME TABLE} (every live
     * table moves to {@code graveyard}, every loaded table into {@code live}) and {@code objects} its other
     * objects. A table that carries triggers cannot be renamed into another schema, so the live objects are
     * read (to be put back) and dropped first; after the rename the backup's objects are created, in order
     * (views until each finds the views it reads). If any step fails, the database is put back as it was:
     * the new objects dropped, the tables renamed back, the old objects recreated; the error is then raised.
     * Then both helper schemas are dropped (a failure there is only logged: the data is in place). The
     * rename waits at most {@link #SWAP_LOCK_WAIT_SECONDS} for its locks and then fails on the server, so a
     * caller never has to cancel it half-way (cancelling would leave its outcome unknown).
     *
     * @param objects the objects the database is to have; null keeps the live ones (only its triggers are
     *                dropped and recreated around the rename)
     */
    public Mono<Void> swap(String live, String loaded, String graveyard, List<SchemaObject> objects) {
        return withConnection(connection -> Statements.execute(connection, "CREATE DATABASE IF NOT EXISTS " + Identifiers.quote(live))
                .then(SchemaObjects.read(connection, live))
                .zipWith(tables(connection, live))
                .zipWith(tables(connection, loaded))
                .flatMap(t -> {
                    List<SchemaObject> old = t.getT1().getT1();
                    List<String> liveTables = t.getT1().getT2();
                    List<String> loadedTables = t.getT2();
                    List<SchemaObject> dropped = objects == null
                            ? old.stream().filter(o -> o.kind().equals(SchemaObject.TRIGGER)).toList() : old;
                    // tables-only: the old triggers come back on the new tables; those of a table the backup lacks go with it
                    List<SchemaObject> wanted = objects != null ? objects
                            : dropped.stream().filter(o -> loadedTables.contains(o.table())).toList();
                    List<String> renames = new ArrayList<>();
                    List<String> back = new ArrayList<>();
                    for (String table : liveTables) {
                        renames.add(Identifiers.quote(live, table) + " TO " + Identifiers.quote(graveyard, table));
                    }
                    for (String table : loadedTables) {
                        renames.add(Identifiers.quote(loaded, table) + " TO " + Identifiers.quote(live, table));
                        back.add(Identifiers.quote(live, table) + " TO " + Identifiers.quote(loaded, table));
                    }
                    for (String table : liveTables) {
                        back.add(Identifiers.quote(graveyard, table) + " TO " + Identifiers.quote(live, table));
                    }
                    java.util.concurrent.atomic.AtomicBoolean renamed = new java.util.concurrent.atomic.AtomicBoolean();
                    // views of the live database that were invalid before this swap and cannot be created again
                    List<String> unrecreatable = new java.util.concurrent.CopyOnWriteArrayList<>();
                    Mono<Void> change = ObjectScripts.drop(connection, live, dropped)
                            .then(Statements.execute(connection, "RENAME TABLE " + String.join(", ", renames)))
                            .then(Mono.fromRunnable(() -> renamed.set(true)))
                            .then(objects == null ? ObjectScripts.recreate(connection, live, wanted, unrecreatable)
                                    : ObjectScripts.create(connection, live, wanted, options.definers()));
                    // undo: drop what this swap touched (created, or failed to drop), tables back, the old objects again;
                    // objects it never touched (a tables-only restore keeps views and routines) stay as they are
                    java.util.Set<String> touched = new java.util.HashSet<>();
                    dropped.forEach(o -> touched.add(o.kind() + " " + o.name()));
                    wanted.forEach(o -> touched.add(o.kind() + " " + o.name()));
                    Mono<Void> putBack = Mono.defer(() -> SchemaObjects.read(connection, live)
                            .flatMap(present -> ObjectScripts.drop(connection, live,
                                    present.stream().filter(o -> touched.contains(o.kind() + " " + o.name())).toList()))
                            .then(renamed.get() ? Statements.execute(connection, "RENAME TABLE " + String.join(", ", back)) : Mono.empty())
                            .then(ObjectScripts.recreate(connection, live, dropped, unrecreatable))
                            .then(Statements.execute(connection, "DROP DATABASE IF EXISTS " + Identifiers.quote(graveyard))));
                    return Statements.execute(connection, "SET SESSION foreign_key_checks = 0")
                            .then(Statements.execute(connection, "SET SESSION lock_wait_timeout = " + SWAP_LOCK_WAIT_SECONDS))
                            .then(Statements.execute(connection, "DROP DATABASE IF EXISTS " + Identifiers.quote(graveyard)))
                            .then(Statements.execute(connection, "CREATE DATABASE " + Identifiers.quote(graveyard)))
                            .then(change.onErrorResume(e -> putBack
                                    .onErrorResume(x -> {
                                        log.error("restoring {} failed ({}), and putting it back failed too: {}", live, e.toString(), x.toString());
                                        return Mono.error(new IllegalStateException(describe(e)
                                                + "; putting the database back failed as well (" + describe(x)
                                                + "): the old tables are in " + graveyard + ", the backup's in " + loaded, e));
                                    })
                                    .then(Mono.defer(() -> Mono.error(unrecreatable.isEmpty() ? e
                                            : new IllegalStateException(describe(e) + "; the database was put back as it was, except "
                                                    + "the view(s) " + unrecreatable + ", which were invalid before the restore (they "
                                                    + "read a table, column or function that no longer exists) and cannot be created "
                                                    + "again", e))))))
                            .doOnSuccess(v -> {
                                log.info("swapped {} tables and {} other objects into {}", loadedTables.size(), wanted.size(), live);
                                if (!unrecreatable.isEmpty()) {
                                    log.warn("{}: the invalid view(s) {} could not be kept (nothing they read is there)", live, unrecreatable);
                                }
                            });
                })
                .then(Statements.execute(connection, "DROP DATABASE IF EXISTS " + Identifiers.quote(graveyard))
                        .then(Statements.execute(connection, "DROP DATABASE IF EXISTS " + Identifiers.quote(loaded)))
                        .onErrorResume(e -> {
                            log.warn("restored {}, but could not drop {} / {}: {}", live, graveyard, loaded, e.toString());
                            return Mono.empty();
                        })));
    }

    private static String describe(Throwable e) {
        return e instanceof io.restorepoint.engine.SchemaObjectException ? e.getMessage() : TableException.rootMessage(e);
    }

    /** Drops a helper schema, if it is there. */
    public Mono<Void> drop(String schema) {
        return withConnection(connection -> Statements.execute(connection, "DROP DATABASE IF EXISTS " + Identifiers.quote(schema)));
    }

    /** Names of the base tables of a schema. */
    private static Mono<List<String>> tables(Connection connection, String schema) {
        return Statements.query(connection, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                        + Identifiers.stringLiteral(schema) + " AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME",
                row -> row.get(0, String.class)).collectList();
    }

    /** Row counts of the base tables of a schema, for comparisons. */
    public Mono<Map<String, Long>> counts(String schema) {
        return withConnection(connection -> tables(connection, schema).flatMap(names -> Flux.fromIterable(names)
                .concatMap(name -> Statements.query(connection, "SELECT COUNT(*) FROM " + Identifiers.quote(schema, name),
                        row -> Map.entry(name, row.get(0, Number.class).longValue())))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue))));
    }

    private <T> Mono<T> withConnection(java.util.function.Function<Connection, Mono<T>> work) {
        return Mono.usingWhen(Mono.from(server.create()), work, Connection::close, (c, e) -> c.close(), Connection::close);
    }

    private record Task(String table, Manifest.Chunk chunk) {
    }
}
