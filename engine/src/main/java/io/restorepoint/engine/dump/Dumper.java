package io.restorepoint.engine.dump;

import io.restorepoint.engine.TableException;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.restorepoint.engine.artifact.ArtifactFormat;
import io.restorepoint.engine.artifact.ArtifactStore;
import io.restorepoint.engine.artifact.ArtifactWriter;
import io.restorepoint.engine.artifact.FileSink;
import io.restorepoint.engine.artifact.Manifest;
import io.restorepoint.engine.schema.ColumnInfo;
import io.restorepoint.engine.schema.SchemaObject;
import io.restorepoint.engine.schema.SchemaObjects;
import io.restorepoint.engine.schema.SchemaReader;
import io.restorepoint.engine.schema.TableInfo;
import io.restorepoint.engine.snapshot.Consistency;
import io.restorepoint.engine.snapshot.SnapshotGroup;
import io.restorepoint.engine.sql.Identifiers;
import io.restorepoint.engine.sql.RawBytes;
import io.restorepoint.engine.sql.Sequences;
import com.github.luben.zstd.ZstdOutputStream;
import io.restorepoint.engine.sql.Statements;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Dumps a whole database into an artifact: every base table's DDL and rows, and every other schema object
 * (views, triggers, routines, events, sequences; {@link SchemaObjects}), mydumper-style: N connections share one
 * consistent snapshot ({@link SnapshotGroup}), tables with an integer key are cut into adaptive key
 * ranges that any free connection takes next (largest tables first), and rows stream from the wire
 * straight into compressed chunk files, so memory stays flat whatever the size. The manifest is written
 * last; on any failure nothing is committed.
 */
public final class Dumper {

    private static final Logger log = LoggerFactory.getLogger(Dumper.class);
    private static final Duration BUSY_POLL = Duration.ofMillis(250);
    public static final String TOOL = "restorepoint/" + Dumper.class.getPackage().getImplementationVersion();

    private final ConnectionFactory server;
    private final ArtifactStore store;
    private final DumpOptions options;

    /**
     * @param server connections to the server holding the database (no default database needed)
     * @param store  where the artifact goes
     */
    public Dumper(ConnectionFactory server, ArtifactStore store, DumpOptions options) {
        this.server = server;
        this.store = store;
        this.options = options;
    }

    /**
     * Runs the row path once on generated rows (a query over no table, encoded, compressed, discarded), so
     * the JIT has compiled it before the first real job: a cold worker's first dump otherwise runs at
     * half speed for seconds. Touches no project data.
     *
     * @param rows rows to generate; 300,000 take about a second
     */
    public Mono<Long> warmUp(long rows) {
        List<ColumnInfo> columns = List.of(
                new ColumnInfo("n", "bigint", "bigint", false, false),
                new ColumnInfo("txt", "varchar", "varchar(64)", true, false),
                new ColumnInfo("amount", "decimal", "decimal(12,2)", true, false),
                new ColumnInfo("at", "datetime", "datetime(6)", true, false),
                new ColumnInfo("raw", "varbinary", "varbinary(16)", true, false));
        int digits = Math.max(1, (int) Math.ceil(Math.log10(Math.max(2, rows))));
        String sql = "SELECT n, CONCAT('warm-up row ', n, IF(n % 7 = 0, ' it''s \\\\ here', '')), n * 1.25, "
                + "TIMESTAMP('2024-01-01') + INTERVAL n SECOND, UNHEX(HEX(n)) FROM " + Sequences.upTo(digits)
                + " t WHERE n < " + rows;
        return Mono.usingWhen(Mono.from(server.create()),
                connection -> Mono.using(
                        () -> new ZstdOutputStream(OutputStream.nullOutputStream(), 1),
                        sink -> {
                            InsertEncoder encoder = new InsertEncoder("warm_up", columns, options.rowsPerStatement(),
                                    options.bytesPerStatement());
                            return Flux.from(connection.createStatement(sql).execute())
                                    .concatMap(result -> result.map(row -> {
                                        try {
                                            encoder.row(row, sink);
                                        } catch (IOException e) {
                                            throw new UncheckedIOException(e);
                                        }
                                        return Boolean.TRUE;
                                    }))
                                    .count();
                        },
                        sink -> {
                            try {
                                sink.close();
                            } catch (IOException ignored) {
                                // nothing was kept
                            }
                        }),
                Connection::close, (c, e) -> c.close(), Connection::close);
    }

    public Mono<Manifest> dump(DumpRequest request, DumpProgress progress) {
        Instant started = Instant.now();
        Steps steps = new Steps();
        return Mono.usingWhen(
                SnapshotGroup.open(server, request.database(), options.connections(), options.snapshot())
                        .doOnNext(g -> steps.mark("snapshot")),
                group -> dump(group, request, progress, started, steps),
                SnapshotGroup::close, (group, error) -> group.close(), SnapshotGroup::close);
    }

