package io.restorepoint.bench;

import io.restorepoint.demo.ScrapDemo;
import io.restorepoint.devinfra.DatabaseServer;
import io.restorepoint.devinfra.Sql;
import io.restorepoint.engine.load.HelperSchemas;
import io.restorepoint.local.LocalStack;
import io.restorepoint.local.LocalStackOptions;
import io.restorepoint.local.ServiceProcess;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The backup benchmark ({@code bench/run-backup-bench.sh}): on one MariaDB server, with one dataset
 * ({@code scrap_demo}, N rows each in pesaje and auditoria), times a RestorePoint backup job (request →
 * {@code done} on the Sync feed), mydumper with and without compression, mariadb-dump and, when the
 * gateway has it, the table export; prints one table. Then, on the same data and in the same round, times
 * the restores of those backups: a RestorePoint restore job of the version the backup job made (its own
 * time and request → done including the safety backup), {@code myloader -t 2} of the mydumper directory
 * and {@code mariadb < dump.sql} of the mariadb-dump file, each checked by row counts; prints a second
 * table. Not a test: it asserts nothing.
 */
public final class BackupBench {

    static final String HOST = "127.0.0.1";
    static final int PORT = 3306;
    static final String USER = "app";
    static final String PASSWORD = "app";
    static final String DATABASE = LocalStack.DEMO_DATABASE;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** How long one tool may take: -Dbench.timeoutMinutes, default 60. */
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(Long.getLong("bench.timeoutMinutes", 60));
    private static final String MYDUMPER_C = "mydumper -t 2 -c";

    private final long rows;
    private final int repeat;
    private final Path root;
    private final Path work;
    private final DatabaseServer db = DatabaseServer.external(HOST, PORT, USER, PASSWORD);
    private final List<Path> scratch = new ArrayList<>();
    private final AtomicBoolean cleaned = new AtomicBoolean();
    private LocalStack stack;
    private long totalRows;

    private final int smallJobs;

    private BackupBench(long rows, int repeat, int smallJobs, Path root) {
        this.rows = rows;
        this.repeat = repeat;
        this.smallJobs = smallJobs;
        this.root = root;
        this.work = root.resolve("bench").resolve("target").resolve("bench-work");
    }

