package io.restorepoint.local;

import io.restorepoint.demo.ScrapDemo;
import io.restorepoint.devinfra.DatabaseServer;
import io.restorepoint.devinfra.DevTokens;
import io.restorepoint.devinfra.EmbeddedMariaDb;
import io.restorepoint.devinfra.KraftBroker;
import io.restorepoint.devinfra.Ports;
import io.restorepoint.devinfra.Sql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * The whole stack on one machine: a KRaft broker and a MariaDB server (in this process, unless external
 * ones are configured), the scrap demo database registered as project {@code demo} with {@code admin}
 * as its owner, and gateway, backup-worker(s) and sync-events as child processes.
 */
public final class LocalStack implements AutoCloseable {

    /** Browser origins the local stack allows (CORS): loopback development servers only. */
    public static final List<String> DEV_ORIGINS = List.of("http://localhost:5173", "http://127.0.0.1:5173",
            "http://localhost:3000", "http://127.0.0.1:3000");

    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);

    public static final String PROJECT = "demo";
    public static final String DEMO_DATABASE = "scrap_demo";
    public static final String CONTROL_DATABASE = "restorepoint";
    public static final String ADMIN = "admin";

    private final LocalStackOptions options;
    private final String secret;
    private KraftBroker broker;
    private EmbeddedMariaDb embeddedDb;
    private String kafka;
    private DatabaseServer db;
    private ServiceProcess gateway;
    private ServiceProcess sync;
    private int syncIoPort;
    private final List<ServiceProcess> workers = new ArrayList<>();
    private Map<String, String> serviceEnv;
    private Path logs;

    private LocalStack(LocalStackOptions options) {
        this.options = options;
        this.secret = options.jwtSecret() == null ? DevTokens.randomSecret() : options.jwtSecret();
    }

    public static LocalStack start(LocalStackOptions options) {
        LocalStack stack = new LocalStack(options);
        try {
            stack.boot();
            return stack;
        } catch (RuntimeException | IOException e) {
            stack.close();
            throw e instanceof RuntimeException r ? r : new UncheckedIOException((IOException) e);
        }
    }

    private void boot() throws IOException {
        long started = System.nanoTime();
        resetWorkDir();
        logs = Files.createDirectories(options.workDir().resolve("logs"));

        CompletableFuture<String> kafkaReady = CompletableFuture.supplyAsync(() -> {
            if (options.kafkaBootstrap() != null) {
                return options.kafkaBootstrap();
            }
            broker = KraftBroker.start(options.workDir().resolve("kafka"), portOrFree(options.kafkaPort()));
            return broker.bootstrapServers();
        });
        if (options.dbHost() != null) {
            db = DatabaseServer.external(options.dbHost(), options.dbExternalPort(), options.dbUser(), options.dbPassword());
        } else {
            embeddedDb = EmbeddedMariaDb.start(options.workDir().resolve("mariadb"), portOrFree(options.dbPort()));
            db = embeddedDb;
        }
        installDemo();
        installExtraProjects();
        kafka = kafkaReady.join();
        log.info("Kafka {} and {} ready in {} s", kafka, db.host() + ":" + db.port(), seconds(started));

        Map<String, String> env = new LinkedHashMap<>();
        env.put("RP_KAFKA_BOOTSTRAP", kafka);
        env.put("RP_DB_HOST", db.host());
        env.put("RP_DB_PORT", Integer.toString(db.port()));
        env.put("RP_DB_USER", db.user());
        env.put("RP_DB_PASSWORD", db.password() == null ? "" : db.password());
        env.put("RP_CONTROL_DB", CONTROL_DATABASE);
        env.put("RP_JWT_SECRET", secret);
        env.put("RP_STORE_DIR", options.workDir().resolve("store").toString());
        // the local stack only: a web client on a development server of this machine may call the API
        // (the seed's BackupManager on Vite's :5173 or CRA's :3000); services started any other way allow none
        env.put("RP_CORS_ORIGINS", String.join(",", DEV_ORIGINS));
        env.putAll(options.serviceEnv());
        serviceEnv = env;

        int gatewayPort = Ports.orFree(options.gatewayPort());
        int syncPort = Ports.orFree(options.syncPort());
        Map<String, String> gatewayEnv = with(env, "RP_GATEWAY_PORT", gatewayPort);
        gatewayEnv.put("RP_SYNC_URL", "http://127.0.0.1:" + syncPort);
        gatewayEnv.put("RP_DEV_SIGN_IN_TOKEN", new DevTokens(secret).admin(ADMIN));
        List<String> projects = new ArrayList<>(List.of("--restorepoint.gateway.bootstrap-projects[0].id=" + PROJECT,
                "--restorepoint.gateway.bootstrap-projects[0].name=Scrap tracking (demo)",
                "--restorepoint.gateway.bootstrap-projects[0].database=" + DEMO_DATABASE,
                "--restorepoint.gateway.bootstrap-projects[0].owner=" + ADMIN));
        for (int i = 1; i <= options.extraProjects(); i++) {
            String prefix = "--restorepoint.gateway.bootstrap-projects[" + i + "].";
            projects.addAll(List.of(prefix + "id=" + extraProject(i), prefix + "name=Tiny project " + i,
                    prefix + "database=" + extraDatabase(i), prefix + "owner=" + ADMIN));
        }
        gateway = new ServiceProcess("gateway", jar("gateway"), gatewayPort, logs.resolve("gateway.log"), gatewayEnv,
                projects, options.serviceHeap());
        Map<String, String> syncEnv = with(env, "RP_SYNC_PORT", syncPort);
        syncIoPort = portOrFree(options.syncIoPort());
        syncEnv.put("RP_SYNC_IO_PORT", Integer.toString(syncIoPort));
        sync = new ServiceProcess("sync-events", jar("sync-events"), syncPort, logs.resolve("sync-events.log"),
                syncEnv, List.of(), options.serviceHeap());
        for (int i = 0; i < Math.max(1, options.workers()); i++) {
            workers.add(newWorker(i == 0 ? Ports.orFree(options.workerPort()) : Ports.orFree(0)));
        }
        // every service declares the topics it needs and owns its own tables, so they start side by side
        List<ServiceProcess> all = new ArrayList<>(workers);
        all.add(0, sync);
        all.add(0, gateway);
        for (ServiceProcess service : all) {
            service.start();
        }
        for (ServiceProcess service : all) {
            service.awaitReady(Duration.ofSeconds(120));
        }
        log.info("RestorePoint is up in {} s", seconds(started));
    }

    private ServiceProcess newWorker(int port) {
        int n = workers.size() + 1;
        Map<String, String> workerEnv = with(serviceEnv, "RP_WORKER_PORT", port);
        workerEnv.put("RP_WORKER_ID", "worker-" + n);
        return new ServiceProcess("backup-worker-" + n, jar("backup-worker"), port,
                logs.resolve("backup-worker-" + n + ".log"), workerEnv, List.of(), options.serviceHeap());
    }

    /** Starts one more worker process (id {@code worker-<n>}) and waits until it is ready. */
    public synchronized ServiceProcess addWorker() throws IOException {
        ServiceProcess worker = newWorker(Ports.orFree(0));
        workers.add(worker);
        worker.start();
        worker.awaitReady(Duration.ofSeconds(120));
        return worker;
    }

    /** Stops the last worker added (gracefully) and forgets it; the first worker always stays. */
    public synchronized void removeLastWorker() {
        if (workers.size() > 1) {
            workers.remove(workers.size() - 1).stop(Duration.ofSeconds(30));
        }
    }

    /** Id of the {@code i}-th extra project (1-based), e.g. {@code tiny-01}. */
    public static String extraProject(int i) {
        return String.format("tiny-%02d", i);
    }

    /** Database of the {@code i}-th extra project, e.g. {@code tiny_01}. */
    public static String extraDatabase(int i) {
        return String.format("tiny_%02d", i);
    }

    private void installExtraProjects() {
        for (int i = 1; i <= options.extraProjects(); i++) {
            String name = extraDatabase(i);
            if (!Sql.query(db.connectionFactory(null), "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '"
                    + name + "'").isEmpty()) {
                continue;
            }
            db.createDatabase(name);
            Sql.execute(db.connectionFactory(name), "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL)",
                    "INSERT INTO items SELECT n, CONCAT('item ', n) FROM " + Sql.sequence(3) + " t WHERE n BETWEEN 1 AND 100");
        }
    }

    private void installDemo() {
        List<Map<String, Object>> existing = Sql.query(db.connectionFactory(null),
                "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '" + DEMO_DATABASE + "'");
        if (!existing.isEmpty()) {
            log.info("demo database {} already exists on {}: left as it is", DEMO_DATABASE, db.host());
            return;
        }
        db.createDatabase(DEMO_DATABASE);
        long t = System.nanoTime();
        ScrapDemo.install(db.connectionFactory(DEMO_DATABASE), options.demoRows());
        log.info("demo database {} created ({} rows each in pesaje and auditoria) in {} s", DEMO_DATABASE,
                options.demoRows(), seconds(t));
    }

    private Path jar(String module) {
        return options.repoRoot().resolve(module).resolve("target").resolve(module + "-exec.jar");
    }

    private static Map<String, String> with(Map<String, String> env, String key, int port) {
        Map<String, String> copy = new LinkedHashMap<>(env);
        copy.put(key, Integer.toString(port));
        return copy;
    }

    private static int portOrFree(int preferred) {
        return preferred != 0 && Ports.isFree(preferred) ? preferred : Ports.orFree(0);
    }

    private void resetWorkDir() throws IOException {
        Path dir = options.workDir();
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        Files.createDirectories(dir);
    }

    private static String seconds(long startedNanos) {
        return String.format("%.1f", (System.nanoTime() - startedNanos) / 1e9);
    }

    public String gatewayUrl() {
        return "http://127.0.0.1:" + gateway.port();
    }

    public String syncUrl() {
        return "http://127.0.0.1:" + sync.port();
    }

    /** The Socket.IO endpoint ({@code /sync/io}) of sync-events. */
    public String syncIoUrl() {
        return "http://127.0.0.1:" + syncIoPort + "/sync/io";
    }

    public String kafkaBootstrap() {
        return kafka;
    }

    public DatabaseServer database() {
        return db;
    }

    public DevTokens tokens() {
        return new DevTokens(secret);
    }

    public String adminToken() {
        return tokens().admin(ADMIN);
    }

    public ServiceProcess gateway() {
        return gateway;
    }

    public ServiceProcess sync() {
        return sync;
    }

    public List<ServiceProcess> workers() {
        return List.copyOf(workers);
    }

    public KraftBroker broker() {
        return broker;
    }

    public Path storeDir() {
        return options.workDir().resolve("store");
    }

    public Path logsDir() {
        return options.workDir().resolve("logs");
    }

    @Override
    public void close() {
        List<ServiceProcess> services = new ArrayList<>(workers);
        services.add(sync);
        services.add(gateway);
        services.parallelStream().filter(s -> s != null).forEach(s -> s.stop(Duration.ofSeconds(15)));
        if (broker != null) {
            try {
                broker.close();
            } catch (RuntimeException e) {
                log.warn("broker did not stop cleanly: {}", e.toString());
            }
        }
        if (embeddedDb != null) {
            try {
                embeddedDb.close();
            } catch (RuntimeException e) {
                log.warn("database did not stop cleanly: {}", e.toString());
            }
        }
    }
}