    private Mono<Manifest> dump(SnapshotGroup group, DumpRequest request, DumpProgress progress, Instant started,
            Steps steps) {
        Connection first = group.connections().get(0);
        String database = request.database();
        return SchemaReader.tables(first, database)
                .doOnNext(t -> steps.mark("tables"))
                .flatMap(tables -> Mono.using(
                        () -> store.begin(request.artifact(), request.jobToken()),
                        writer -> schemas(first, database, tables, writer)
                                .doOnNext(t -> steps.mark("ddl"))
                                .zipWhen(schemaSums -> objects(first, database, writer).doOnNext(t -> steps.mark("objects")))
                                .flatMap(written -> plans(first, database, tables)
                                        .doOnNext(t -> steps.mark("plans"))
                                        .flatMap(plans -> {
                                            progress.plan(tables);
                                            progress.phase("dump");
                                            Work work = new Work(plans, writer, database, progress);
                                            return Flux.fromIterable(group.connections())
                                                    .flatMap(connection -> work.loop(connection))
                                                    .then(Mono.fromCallable(() -> {
                                                        steps.mark("rows");
                                                        return commit(request, writer, started, group, tables,
                                                                written.getT1(), written.getT2(), work, progress, steps);
                                                    }));
                                        })),
                        Dumper::closeQuietly));
    }

    /** How long each step of a dump took, for the log line that reports it (job latency, issue 15). */
    private static final class Steps {
        private final long start = System.nanoTime();
        private long last = start;
        private final StringBuilder text = new StringBuilder();

        synchronized void mark(String step) {
            long now = System.nanoTime();
            text.append(text.isEmpty() ? "" : ", ").append(step).append(' ').append((now - last) / 1_000_000);
            last = now;
        }

        synchronized String summary() {
            return (System.nanoTime() - start) / 1_000_000 + " ms: " + text;
        }
    }