    public static void main(String[] args) throws Exception {
        long rows = 1_000_000;
        int repeat = 1;
        int smallJobs = 20;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (arg) {
                case "--rows" -> {
                    rows = Long.parseLong(BenchRunner.require(arg, value).replace("_", ""));
                    i++;
                }
                case "--repeat" -> {
                    repeat = Integer.parseInt(BenchRunner.require(arg, value));
                    i++;
                }
                case "--small-jobs" -> {
                    smallJobs = Integer.parseInt(BenchRunner.require(arg, value));
                    i++;
                }
                case "-h", "--help" -> {
                    System.out.println("usage: java -jar bench/target/bench-exec.jar [--rows N] [--repeat K] [--small-jobs J]"
                            + "  (normally via bench/run-backup-bench.sh)");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + arg + " (--rows N, --repeat K, --small-jobs J)");
            }
        }
        if (rows < 1 || rows > 10_000_000) {
            throw new IllegalArgumentException("--rows must be from 1 to 10000000");
        }
        if (repeat < 1) {
            throw new IllegalArgumentException("--repeat must be at least 1");
        }
        BenchRunner.workDir("bench-work");
        BackupBench bench = new BackupBench(rows, repeat, smallJobs, BenchRunner.repoRoot());
        BenchRunner.runAndExit(bench::run, bench::cleanUp);
    }

    // ------------------------------------------------------------------------------------------------

    private int run() throws Exception {
        long started = System.nanoTime();
        Files.createDirectories(work);
        prepareDataset();
        Map<String, Long> tableRows = countRows();
        totalRows = tableRows.values().stream().mapToLong(Long::longValue).sum();
        printEnvironment(tableRows);

        resetControlDatabase();
        System.out.println("\nStarting RestorePoint (embedded Kafka, MariaDB " + HOST + ":" + PORT
                + " as database, worker heap 256m) ...");
        LocalStackOptions options = LocalStackOptions.forTests(root, work.resolve("stack"))
                .withExternal(null, HOST, PORT, USER, PASSWORD)
                .withServiceHeap("256m")
                .withExtraProjects(smallJobs > 0 ? 1 : 0);
        stack = LocalStack.start(options);
        ServiceProcess worker = stack.workers().get(0);
        String workerActuator = "http://127.0.0.1:" + worker.port();
        System.out.printf(Locale.ROOT, "worker pid %d, idle: heap used %s MB, RSS %s MB%n", worker.pid(),
                mb(ProcessSampler.heapNow(workerActuator)), mb(ProcessSampler.rssNow(worker.pid())));

        Map<String, Result> best = new LinkedHashMap<>();
        Map<String, Result> bestRestore = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        List<String> restoreNotes = new ArrayList<>();
        long cursor = latestCursor();
        for (int round = 1; round <= repeat; round++) {
            if (repeat > 1) {
                System.out.println("\n-- round " + round + " of " + repeat + " (load average " + loadAverage() + ")");
            }
            // RestorePoint runs first in a round: read the data once, untimed, so it does not pay alone for a
            // cold page cache and buffer pool that the tools after it find warm
            warmCaches(notes, round);
            Result rp = restorePoint(cursor, worker, workerActuator, round, notes);
            cursor = rp.cursorAfter;
            keepBest(best, rp);
            Path out = scratch(work.resolve("out-mydumper-c"));
            keepBest(best, command(MYDUMPER_C, out, null, List.of("mydumper", "-h", HOST, "-u", USER, "-p", PASSWORD,
                    "-B", DATABASE, "-t", "2", "-c", "-o", out.toString()), false));
            // the uncompressed mydumper directory and the SQL file are kept for the restores below
            Path mydumperDir = scratch(work.resolve("out-mydumper"));
            Result mydumper = command("mydumper -t 2", mydumperDir, null, List.of("mydumper", "-h", HOST, "-u", USER,
                    "-p", PASSWORD, "-B", DATABASE, "-t", "2", "-o", mydumperDir.toString()), true);
            keepBest(best, mydumper);
            Path dumpSql = scratch(work.resolve("out-mariadb-dump.sql"));
            Result mariadbDump = command("mariadb-dump --single-transaction --quick", dumpSql, dumpSql, List.of("mariadb-dump",
                    "-h" + HOST, "-u" + USER, "-p" + PASSWORD, "--single-transaction", "--quick", DATABASE), true);
            keepBest(best, mariadbDump);
            Result export = export(round, notes);
            if (export != null) {
                keepBest(best, export);
            }

            // restores of this round's backups, same data
            System.out.println();
            RestoreOutcome restore = restorePointRestore(rp, cursor, worker, workerActuator, round, restoreNotes);
            cursor = restore.cursorAfter;
            keepBest(bestRestore, restore.own);
            keepBest(bestRestore, restore.total);
            keepBest(bestRestore, myloader(mydumper, mydumperDir, round, restoreNotes));
            keepBest(bestRestore, plainRestore(mariadbDump, dumpSql, round, restoreNotes));
            BenchFiles.deleteTree(mydumperDir);
            BenchFiles.deleteTree(dumpSql);
            restoreNotes.add("round " + round + " ended with load average " + loadAverage()
                    + " (1/5/15 min; the machine has " + Runtime.getRuntime().availableProcessors() + " cores)");
        }
        String small = smallJobs > 0 ? smallJobs(cursor) : null;
        printTable(best, notes);
        printRestoreTable(bestRestore, restoreNotes);
        if (small != null) {
            System.out.println();
            System.out.println(small);
        }
        printLogs();
        System.out.printf(Locale.ROOT, "%nbench finished in %.1f s%n", (System.nanoTime() - started) / 1e9);
        return Stream.concat(best.values().stream(), bestRestore.values().stream()).anyMatch(r -> r.error != null) ? 1 : 0;
    }

    /** An untimed full read of the database (mariadb-dump to nowhere), so every timed run starts on warm caches. */
    private void warmCaches(List<String> notes, int round) {
        long t = System.nanoTime();
        try {
            Process p = new ProcessBuilder("mariadb-dump", "-h" + HOST, "-u" + USER, "-p" + PASSWORD, "--single-transaction",
                    "--quick", DATABASE).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            int exit = p.waitFor();
            System.out.printf(Locale.ROOT, "caches warmed (untimed read of %s) in %.1f s%n", DATABASE, (System.nanoTime() - t) / 1e9);
            if (exit != 0) {
                notes.add("WARNING round " + round + ": the untimed warm-up read exited " + exit + "; the first run may be cold");
            }
        } catch (IOException e) {
            notes.add("WARNING round " + round + ": no warm-up read (" + e.getMessage() + "); the first run may be cold");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void keepBest(Map<String, Result> best, Result result) {
        best.merge(result.tool, result, (a, b) -> {
            Result winner = a.error != null ? b : b.error != null ? a : a.seconds <= b.seconds ? a : b;
            // memory: the highest seen in any round
            winner.peakHeap = Math.max(a.peakHeap, b.peakHeap);
            winner.peakRss = Math.max(a.peakRss, b.peakRss);
            winner.hwm = Math.max(a.hwm, b.hwm);
            return winner;
        });
    }

    // -- dataset --------------------------------------------------------------------------------------

    private void prepareDataset() {
        List<Map<String, Object>> tables = Sql.query(db.connectionFactory(null),
                "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" + DATABASE + "'");
        List<String> present = tables.stream().map(r -> String.valueOf(r.values().iterator().next())).toList();
        if (present.containsAll(ScrapDemo.TABLES)) {
            long pesaje = count("pesaje");
            long auditoria = count("auditoria");
            if (pesaje == rows && auditoria == rows) {
                System.out.printf(Locale.ROOT, "dataset %s already holds %,d rows each in pesaje and auditoria: reused%n",
                        DATABASE, rows);
                return;
            }
            System.out.printf(Locale.ROOT, "dataset %s holds %,d / %,d rows in pesaje / auditoria, not %,d: re-creating%n",
                    DATABASE, pesaje, auditoria, rows);
        } else if (!present.isEmpty()) {
            System.out.println("dataset " + DATABASE + " is incomplete: re-creating");
        }
        long t = System.nanoTime();
        System.out.printf(Locale.ROOT, "creating %s with %,d rows each in pesaje and auditoria ...%n", DATABASE, rows);
        db.dropDatabase(DATABASE);
        db.createDatabase(DATABASE);
        ScrapDemo.install(db.connectionFactory(DATABASE), rows);
        System.out.printf(Locale.ROOT, "created %s in %.1f s%n", DATABASE, (System.nanoTime() - t) / 1e9);
    }

    private long count(String table) {
        return count(DATABASE, table);
    }

    private long count(String database, String table) {
        Object n = Sql.scalar(db.connectionFactory(database), "SELECT COUNT(*) FROM `" + Sql.checkIdentifier(table) + "`");
        return ((Number) n).longValue();
    }

    private Map<String, Long> countRows() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : ScrapDemo.TABLES) {
            counts.put(table, count(table));
        }
        return counts;
    }

    /**
     * RestorePoint keeps its control tables and feed store in database {@code restorepoint} on this same
     * server, while the embedded broker is new on every run; a feed store left from an earlier run would
     * make sync-events resume after that run's last cursor and miss this run's first events. Every run
     * starts from a clean state, like {@code ./run-local.sh}.
     */
    private void resetControlDatabase() {
        if (Boolean.getBoolean("bench.keepControlDb")) {
            System.out.println("keeping control database " + LocalStack.CONTROL_DATABASE + " (-Dbench.keepControlDb)");
            return;
        }
        db.dropDatabase(LocalStack.CONTROL_DATABASE);
    }

    // -- environment ----------------------------------------------------------------------------------

    private void printEnvironment(Map<String, Long> tableRows) {
        Map<String, Object> server = Sql.query(db.connectionFactory(null),
                "SELECT VERSION() AS v, @@innodb_buffer_pool_size AS bp").get(0);
        Sql.query(db.connectionFactory(DATABASE), "ANALYZE TABLE " + String.join(", ", ScrapDemo.TABLES));
        Object onDisk = Sql.scalar(db.connectionFactory(null), "SELECT SUM(DATA_LENGTH + INDEX_LENGTH) FROM "
                + "information_schema.TABLES WHERE TABLE_SCHEMA = '" + DATABASE + "'");
        System.out.println("\nEnvironment");
        row("date", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")));
        row("cores", Runtime.getRuntime().availableProcessors() + " (" + cpuModel() + ")");
        row("memory", memTotal());
        row("load", loadAverage() + " (1/5/15 min load average at the start; other work on the machine skews the times)");
        row("MariaDB", server.get("v") + " on " + HOST + ":" + PORT + ", innodb_buffer_pool_size "
                + mb(((Number) server.get("bp")).longValue()) + " MB");
        row("mydumper", firstLine(output(List.of("mydumper", "--version"))));
        row("mariadb-dump", firstLine(output(List.of("mariadb-dump", "--version"))));
        row("Java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        row("RestorePoint", gitDescription() + "; worker jar built " + modified(jar("backup-worker"))
                + ", gateway jar built " + modified(jar("gateway")));
        row("rows", String.format(Locale.ROOT, "%,d in all (%,d each in pesaje and auditoria, %,d in the 12 catalogues)",
                totalRows, rows, totalRows - tableRows.get("pesaje") - tableRows.get("auditoria")));
        row("dataset", String.format(Locale.ROOT, "%s, %s MB in InnoDB (data + indexes)", DATABASE,
                mb(onDisk == null ? 0 : ((Number) onDisk).longValue())));
        row("repeat", (repeat == 1 ? "each tool once" : "best of " + repeat + " rounds") + ", each round after one untimed read of the data");
    }

    private static void row(String key, String value) {
        System.out.printf(Locale.ROOT, "  %-13s %s%n", key, value);
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    /** The first three fields of /proc/loadavg. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static String memTotal() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                    .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024 + " MB").findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private String gitDescription() {
        String head = firstLine(output(List.of("git", "-C", root.toString(), "rev-parse", "--short", "HEAD")));
        String dirty = output(List.of("git", "-C", root.toString(), "status", "--porcelain", "--untracked-files=no")).isBlank()
                ? "" : " + uncommitted changes";
        return "commit " + head + dirty;
    }

    private Path jar(String module) {
        return root.resolve(module).resolve("target").resolve(module + "-exec.jar");
    }

    private static String modified(Path file) {
        try {
            FileTime time = Files.getLastModifiedTime(file);
            return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").format(
                    LocalDateTime.ofInstant(time.toInstant(), java.time.ZoneId.systemDefault()));
        } catch (IOException e) {
            return "?";
        }
    }

    private static String output(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return out.trim();
        } catch (IOException e) {
            return "(" + command.get(0) + " not found)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }

    // -- RestorePoint ---------------------------------------------------------------------------------

    private Result restorePoint(long cursor, ServiceProcess worker, String workerActuator, int round, List<String> notes) {
        String tool = "RestorePoint backup job";
        System.out.print("running " + tool + " ... ");
        System.out.flush();
        String token = stack.adminToken();
        Result result = new Result(tool);
        List<String> statuses = new ArrayList<>();
        List<JsonNode> jobEvents = new ArrayList<>();
        JsonNode done = null;
        String version = null;
        ProcessSampler sampler = ProcessSampler.start(worker.pid(), workerActuator);
        long t0 = System.nanoTime();
        try {
            HttpResponse<String> created = post(stack.gatewayUrl() + "/api/p/" + LocalStack.PROJECT + "/backups/create",
                    token, "{\"created_by\":\"bench\",\"name\":\"bench " + rows + " rows, round " + round + "\"}");
            JsonNode body = JSON.readTree(created.body());
            if (created.statusCode() != 200 || !body.path("success").asBoolean()) {
                result.error = "create answered " + created.statusCode() + ": " + created.body();
                result.cursorAfter = cursor;
                return result;
            }
            String job = body.path("result").path("job.token").asString();
            result.version = body.path("result").path("version").asInt();
            version = String.format(Locale.ROOT, "%06d", result.version);
            long deadline = t0 + JOB_TIMEOUT.toNanos();
            while (done == null && result.error == null) {
                if (System.nanoTime() > deadline) {
                    result.error = "no done/rejected event for job " + job + " after " + JOB_TIMEOUT.toMinutes()
                            + " min (statuses seen: " + statuses + ")";
                    break;
                }
                HttpResponse<String> page = post(stack.syncUrl() + "/sync/get", token, "{\"cc.cursor\":" + cursor + "}");
                JsonNode pageBody = JSON.readTree(page.body());
                if (page.statusCode() != 200) {
                    result.error = "/sync/get answered " + page.statusCode() + ": " + page.body();
                    break;
                }
                JsonNode events = pageBody.path("result").path("events");
                for (JsonNode event : events) {
                    if (!job.equals(event.path("data_key").asString())) {
                        continue;
                    }
                    String status = event.path("data").path("status").asString();
                    statuses.add(status);
                    jobEvents.add(event.path("data"));
                    if (status.equals("done")) {
                        done = event.path("data");
                        result.seconds = (System.nanoTime() - t0) / 1e9;
                    } else if (status.equals("rejected")) {
                        result.error = "job rejected: " + event.path("data").path("failure");
                    }
                }
                cursor = pageBody.path("result").path("cc.cursor").asLong(cursor);
                if (done == null && result.error == null && !pageBody.path("result").path("more").asBoolean()) {
                    sleep(50);
                }
            }
        } finally {
            sampler.close();
            result.cursorAfter = cursor;
        }
        result.peakHeap = sampler.peakHeap();
        result.peakRss = sampler.peakRss();
        result.hwm = sampler.hwm();
        if (!worker.isAlive()) {
            result.error = (result.error == null ? "" : result.error + "; ") + "the worker process has exited";
        }
        if (result.error != null) {
            System.out.println("FAILED: " + result.error);
            return result;
        }
        Path artifact = stack.storeDir().resolve(LocalStack.PROJECT).resolve(version);
        result.bytes = BenchFiles.sizeOf(artifact);
        long reportedRows = done.path("result").path("rows").asLong(-1);
        long reportedBytes = done.path("result").path("bytes").asLong(-1);
        System.out.printf(Locale.ROOT, "%.2f s (version %s, events %s, heap samples %d, heap read errors %d)%n",
                result.seconds, version, collapse(statuses), sampler.heapSamples(), sampler.heapErrors());
        if (reportedRows != totalRows) {
            notes.add(String.format(Locale.ROOT, "round %d: the done event reports %,d rows, the tables hold %,d",
                    round, reportedRows, totalRows));
        }
        notes.add("RestorePoint round " + round + ": " + phases(jobEvents));
        if (round == 1) {
            notes.add(String.format(Locale.ROOT, "RestorePoint: done event result rows %,d, bytes %,d; artifact %s "
                    + "(%,d bytes on disk; deleted at the end)", reportedRows, reportedBytes, artifact, result.bytes));
        }
        if (sampler.heapSamples() == 0) {
            notes.add("RestorePoint: no heap sample could be read from " + workerActuator + "/actuator/metrics");
        }
        return result;
    }

    /**
     * The pipeline latency every job pays: {@code smallJobs} backups, one after the other, of the small project's
     * database holding the demo data (4,433 rows), on the warm stack; each timed from the create request to its
     * {@code done} on {@code /sync/get} (polled every 5 ms, so the poll adds at most that).
     */
    private String smallJobs(long cursor) throws Exception {
        String project = LocalStack.extraProject(1);
        String database = LocalStack.extraDatabase(1);
        db.dropDatabase(database);
        db.createDatabase(database);
        ScrapDemo.install(db.connectionFactory(database), ScrapDemo.SMALL);
        long rowsThere = ScrapDemo.TABLES.stream().mapToLong(t -> count(database, t)).sum();
        String token = stack.adminToken();
        List<Double> walls = new ArrayList<>();
        List<Double> pickups = new ArrayList<>();
        List<Double> works = new ArrayList<>();
        System.out.printf(Locale.ROOT, "%nrunning %d small backups (%s, %,d rows) ... ", smallJobs + 1, project, rowsThere);
        System.out.flush();
        for (int i = 0; i <= smallJobs; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> created = post(stack.gatewayUrl() + "/api/p/" + project + "/backups/create", token,
                    "{\"created_by\":\"bench\",\"name\":\"small " + i + "\"}");
            JsonNode body = JSON.readTree(created.body());
            if (created.statusCode() != 200) {
                return "small backups: create answered " + created.statusCode() + ": " + created.body();
            }
            String job = body.path("result").path("job.token").asString();
            List<JsonNode> events = new ArrayList<>();
            double wall = Double.NaN;
            long deadline = t0 + Duration.ofMinutes(1).toNanos();
            while (Double.isNaN(wall)) {
                if (System.nanoTime() > deadline) {
                    return "small backups: no done event for job " + job + " within a minute";
                }
                JsonNode page = JSON.readTree(post(stack.syncUrl() + "/sync/get", token, "{\"cc.cursor\":" + cursor + "}").body());
                for (JsonNode event : page.path("result").path("events")) {
                    if (job.equals(event.path("data_key").asString())) {
                        events.add(event.path("data"));
                        String status = event.path("data").path("status").asString();
                        if (status.equals("done")) {
                            wall = (System.nanoTime() - t0) / 1e6;
                        } else if (status.equals("rejected")) {
                            return "small backups: job rejected: " + event.path("data").path("failure");
                        }
                    }
                }
                cursor = page.path("result").path("cc.cursor").asLong(cursor);
                if (Double.isNaN(wall) && !page.path("result").path("more").asBoolean()) {
                    sleep(5);
                }
            }
            if (i == 0) {
                continue; // the first one warms the small project's path up; not counted
            }
            walls.add(wall);
            double queued = Double.NaN;
            double processing = Double.NaN;
            double done = Double.NaN;
            for (JsonNode e : events) {
                double at = e.path("updated_on").asDouble(Double.NaN) * 1000;
                switch (e.path("status").asString()) {
                    case "queued" -> queued = Double.isNaN(queued) ? at : queued;
                    case "processing" -> processing = Double.isNaN(processing) ? at : processing;
                    case "done" -> done = at;
                    default -> { }
                }
            }
            pickups.add(processing - queued);
            works.add(done - processing);
        }
        System.out.println("done");
        return String.format(Locale.ROOT, "small backups (%s, %,d rows, %d timed after one warm-up), request → done on the feed: "
                        + "p50 %.0f ms, p90 %.0f ms, max %.0f ms (target: p50 ≤ 300 ms)%n"
                        + "  of which queued → first processing event p50 %.0f ms, first processing → done event p50 %.0f ms "
                        + "(event clocks, ms resolution of updated_on)",
                project, rowsThere, walls.size(), quantile(walls, 0.5), quantile(walls, 0.9), quantile(walls, 1.0),
                quantile(pickups, 0.5), quantile(works, 0.5));
    }

    private static double quantile(List<Double> values, double q) {
        List<Double> sorted = values.stream().filter(v -> !v.isNaN()).sorted().toList();
        return sorted.isEmpty() ? Double.NaN : sorted.get(Math.max(0, (int) Math.ceil(q * sorted.size()) - 1));
    }

    /** Where the job's time went, from the events' own clocks (updated_on, epoch seconds). */
    static String phases(List<JsonNode> events) {
        double queued = Double.NaN;
        double firstProcessing = Double.NaN;
        double doneAt = Double.NaN;
        for (JsonNode e : events) {
            double at = e.path("updated_on").asDouble(Double.NaN);
            switch (e.path("status").asString()) {
                case "queued" -> queued = Double.isNaN(queued) ? at : queued;
                case "processing" -> firstProcessing = Double.isNaN(firstProcessing) ? at : firstProcessing;
                case "done" -> doneAt = at;
                default -> { }
            }
        }
        return String.format(Locale.ROOT, "queued → first processing event %.2f s, → done event %.2f s "
                + "(event timestamps; the rest of the wall time is request and feed latency)",
                firstProcessing - queued, doneAt - firstProcessing);
    }

    /** queued, processing, processing, done → "queued → processing ×2 → done". */
    static String collapse(List<String> statuses) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < statuses.size(); ) {
            int j = i;
            while (j < statuses.size() && statuses.get(j).equals(statuses.get(i))) {
                j++;
            }
            out.add(statuses.get(i) + (j - i > 1 ? " ×" + (j - i) : ""));
            i = j;
        }
        return String.join(" → ", out);
    }

    private long latestCursor() {
        HttpResponse<String> response = post(stack.syncUrl() + "/sync/cursors", stack.adminToken(), "{}");
        if (response.statusCode() != 200) {
            return 0;
        }
        return JSON.readTree(response.body()).path("result").path("cc.cursor").asLong(0);
    }

    // -- the export API -------------------------------------------------------------------------------

    private Result export(int round, List<String> notes) {
        String tool = "RestorePoint GET /api/backup/export";
        System.out.print("running " + tool + " ... ");
        System.out.flush();
        Result result = new Result(tool);
        HttpRequest request = HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/api/backup/export"))
                .timeout(JOB_TIMEOUT).header("Authorization", "Bearer " + stack.adminToken()).GET().build();
        ProcessSampler sampler = ProcessSampler.start(stack.gateway().pid(), stack.gatewayUrl());
        long t0 = System.nanoTime();
        try {
            HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                if (response.statusCode() == 404) {
                    in.readAllBytes();
                    System.out.println("export: not available yet (404)");
                    if (round == 1) {
                        notes.add("export: not available yet (GET /api/backup/export answered 404)");
                    }
                    return null;
                }
                if (response.statusCode() != 200) {
                    String body = new String(in.readNBytes(500), StandardCharsets.UTF_8);
                    result.error = "answered " + response.statusCode() + ": " + body;
                    System.out.println("FAILED: " + result.error);
                    return result;
                }
                byte[] buffer = new byte[1 << 16];
                long total = 0;
                int n = in.read(buffer);
                result.firstByteSeconds = (System.nanoTime() - t0) / 1e9;
                while (n >= 0) {
                    total += n;
                    n = in.read(buffer);
                }
                result.seconds = (System.nanoTime() - t0) / 1e9;
                result.bytes = total;
            }
        } catch (IOException e) {
            result.error = "failed after " + String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - t0) / 1e9)
                    + ": " + e;
            System.out.println("FAILED: " + result.error);
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            sampler.close();
        }
        result.peakHeap = sampler.peakHeap();
        result.peakRss = sampler.peakRss();
        result.hwm = sampler.hwm();
        System.out.printf(Locale.ROOT, "%.2f s (first byte after %.3f s)%n", result.seconds, result.firstByteSeconds);
        return result;
    }

    // -- external tools -------------------------------------------------------------------------------

    /**
     * Runs a dump tool and times it from start to exit. {@code stdoutFile} receives its standard output
     * (mariadb-dump); its standard error goes to a log next to the output. The output is measured, then
     * deleted unless {@code keep} (a restore below reads it; it is deleted after that).
     */
    private Result command(String tool, Path output, Path stdoutFile, List<String> command, boolean keep) {
        BenchFiles.deleteTree(output);
        Path log = scratch(work.resolve("log-" + output.getFileName() + ".txt"));
        Result result = timed(tool, command, null, stdoutFile, log);
        result.bytes = BenchFiles.sizeOf(output);
        if (!keep || result.error != null) {
            BenchFiles.deleteTree(output);
        }
        return result;
    }

    /**
     * Runs a tool and times it from process start to exit, sampling its RSS. {@code stdinFile} (a restore's
     * SQL file) is its standard input, {@code stdoutFile} receives its standard output (both may be null);
     * standard error goes to {@code log}. Prints "running tool ... seconds".
     */
    private Result timed(String tool, List<String> command, Path stdinFile, Path stdoutFile, Path log) {
        System.out.print("running " + tool + " ... ");
        System.out.flush();
        Result result = new Result(tool);
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
        builder.redirectOutput(stdoutFile == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(stdoutFile.toFile()));
        if (stdinFile != null) {
            builder.redirectInput(stdinFile.toFile());
        }
        long t0 = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            result.error = "cannot start " + command.get(0) + ": " + e.getMessage();
            System.out.println("FAILED: " + result.error);
            return result;
        }
        ProcessSampler sampler = ProcessSampler.start(process.pid(), null);
        int exit;
        try {
            if (!process.waitFor(JOB_TIMEOUT.toMinutes(), TimeUnit.MINUTES)) {
                process.destroyForcibly();
                result.error = "did not finish in " + JOB_TIMEOUT.toMinutes() + " min";
            }
            exit = process.exitValue();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (IllegalThreadStateException e) {
            exit = -1;
        } finally {
            sampler.close();
        }
        result.seconds = (System.nanoTime() - t0) / 1e9;
        result.peakRss = sampler.peakRss();
        String stderr = BenchFiles.readQuietly(log).strip();
        if (result.error == null && exit != 0) {
            result.error = "exit " + exit + (stderr.isEmpty() ? "" : ": " + BenchFiles.lastLines(stderr, 5));
        }
        if (result.error != null) {
            System.out.println("FAILED: " + result.error);
        } else {
            System.out.printf(Locale.ROOT, "%.2f s%s%n", result.seconds,
                    stderr.isEmpty() ? "" : " (stderr: " + BenchFiles.lastLines(stderr, 3).replace('\n', ' ') + ")");
        }
        return result;
    }

    // -- restores -------------------------------------------------------------------------------------

    static final String RP_RESTORE_OWN = "RestorePoint restore job (restore only)";
    static final String RP_RESTORE_TOTAL = "RestorePoint restore incl. safety backup";
    static final String MYLOADER = "myloader -t 2";
    static final String PLAIN = "mariadb < dump.sql";
    /** Where the tools restore to, beside scrap_demo (dropped before and after). */
    static final String MYLOADER_DB = "scrap_restore_myloader";
    static final String PLAIN_DB = "scrap_restore_plain";
    /** The tables whose row counts are checked after each restore. */
    private static final List<String> CHECKED_TABLES = List.of("pesaje", "auditoria");

    /** A RestorePoint restore measured two ways, and the feed cursor after it. */
    record RestoreOutcome(Result own, Result total, long cursorAfter) {
    }

    /**
     * Restores the version this round's backup job made: {@code POST /api/p/demo/backups/restore}, then
     * follows the safety backup and the restore job on {@code /sync/get} until the restore's {@code done}.
     * Two results: request → restore {@code done} readable on the feed (includes the safety backup), and the
     * restore job's own time, safety backup {@code done} → restore {@code done} by the events' timestamps.
     */
    private RestoreOutcome restorePointRestore(Result backup, long cursor, ServiceProcess worker, String workerActuator,
            int round, List<String> notes) {
        Result own = new Result(RP_RESTORE_OWN);
        Result total = new Result(RP_RESTORE_TOTAL);
        if (backup.error != null || backup.version <= 0) {
            own.error = "no backup version to restore (the backup job failed)";
            total.error = own.error;
            System.out.println("RestorePoint restore: skipped, " + own.error);
            return new RestoreOutcome(own, total, cursor);
        }
        System.out.print("running RestorePoint restore of version " + backup.version + " ... ");
        System.out.flush();
        String token = stack.adminToken();
        String url = stack.gatewayUrl() + "/api/p/" + LocalStack.PROJECT + "/backups/restore";
        List<JsonNode> restoreEvents = new ArrayList<>();
        List<JsonNode> safetyEvents = new ArrayList<>();
        List<String> restoreStatuses = new ArrayList<>();
        JsonNode restoreDone = null;
        JsonNode safetyDone = null;
        String error = null;
        String restoreToken = null;
        String safetyToken = null;
        int safetyVersion = -1;
        int attempts = 0;
        double requestEpoch = Double.NaN;
        double visibleEpoch = Double.NaN;
        ProcessSampler sampler = ProcessSampler.start(worker.pid(), workerActuator);
        long t0 = System.nanoTime();
        try {
            // the gateway marks a version valid once it has read the backup's done event, which can come a
            // moment after the event is readable on the feed: a 422 is retried for up to 30 s
            long validDeadline = t0 + Duration.ofSeconds(30).toNanos();
            HttpResponse<String> answer;
            while (true) {
                attempts++;
                t0 = System.nanoTime();
                requestEpoch = System.currentTimeMillis() / 1000.0;
                answer = post(url, token, "{\"version\":" + backup.version + "}");
                if (answer.statusCode() != 422 || System.nanoTime() > validDeadline) {
                    break;
                }
                sleep(100);
            }
            JsonNode json = JSON.readTree(answer.body());
            if (answer.statusCode() != 200 || !json.path("success").asBoolean()) {
                error = "restore answered " + answer.statusCode() + ": " + abbreviate(answer.body(), 300);
            } else {
                restoreToken = json.path("result").path("job.token").asString();
                safetyToken = json.path("result").path("safety_backup").path("job.token").asString();
                safetyVersion = json.path("result").path("safety_backup").path("version").asInt(-1);
                long deadline = t0 + JOB_TIMEOUT.toNanos();
                while (restoreDone == null && error == null) {
                    if (System.nanoTime() > deadline) {
                        error = "no done/rejected event for restore job " + restoreToken + " after "
                                + JOB_TIMEOUT.toMinutes() + " min (statuses seen: " + restoreStatuses + ")";
                        break;
                    }
                    HttpResponse<String> page = post(stack.syncUrl() + "/sync/get", token, "{\"cc.cursor\":" + cursor + "}");
                    if (page.statusCode() != 200) {
                        error = "/sync/get answered " + page.statusCode() + ": " + page.body();
                        break;
                    }
                    JsonNode pageBody = JSON.readTree(page.body());
                    for (JsonNode event : pageBody.path("result").path("events")) {
                        String key = event.path("data_key").asString();
                        JsonNode data = event.path("data");
                        String status = data.path("status").asString();
                        if (restoreToken.equals(key)) {
                            restoreEvents.add(data);
                            restoreStatuses.add(status);
                            if (status.equals("done")) {
                                restoreDone = data;
                                total.seconds = (System.nanoTime() - t0) / 1e9;
                                visibleEpoch = System.currentTimeMillis() / 1000.0;
                            } else if (status.equals("rejected") && error == null) {
                                error = "restore job rejected: " + data.path("failure");
                            }
                        } else if (safetyToken.equals(key)) {
                            safetyEvents.add(data);
                            if (status.equals("done")) {
                                safetyDone = data;
                            } else if (status.equals("rejected") && error == null) {
                                error = "safety backup rejected: " + data.path("failure");
                            }
                        }
                    }
                    cursor = pageBody.path("result").path("cc.cursor").asLong(cursor);
                    if (restoreDone == null && error == null && !pageBody.path("result").path("more").asBoolean()) {
                        sleep(50);
                    }
                }
            }
        } catch (RuntimeException e) {
            error = "failed: " + e;
        } finally {
            sampler.close();
        }
        for (Result r : List.of(own, total)) {
            r.peakHeap = sampler.peakHeap();
            r.peakRss = sampler.peakRss();
            r.hwm = sampler.hwm();
        }
        if (!worker.isAlive()) {
            error = (error == null ? "" : error + "; ") + "the worker process has exited";
        }
        if (error == null && safetyDone == null) {
            error = "the restore ended done but no done event of its safety backup was seen";
        }
        if (error != null) {
            own.error = error;
            total.error = error;
            System.out.println("FAILED: " + error);
            if (!restoreEvents.isEmpty() || !safetyEvents.isEmpty()) {
                notes.add("RestorePoint restore round " + round + " (failed): " + restoreTimeline(requestEpoch,
                        safetyEvents, restoreEvents, visibleEpoch));
            }
            checkLeftovers(round, notes);
            return new RestoreOutcome(own, total, cursor);
        }
        own.seconds = restoreDone.path("updated_on").asDouble() - safetyDone.path("updated_on").asDouble();
        System.out.printf(Locale.ROOT, "%.2f s request → done, %.2f s restore only (safety backup version %d; "
                        + "restore events %s)%n", total.seconds, own.seconds, safetyVersion, collapse(restoreStatuses));
        if (attempts > 1) {
            notes.add("RestorePoint restore round " + round + ": the request was answered 422 " + (attempts - 1)
                    + " time(s) first (version not yet valid at the gateway); timed from the accepted request");
        }
        long reported = restoreDone.path("result").path("rows").asLong(-1);
        if (reported != totalRows) {
            notes.add(String.format(Locale.ROOT, "WARNING round %d: the restore's done event reports %,d rows, the "
                    + "backup was of %,d", round, reported, totalRows));
        }
        notes.add("RestorePoint restore round " + round + ": " + restoreTimeline(requestEpoch, safetyEvents, restoreEvents,
                visibleEpoch));
        String fromLog = workerLogTimeline(restoreToken, requestEpoch, safetyDone.path("updated_on").asDouble());
        if (fromLog != null) {
            notes.add("      " + fromLog);
        }
        checkRestored(own, DATABASE, round, notes);
        checkLeftovers(round, notes);
        return new RestoreOutcome(own, total, cursor);
    }

    /**
     * The restore's timeline by the events' own clocks (the worker's and the gateway's, same host), relative
     * to the request: the safety backup's queued / first processing / done, then the first event that showed
     * each {@code info.phase} of the restore job (progress events come about once a second, so a phase
     * shorter than that may not appear), and the done.
     */
    static String restoreTimeline(double requestEpoch, List<JsonNode> safety, List<JsonNode> restore, double visibleEpoch) {
        StringBuilder out = new StringBuilder("timeline from the request (event timestamps): safety backup");
        double safetyDone = Double.NaN;
        String lastStatus = null;
        for (JsonNode e : safety) {
            String status = e.path("status").asString();
            double at = e.path("updated_on").asDouble(Double.NaN);
            if (!status.equals(lastStatus)) {
                out.append(String.format(Locale.ROOT, " %s +%.2f", status, at - requestEpoch));
                lastStatus = status;
            }
            if (status.equals("done")) {
                safetyDone = at;
            }
        }
        out.append(" s; restore job");
        Map<String, Double> firstSeen = new LinkedHashMap<>();
        double done = Double.NaN;
        for (JsonNode e : restore) {
            String status = e.path("status").asString();
            double at = e.path("updated_on").asDouble(Double.NaN);
            String key = switch (status) {
                case "processing" -> e.path("info").path("phase").asString("?");
                default -> status;
            };
            firstSeen.putIfAbsent(key, at);
            if (status.equals("done") || status.equals("rejected")) {
                done = at;
            }
        }
        for (Map.Entry<String, Double> e : firstSeen.entrySet()) {
            out.append(String.format(Locale.ROOT, " %s +%.2f", e.getKey(), e.getValue() - requestEpoch));
        }
        out.append(" s");
        if (!Double.isNaN(visibleEpoch)) {
            out.append(String.format(Locale.ROOT, "; done readable on /sync/get +%.2f s", visibleEpoch - requestEpoch));
        }
        // approximate phase lengths: from a phase's first event to the next phase's first event
        List<Map.Entry<String, Double>> seen = new ArrayList<>(firstSeen.entrySet());
        List<String> lengths = new ArrayList<>();
        for (int i = 0; i < seen.size() - 1; i++) {
            String phase = seen.get(i).getKey();
            if (phase.equals("queued")) {
                continue;
            }
            lengths.add(String.format(Locale.ROOT, "%s ~%.1f", phase, seen.get(i + 1).getValue() - seen.get(i).getValue()));
        }
        if (!Double.isNaN(safetyDone) && !Double.isNaN(done)) {
            out.append(String.format(Locale.ROOT, "%n      restore phases (first event of a phase → first event of the next, "
                    + "±1 s; a phase without an event of its own counts in the one before): %s s; restore only "
                    + "(safety done → restore done) %.2f s", String.join(", ", lengths), done - safetyDone));
        }
        return out.toString();
    }

    /**
     * The restore's steps by the backup-worker's log (millisecond timestamps, same host clock), relative to
     * the request: "restore of ..." (the safety check passed, verify starts), "swapped N tables [and M other objects] into ..."
     * (the RENAME TABLE committed), "... restored to version" (just before the done event). Null if the
     * lines are not found.
     */
    private String workerLogTimeline(String token, double requestEpoch, double safetyDoneEpoch) {
        double start = Double.NaN;
        double swapped = Double.NaN;
        double restored = Double.NaN;
        try (Stream<Path> files = Files.list(stack.logsDir())) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("backup-worker")).sorted().toList()) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (line.contains("job " + token + ": restore of ")) {
                        start = logTime(line);
                    } else if (!Double.isNaN(start) && Double.isNaN(swapped) && line.contains("swapped ")
                            && line.contains(" into " + DATABASE) && line.contains(" tables ")) {
                        swapped = logTime(line);
                    } else if (line.contains("job " + token + ": ") && line.contains(" restored to version ")) {
                        restored = logTime(line);
                    }
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return null;
        }
        if (Double.isNaN(start) || Double.isNaN(restored)) {
            return null;
        }
        return String.format(Locale.ROOT, "worker log: restore starts (safety check passed) +%.2f s, "
                        + "swapped +%s s, restored +%.2f s → safety backup done → restore start %.2f s, "
                        + "verify+schema+load+check+swap %.2f s", start - requestEpoch,
                Double.isNaN(swapped) ? "?" : String.format(Locale.ROOT, "%.2f", swapped - requestEpoch),
                restored - requestEpoch, start - safetyDoneEpoch,
                (Double.isNaN(swapped) ? restored : swapped) - start);
    }

    /** "2026-11-23T17:04:58.986Z  INFO ..." → epoch seconds (NaN if the line does not start with an instant). */
    static double logTime(String line) {
        int space = line.indexOf(' ');
        try {
            java.time.Instant at = java.time.Instant.parse(space < 0 ? line : line.substring(0, space));
            return at.getEpochSecond() + at.getNano() / 1e9;
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    /** A run that did not happen, and why (printed). */
    private static Result skipped(String tool, String why) {
        Result result = new Result(tool);
        result.error = why;
        System.out.println(tool + ": skipped, " + why);
        return result;
    }

    /** myloader of this round's uncompressed mydumper directory into {@link #MYLOADER_DB}. */
    private Result myloader(Result dump, Path dir, int round, List<String> notes) {
        if (dump.error != null) {
            return skipped(MYLOADER, "no mydumper -t 2 output to load (the dump failed)");
        }
        db.dropDatabase(MYLOADER_DB);
        Path log = scratch(work.resolve("log-myloader.txt"));
        Result result = timed(MYLOADER, List.of("myloader", "-h", HOST, "-u", USER, "-p", PASSWORD, "-t", "2",
                "-d", dir.toString(), "-s", DATABASE, "-B", MYLOADER_DB, "-o"), null, null, log);
        checkRestored(result, MYLOADER_DB, round, notes);
        db.dropDatabase(MYLOADER_DB);
        return result;
    }

    /** {@code mariadb PLAIN_DB < dump.sql} of this round's mariadb-dump file (the database is created first). */
    private Result plainRestore(Result dump, Path sql, int round, List<String> notes) {
        if (dump.error != null) {
            return skipped(PLAIN, "no mariadb-dump output to load (the dump failed)");
        }
        db.dropDatabase(PLAIN_DB);
        db.createDatabase(PLAIN_DB);
        Path log = scratch(work.resolve("log-mariadb-restore.txt"));
        Result result = timed(PLAIN, List.of("mariadb", "-h" + HOST, "-u" + USER, "-p" + PASSWORD, PLAIN_DB), sql, null, log);
        checkRestored(result, PLAIN_DB, round, notes);
        db.dropDatabase(PLAIN_DB);
        return result;
    }

    /** Cheap correctness check of a restore: pesaje and auditoria hold as many rows as the source. */
    private void checkRestored(Result result, String database, int round, List<String> notes) {
        if (result.error != null) {
            return;
        }
        List<String> counts = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        for (String table : CHECKED_TABLES) {
            try {
                long n = count(database, table);
                counts.add(String.format(Locale.ROOT, "%s %,d", table, n));
                if (n != rows) {
                    wrong.add(String.format(Locale.ROOT, "%s.%s holds %,d rows, the source %,d", database, table, n, rows));
                }
            } catch (RuntimeException e) {
                wrong.add(database + "." + table + ": cannot count (" + abbreviate(String.valueOf(e.getMessage()), 200) + ")");
            }
        }
        if (wrong.isEmpty()) {
            System.out.println("  row counts in " + database + ": " + String.join(", ", counts) + " = source");
        } else {
            String warning = "WARNING round " + round + ": " + result.tool + ": " + String.join("; ", wrong);
            System.out.println("  " + warning);
            notes.add(warning);
            result.countWarning = true;
        }
    }

    /** Helper schemas a restore left beside scrap_demo ({@code scrap_demo__rp_*}); reported, dropped at the end. */
    private void checkLeftovers(int round, List<String> notes) {
        List<String> left = helperSchemas();
        if (!left.isEmpty()) {
            notes.add("WARNING round " + round + ": helper schemas left after the restore: " + left
                    + " (dropped when the bench ends)");
        }
    }

    private List<String> helperSchemas() {
        return Sql.query(db.connectionFactory(null), "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA "
                        + "WHERE SCHEMA_NAME LIKE '" + HelperSchemas.likePattern(DATABASE) + "'").stream()
                .map(r -> String.valueOf(r.values().iterator().next())).toList();
    }

    // -- report ---------------------------------------------------------------------------------------

    private void printTable(Map<String, Result> results, List<String> notes) {
        Result reference = results.get(MYDUMPER_C);
        double base = reference == null || reference.error != null ? Double.NaN : reference.seconds;
        System.out.printf(Locale.ROOT, "%nBackup of %s: %,d rows (%,d each in pesaje and auditoria), %s%n", DATABASE,
                totalRows, rows, repeat == 1 ? "one run per tool" : "best of " + repeat);
        String format = "%-42s %9s %12s %12s %22s %7s%n";
        System.out.printf(Locale.ROOT, format, "tool", "wall (s)", "rows/s", "output (MB)", "peak heap / RSS (MB)", "ratio");
        System.out.println("-".repeat(42 + 9 + 12 + 12 + 22 + 7 + 5));
        for (Result r : results.values()) {
            if (r.error != null) {
                System.out.printf(Locale.ROOT, "%-42s FAILED: %s%n", r.tool, r.error);
                continue;
            }
            String memory = r.memory();
            System.out.printf(Locale.ROOT, format, r.tool, String.format(Locale.ROOT, "%.2f", r.seconds),
                    String.format(Locale.ROOT, "%,.0f", totalRows / r.seconds), mb(r.bytes), memory,
                    Double.isNaN(base) ? "n/a" : String.format(Locale.ROOT, "%.2f", r.seconds / base));
        }
        System.out.println();
        System.out.println("wall: RestorePoint = from the create request until its done event is readable on "
                + "/sync/get (polled every 50 ms);");
        System.out.println("      the tools = process start to exit. ratio = wall / wall(" + MYDUMPER_C + ").");
        System.out.println("output: bytes on disk (MB = 10^6 bytes); RestorePoint = the artifact directory, "
                + "export = response body.");
        System.out.println("memory: RestorePoint = the backup-worker JVM (-Xmx256m; RSS = max of samples and VmHWM), "
                + "export = the gateway JVM;");
        System.out.println("        the tools = RSS of their process, sampled every 100 ms (- / RSS).");
        Result export = results.get("RestorePoint GET /api/backup/export");
        if (export != null && export.error == null) {
            System.out.printf(Locale.ROOT, "export: first byte after %.3f s, last after %.2f s, %,d bytes%n",
                    export.firstByteSeconds, export.seconds, export.bytes);
        }
        for (String note : notes) {
            System.out.println(note);
        }
    }

    private void printRestoreTable(Map<String, Result> results, List<String> notes) {
        Result reference = results.get(MYLOADER);
        double base = reference == null || reference.error != null ? Double.NaN : reference.seconds;
        System.out.printf(Locale.ROOT, "%nRestore of the same data (this run's backups): %,d rows, %s%n", totalRows,
                repeat == 1 ? "one run per tool" : "best of " + repeat);
        String format = "%-42s %9s %12s %22s %7s%n";
        System.out.printf(Locale.ROOT, format, "tool", "wall (s)", "rows/s", "peak heap / RSS (MB)", "ratio");
        System.out.println("-".repeat(42 + 9 + 12 + 22 + 7 + 4));
        for (Result r : results.values()) {
            if (r.error != null) {
                System.out.printf(Locale.ROOT, "%-42s FAILED: %s%n", r.tool, r.error);
                continue;
            }
            String memory = r.memory();
            System.out.printf(Locale.ROOT, format, r.tool + (r.countWarning ? " (!)" : ""),
                    String.format(Locale.ROOT, "%.2f", r.seconds),
                    String.format(Locale.ROOT, "%,.0f", totalRows / r.seconds), memory,
                    Double.isNaN(base) ? "n/a" : String.format(Locale.ROOT, "%.2f", r.seconds / base));
        }
        System.out.println();
        System.out.println("wall: RestorePoint restore only = the restore job's done event − its safety backup's done event "
                + "(event timestamps):");
        System.out.println("        verify checksums, load into a helper schema, count check, atomic RENAME TABLE swap "
                + "into " + DATABASE + ";");
        System.out.println("      RestorePoint incl. safety backup = from the restore request until the restore's done "
                + "event is readable on /sync/get;");
        System.out.println("      " + MYLOADER + " = myloader -t 2 -o of the mydumper -t 2 directory into " + MYLOADER_DB
                + ", process start to exit;");
        System.out.println("      " + PLAIN + " = mariadb " + PLAIN_DB + " < the mariadb-dump file, process start to exit "
                + "(database created before).");
        System.out.println("ratio = wall / wall(" + MYLOADER + "); the comparison with myloader is the restore-only line "
                + "(myloader takes no safety backup).");
        System.out.println("memory: RestorePoint = the backup-worker JVM during the whole request (incl. safety backup); "
                + "the tools = RSS of their process.");
        System.out.println("check: pesaje and auditoria counted in the target after each restore; (!) = a count differed "
                + "(WARNING below).");
        for (String note : notes) {
            System.out.println(note);
        }
    }

    private void printLogs() {
        Path logs = stack.logsDir();
        System.out.println("\nRestorePoint logs: " + logs);
        try (Stream<Path> files = Files.list(logs)) {
            for (Path file : files.sorted().toList()) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                List<String> errors = lines.stream().filter(l -> l.contains(" ERROR ")).toList();
                long warns = lines.stream().filter(l -> l.contains(" WARN ")).count();
                System.out.printf(Locale.ROOT, "  %-24s %d ERROR, %d WARN lines%n", file.getFileName(), errors.size(), warns);
                errors.stream().limit(5).forEach(l -> System.out.println("    " + abbreviate(l, 240)));
            }
        } catch (IOException | UncheckedIOException e) {
            System.out.println("  (cannot read the logs: " + e.getMessage() + ")");
        }
    }

    // -- clean-up -------------------------------------------------------------------------------------

    private Path scratch(Path path) {
        scratch.add(path);
        return path;
    }

    /** Stops the stack and removes every output; idempotent (also the shutdown hook on Ctrl-C). */
    private void cleanUp() {
        if (!cleaned.compareAndSet(false, true)) {
            return;
        }
        if (stack != null) {
            System.out.println("\nStopping RestorePoint ...");
            try {
                stack.close();
            } catch (RuntimeException e) {
                System.out.println("stack did not stop cleanly: " + e);
            }
            BenchFiles.deleteTree(stack.storeDir());
            BenchFiles.deleteTree(work.resolve("stack").resolve("kafka"));
        }
        scratch.forEach(BenchFiles::deleteTree);
        try {
            db.dropDatabase(MYLOADER_DB);
            db.dropDatabase(PLAIN_DB);
            for (String schema : helperSchemas()) {
                db.dropDatabase(schema);
            }
        } catch (RuntimeException e) {
            System.out.println("could not drop the restore databases: " + e.getMessage());
        }
    }

    // -- helpers --------------------------------------------------------------------------------------

    private static HttpResponse<String> post(String url, String token, String json) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(url + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + " …";
    }

    static String mb(long bytes) {
        return bytes < 0 ? "?" : String.format(Locale.ROOT, "%.1f", bytes / 1e6);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One measured run of one tool. */
    static final class Result {
        final String tool;
        double seconds = Double.NaN;
        double firstByteSeconds = Double.NaN;
        long bytes = -1;
        long peakHeap = -1;
        long peakRss = -1;
        long hwm = -1;
        String error;
        long cursorAfter;
        /** RestorePoint backup: the version it made. */
        int version = -1;
        /** Restore: a row count in the target differed from the source. */
        boolean countWarning;

        Result(String tool) {
            this.tool = tool;
        }

        /** "heap / RSS" in MB for a JVM, "- / RSS" for a tool, "-" when nothing was sampled. */
        String memory() {
            return peakHeap >= 0 ? mb(peakHeap) + " / " + mb(Math.max(peakRss, hwm)) : peakRss >= 0 ? "- / " + mb(peakRss) : "-";
        }
    }
}
