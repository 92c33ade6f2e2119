package io.restorepoint.engine.imports;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Result;
import io.restorepoint.engine.TableException;
import io.restorepoint.engine.artifact.ArtifactFormat;
import io.restorepoint.engine.artifact.ArtifactStore;
import io.restorepoint.engine.load.StatementReader;
import io.restorepoint.engine.sql.Identifiers;
import io.restorepoint.engine.sql.Statements;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Runs a staged import in one transaction: every table's {@code INSERT IGNORE} statements, parents first,
 * then {@code COMMIT}. Rows whose key already exists are skipped, nothing is updated or deleted, and any
 * error rolls everything back. The counts are written next to the staged files, so a job delivered again
 * after its commit reports them instead of importing again.
 */
public final class Importer {

    private final ConnectionFactory server;
    private final ArtifactStore store;

    public Importer(ConnectionFactory server, ArtifactStore store) {
        this.server = server;
        this.store = store;
    }

    /** The staged summary of an import. */
    public StagedImport staged(String staging) throws IOException {
        try (InputStream in = store.openStaged(staging + "/" + StagedImport.SUMMARY)) {
            return ArtifactFormat.JSON.readValue(in, StagedImport.class);
        }
    }

    /** Removes what the gateway staged for an import that will not run again (it was refused or failed). */
    public void discard(String staging) throws IOException {
        store.deleteStaged(staging);
    }

    /** Counts of an import that already committed, if it did. */
    public ImportResult committed(String staging) throws IOException {
        String file = staging + "/" + StagedImport.RESULT;
        if (!store.existsStaged(file)) {
            return null;
        }
        try (InputStream in = store.openStaged(file)) {
            return ArtifactFormat.JSON.readValue(in, ImportResult.class);
        }
    }

    /**
     * @param progress told the rows handled so far (inserted or skipped)
     */
    public Mono<ImportResult> run(String staging, String database, StagedImport staged, LongConsumer progress) {
        Map<String, long[]> counts = new LinkedHashMap<>();
        AtomicLong handled = new AtomicLong();
        return Mono.usingWhen(Mono.from(server.create()),
                        connection -> Statements.execute(connection, "USE " + Identifiers.quote(database))
                                .then(Statements.execute(connection, "SET SESSION foreign_key_checks = 1, unique_checks = 1"))
                                .then(Statements.execute(connection, "START TRANSACTION"))
                                .thenMany(Flux.fromIterable(staged.tables())
                                        .concatMap(table -> table(connection, table, counts, handled, progress)))
                                .then(Statements.execute(connection, "COMMIT"))
                                .onErrorResume(e -> Statements.execute(connection, "ROLLBACK").onErrorResume(x -> Mono.empty())
                                        .then(Mono.error(e))),
                        Connection::close, (c, e) -> c.close(), Connection::close)
                .then(Mono.fromCallable(() -> {
                    Map<String, ImportResult.Count> tables = new LinkedHashMap<>();
                    for (StagedImport.Table table : staged.tables()) {
                        long inserted = counts.getOrDefault(table.name(), new long[1])[0];
                        tables.put(table.name(), new ImportResult.Count(inserted, table.rows() - inserted));
                    }
                    for (StagedImport.Table table : staged.skippedTables()) {
                        tables.put(table.name(), new ImportResult.Count(0, table.rows()));
                    }
                    ImportResult result = new ImportResult(tables);
                    try (OutputStream out = store.createStaged(staging + "/" + StagedImport.RESULT)) {
                        ArtifactFormat.JSON.writeValue(out, result);
                    }
                    for (StagedImport.Table table : staged.tables()) {
                        store.deleteStaged(table.file());
                    }
                    return result;
                }).subscribeOn(Schedulers.boundedElastic()));
    }

    private Mono<Void> table(Connection connection, StagedImport.Table table, Map<String, long[]> counts, AtomicLong handled,
            LongConsumer progress) {
        long[] inserted = counts.computeIfAbsent(table.name(), k -> new long[1]);
        long before = handled.get();
        return StatementReader.statements(() -> store.openStaged(table.file()))
                .concatMap(sql -> Flux.from(connection.createStatement(sql).execute()).concatMap(Result::getRowsUpdated), 1)
                .doOnNext(n -> {
                    inserted[0] += n;
                    progress.accept(before + inserted[0]);
                })
                .then(Mono.fromRunnable(() -> {
                    handled.set(before + table.rows());
                    progress.accept(handled.get());
                }))
                .onErrorMap(e -> !(e instanceof TableException), e -> new TableException(table.name(), e))
                .then();
    }

    /** Rows inserted and skipped (already there, or in a table left out) per table. */
    public record ImportResult(Map<String, Count> tables) {

        public record Count(long inserted, long skipped) {
        }

        public long inserted() {
            return tables.values().stream().mapToLong(Count::inserted).sum();
        }
    }
}