    /** Writes every table's CREATE TABLE statement; returns their checksums by table. */
    private static Mono<Map<String, String>> schemas(Connection connection, String database, List<TableInfo> tables,
            ArtifactWriter writer) {
        return Flux.fromIterable(tables)
                .concatMap(table -> SchemaReader.createStatement(connection, database, table.name())
                        .map(ddl -> Map.entry(table.name(), writeSchema(writer, table.name(), ddl)))
                        .onErrorMap(e -> !(e instanceof TableException), e -> new TableException(table.name(), e)))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue, LinkedHashMap::new);
    }

    /**
     * Writes every view, trigger, routine, event and sequence (their definitions and session context, read
     * in the snapshot connection); returns their manifest entries in the order a restore creates them.
     */
    private Mono<WrittenObjects> objects(Connection connection, String database, ArtifactWriter writer) {
        Mono<SchemaObjects.Read> read = options.skipUnreadableObjects() ? SchemaObjects.readSkipping(connection, database)
                : SchemaObjects.read(connection, database).map(objects -> new SchemaObjects.Read(objects, List.of()));
        return read.map(r -> new WrittenObjects(r.objects().stream().map(object -> writeObject(writer, object)).toList(),
                r.unreadable().stream().map(u -> new Manifest.SkippedObject(u.kind(), u.name(), u.reason())).toList()));
    }

    /** The manifest entries of the objects written, and those left out (only when the options allow it). */
    private record WrittenObjects(List<Manifest.ObjectEntry> entries, List<Manifest.SkippedObject> skipped) {
    }

    private static Manifest.ObjectEntry writeObject(ArtifactWriter writer, SchemaObject object) {
        String file = ArtifactFormat.objectFile(object.kind(), object.name());
        try (FileSink sink = writer.create(file)) {
            sink.write(ArtifactFormat.JSON.writeValueAsBytes(object));
            sink.close();
            return new Manifest.ObjectEntry(object.kind(), object.name(), object.table(), file, sink.sha256());
        } catch (IOException e) {
            throw new UncheckedIOException("writing the definition of " + object.kind() + " " + object.name(), e);
        }
    }

    /** Key ranges need the key's bounds, read inside the snapshot. */
    private Mono<List<ChunkPlan>> plans(Connection connection, String database, List<TableInfo> tables) {
        return Flux.fromIterable(tables)
                .concatMap(table -> {
                    String column = ChunkPlan.rangeColumn(table);
                    if (column == null) {
                        return Mono.just(ChunkPlan.whole(table));
                    }
                    String sql = "SELECT MIN(" + Identifiers.quote(column) + "), MAX(" + Identifiers.quote(column) + ") FROM "
                            + Identifiers.quote(database, table.name());
                    return Statements.query(connection, sql, row -> new BigInteger[] {integer(row.get(0, RawBytes.class)),
                                    integer(row.get(1, RawBytes.class))})
                            .single()
                            .map(bounds -> ChunkPlan.ranges(table, column, bounds[0], bounds[1],
                                    options.effectiveChunkRows()))
                            .onErrorMap(e -> new TableException(table.name(), e));
                })
                .collectList();
    }

    private static BigInteger integer(RawBytes value) {
        return value == null ? null : new BigInteger(new String(value.bytes(), StandardCharsets.US_ASCII));
    }

    /** The shared state of one dump: tasks, results, progress. */
    private final class Work {
        private final List<TableState> order;
        private final Map<String, TableState> byName = new LinkedHashMap<>();
        private final ArtifactWriter writer;
        private final String database;
        private final DumpProgress progress;
        private final long startedNanos = System.nanoTime();

        Work(List<ChunkPlan> plans, ArtifactWriter writer, String database, DumpProgress progress) {
            this.writer = writer;
            this.database = database;
            this.progress = progress;
            List<TableState> states = new ArrayList<>();
            for (ChunkPlan plan : plans) {
                TableState state = new TableState(plan, progress.counter(plan.table().name()));
                states.add(state);
                byName.put(plan.table().name(), state);
            }
            states.sort(Comparator.comparingLong((TableState s) -> s.plan.table().estimatedRows()).reversed());
            this.order = states;
        }

        /** One connection's loop: take the next task of the largest unfinished table until none is left. */
        Mono<Void> loop(Connection connection) {
            return pace(connection).then(Mono.defer(() -> {
                for (TableState state : order) {
                    ChunkPlan.Task task = state.take();
                    if (task != null) {
                        return run(connection, state, task).then(loop(connection));
                    }
                }
                return Mono.empty();
            }));
        }

        /** The throttle, before each chunk: keep under the row rate, and wait while the server is busy. */
        private Mono<Void> pace(Connection connection) {
            DumpOptions.Throttle throttle = options.throttle();
            if (throttle.none()) {
                return Mono.empty();
            }
            Mono<Void> rate = Mono.defer(() -> {
                if (throttle.maxRowsPerSecond() == 0) {
                    return Mono.empty();
                }
                long read = order.stream().mapToLong(s -> s.counter.sum()).sum();
                long dueNanos = (long) (read * 1e9 / throttle.maxRowsPerSecond());
                long ahead = dueNanos - (System.nanoTime() - startedNanos);
                return ahead > 1_000_000 ? Mono.delay(Duration.ofNanos(ahead)).then() : Mono.empty();
            });
            return rate.then(throttle.threadsRunningLimit() == 0 ? Mono.empty()
                    : whileBusy(connection, throttle.threadsRunningLimit(), System.nanoTime() + DumpOptions.Throttle.MAX_BACK_OFF.toNanos()));
        }

        private Mono<Void> whileBusy(Connection connection, int limit, long giveUpAt) {
            return Statements.query(connection, "SHOW GLOBAL STATUS LIKE 'Threads_running'",
                            row -> Long.parseLong(String.valueOf(row.get(1, String.class)).trim()))
                    .next().defaultIfEmpty(0L)
                    .flatMap(running -> {
                        if (running <= limit) {
                            return Mono.<Void>empty();
                        }
                        if (System.nanoTime() >= giveUpAt) {
                            log.info("{} threads running on the server (limit {}) for {} s; dumping the next chunk anyway",
                                    running, limit, DumpOptions.Throttle.MAX_BACK_OFF.toSeconds());
                            return Mono.<Void>empty();
                        }
                        return Mono.delay(BUSY_POLL).then(whileBusy(connection, limit, giveUpAt));
                    });
        }

        private Mono<Void> run(Connection connection, TableState state, ChunkPlan.Task task) {
            TableInfo table = state.plan.table();
            List<ColumnInfo> columns = table.dataColumns();
            long rowsPerFile = task.condition() == null ? options.rowsPerChunk() : Long.MAX_VALUE;
            TableFileWriter files = new TableFileWriter(writer, table.name(), columns, options, rowsPerFile,
                    task.condition() == null ? state.fileIndex::getAndIncrement : () -> task.index(),
                    task.condition(), state.counter);
            String sql = "SELECT " + Identifiers.columnList(columns.stream().map(ColumnInfo::name).toList())
                    + " FROM " + Identifiers.quote(database, table.name())
                    + (task.condition() == null ? "" : " WHERE " + task.condition());
            return Flux.from(connection.createStatement(sql).execute())
                    .concatMap(result -> result.map(row -> {
                        files.row(row);
                        return Boolean.TRUE;
                    }))
                    .then(Mono.fromCallable(files::finish))
                    .doOnError(e -> files.abandon())
                    .doOnCancel(files::abandon)
                    .doOnNext(chunks -> state.done(task, chunks, files.rows(), files.checksum(), progress))
                    .onErrorMap(e -> !(e instanceof TableException), e -> new TableException(table.name(), e))
                    .then();
        }
    }

    /** One table's plan, its in-flight tasks and what they produced. */
    private static final class TableState {
        private final ChunkPlan plan;
        private final LongAdder counter;
        private final AtomicInteger fileIndex = new AtomicInteger();
        private final List<Manifest.Chunk> chunks = new ArrayList<>();
        private int inFlight;
        private long rows;
        private long checksum;

        TableState(ChunkPlan plan, LongAdder counter) {
            this.plan = plan;
            this.counter = counter;
        }

        synchronized ChunkPlan.Task take() {
            ChunkPlan.Task task = plan.next();
            if (task != null) {
                inFlight++;
            }
            return task;
        }

        synchronized void done(ChunkPlan.Task task, List<Manifest.Chunk> written, long taskRows, long taskChecksum,
                DumpProgress progress) {
            plan.completed(task, taskRows);
            chunks.addAll(written);
            rows += taskRows;
            checksum += taskChecksum;
            inFlight--;
            if (inFlight == 0 && plan.exhausted()) {
                progress.finished(plan.table().name(), rows);
            }
        }

        synchronized Manifest.Table toManifest(String schemaSha) {
            TableInfo table = plan.table();
            List<Manifest.Chunk> sorted = new ArrayList<>(chunks);
            sorted.sort(Comparator.comparing(Manifest.Chunk::file));
            return new Manifest.Table(table.name(), ArtifactFormat.schemaFile(table.name()), schemaSha, rows,
                    table.columns().stream().map(c -> new Manifest.Column(c.name(), c.columnType(), c.nullable(),
                            c.generated())).toList(),
                    table.primaryKey(), sorted, Long.toUnsignedString(checksum, 16));
        }
    }

    private Manifest commit(DumpRequest request, ArtifactWriter writer, Instant started, SnapshotGroup group,
            List<TableInfo> tables, Map<String, String> schemaSums, WrittenObjects written, Work work,
            DumpProgress progress, Steps steps) throws IOException {
        List<Manifest.ObjectEntry> objects = written.entries();
        progress.phase("finalize");
        List<Manifest.Table> entries = tables.stream()
                .map(t -> work.byName.get(t.name()).toManifest(schemaSums.get(t.name())))
                .toList();
        for (Manifest.Table entry : entries) {
            progress.finished(entry.name(), entry.rows());
        }
        long rows = entries.stream().mapToLong(Manifest.Table::rows).sum();
        long bytes = entries.stream().flatMap(t -> t.chunks().stream()).mapToLong(Manifest.Chunk::bytes).sum();
        Consistency c = group.consistency();
        String version = group.serverVersion();
        Manifest manifest = new Manifest(ArtifactFormat.VERSION, TOOL, request.artifact().project(),
                request.artifact().version(), request.jobToken(), request.database(), started, Instant.now(),
                new Manifest.Server(version, version.toLowerCase().contains("mariadb") ? "mariadb" : "mysql"),
                new Manifest.Consistency(c.method(), c.note(), c.binlogFile(), c.binlogPosition(), c.gtidSet(),
                        c.lockMillis(), group.connections().size()),
                entries, rows, bytes, null, objects, written.skipped().isEmpty() ? null : written.skipped());
        writer.commit(manifest);
        manifest = store.keyring().describe(manifest); // as committed: with its encryption
        steps.mark("commit");
        log.info("dumped {} ({} tables, {} other objects, {} rows, {} bytes, {} over {} connection(s)) in {}", request.artifact(),
                entries.size(), objects.size(), rows, bytes, c.method(), group.connections().size(), steps.summary());
        for (Manifest.SkippedObject skipped : written.skipped()) {
            log.warn("{} left out {} {}: {} (RP_BACKUP_SKIP_UNREADABLE_OBJECTS)", request.artifact(), skipped.kind(), skipped.name(),
                    skipped.reason());
        }
        return manifest;
    }

    private static String writeSchema(ArtifactWriter writer, String table, String ddl) {
        try (FileSink sink = writer.create(ArtifactFormat.schemaFile(table))) {
            sink.write((ddl + ";\n").getBytes(StandardCharsets.UTF_8));
            sink.close();
            return sink.sha256();
        } catch (IOException e) {
            throw new UncheckedIOException("writing the schema of " + table, e);
        }
    }

    private static void closeQuietly(ArtifactWriter writer) {
        try {
            writer.close();
        } catch (IOException e) {
            log.warn("could not discard a partial artifact: {}", e.getMessage());
        }
    }
}
