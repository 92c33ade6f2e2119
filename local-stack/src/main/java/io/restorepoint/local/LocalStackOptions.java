package io.restorepoint.local;

import java.nio.file.Path;
import java.util.Map;

/**
 * How to run the local stack; every field has an environment variable (see README, Configuration).
 *
 * @param repoRoot      where the services' jars are built ({@code <module>/target/<module>-exec.jar})
 * @param workDir       state of this run (broker, database, artifacts, logs); emptied at start
 * @param gatewayPort   RP_GATEWAY_PORT, default 3001 (0: any free port)
 * @param syncPort      RP_SYNC_PORT, default 3002
 * @param syncIoPort    RP_SYNC_IO_PORT, sync-events' Socket.IO endpoint ({@code /sync/io}), default 3004
 * @param workerPort    RP_WORKER_PORT, default 3003
 * @param kafkaPort     RP_LOCAL_KAFKA_PORT for the embedded broker, default 19092 (taken: any free port)
 * @param dbPort        RP_LOCAL_DB_PORT for the embedded MariaDB, default 13306 (taken: any free port)
 * @param kafkaBootstrap RP_KAFKA_BOOTSTRAP: use this broker instead of the embedded one
 * @param dbHost        RP_DB_HOST: use this MySQL/MariaDB server instead of the embedded one
 * @param dbExternalPort RP_DB_PORT
 * @param dbUser        RP_DB_USER
 * @param dbPassword    RP_DB_PASSWORD
 * @param demoRows      RP_DEMO_ROWS: rows each in pesaje and auditoria (default 2000)
 * @param jwtSecret     RP_JWT_SECRET: HS256 secret (default: a random one per run)
 * @param workers       RP_WORKERS: how many backup-worker processes (default 1)
 * @param serviceHeap   RP_SERVICE_HEAP: maximum heap of each service process (default 384m)
 * @param extraProjects RP_EXTRA_PROJECTS: small projects {@code tiny-01 …} besides the demo, each with a
 *                      database {@code tiny_01 …} of 100 rows, owned by the admin (default 0)
 * @param serviceEnv    further settings for every service (tests: no default schedule, no rate limit)
 */
public record LocalStackOptions(Path repoRoot, Path workDir, int gatewayPort, int syncPort, int syncIoPort,
        int workerPort, int kafkaPort, int dbPort, String kafkaBootstrap, String dbHost, int dbExternalPort, String dbUser,
        String dbPassword, long demoRows, String jwtSecret, int workers, String serviceHeap, int extraProjects,
        Map<String, String> serviceEnv) {

    public static LocalStackOptions fromEnvironment(Map<String, String> env, Path repoRoot) {
        return new LocalStackOptions(
                repoRoot,
                Path.of(env.getOrDefault("RP_LOCAL_DIR", repoRoot.resolve(".restorepoint-local").toString())),
                Integer.parseInt(env.getOrDefault("RP_GATEWAY_PORT", "3001")),
                Integer.parseInt(env.getOrDefault("RP_SYNC_PORT", "3002")),
                Integer.parseInt(env.getOrDefault("RP_SYNC_IO_PORT", "3004")),
                Integer.parseInt(env.getOrDefault("RP_WORKER_PORT", "3003")),
                Integer.parseInt(env.getOrDefault("RP_LOCAL_KAFKA_PORT", "19092")),
                Integer.parseInt(env.getOrDefault("RP_LOCAL_DB_PORT", "13306")),
                blankToNull(env.get("RP_KAFKA_BOOTSTRAP")),
                blankToNull(env.get("RP_DB_HOST")),
                Integer.parseInt(env.getOrDefault("RP_DB_PORT", "3306")),
                env.getOrDefault("RP_DB_USER", "root"),
                env.getOrDefault("RP_DB_PASSWORD", ""),
                Long.parseLong(env.getOrDefault("RP_DEMO_ROWS", "2000").replace("_", "")),
                blankToNull(env.get("RP_JWT_SECRET")),
                Integer.parseInt(env.getOrDefault("RP_WORKERS", "1")),
                env.getOrDefault("RP_SERVICE_HEAP", "384m"),
                Integer.parseInt(env.getOrDefault("RP_EXTRA_PROJECTS", "0")),
                Map.of());
    }

    /**
     * Everything on free ports under {@code workDir}: for tests. No default backup schedule (a 03:00 tick must
     * not add a version in the middle of a test) and no rate limit (the load tests send bursts on purpose).
     */
    public static LocalStackOptions forTests(Path repoRoot, Path workDir) {
        return new LocalStackOptions(repoRoot, workDir, 0, 0, 0, 0, 0, 0, null, null, 3306, "root", "", 2000, null, 1, "384m", 0,
                Map.of("RP_SCHEDULE_DEFAULT_CRON", "", "RP_RATE_LIMIT_ENABLED", "false"));
    }

    public LocalStackOptions withExternal(String kafkaBootstrap, String dbHost, int dbPort, String dbUser, String dbPassword) {
        return new LocalStackOptions(repoRoot, workDir, gatewayPort, syncPort, syncIoPort, workerPort, kafkaPort, this.dbPort,
                kafkaBootstrap, dbHost, dbPort, dbUser, dbPassword, demoRows, jwtSecret, workers, serviceHeap, extraProjects, serviceEnv);
    }

    public LocalStackOptions withWorkers(int count) {
        return new LocalStackOptions(repoRoot, workDir, gatewayPort, syncPort, syncIoPort, workerPort, kafkaPort, dbPort,
                kafkaBootstrap, dbHost, dbExternalPort, dbUser, dbPassword, demoRows, jwtSecret, count, serviceHeap, extraProjects, serviceEnv);
    }

    public LocalStackOptions withDemoRows(long rows) {
        return new LocalStackOptions(repoRoot, workDir, gatewayPort, syncPort, syncIoPort, workerPort, kafkaPort, dbPort,
                kafkaBootstrap, dbHost, dbExternalPort, dbUser, dbPassword, rows, jwtSecret, workers, serviceHeap, extraProjects, serviceEnv);
    }

    public LocalStackOptions withServiceHeap(String heap) {
        return new LocalStackOptions(repoRoot, workDir, gatewayPort, syncPort, syncIoPort, workerPort, kafkaPort, dbPort,
                kafkaBootstrap, dbHost, dbExternalPort, dbUser, dbPassword, demoRows, jwtSecret, workers, heap, extraProjects, serviceEnv);
    }

    public LocalStackOptions withExtraProjects(int count) {
        return new LocalStackOptions(repoRoot, workDir, gatewayPort, syncPort, syncIoPort, workerPort, kafkaPort, dbPort,
                kafkaBootstrap, dbHost, dbExternalPort, dbUser, dbPassword, demoRows, jwtSecret, workers, serviceHeap, count, serviceEnv);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    @Override
    public String toString() {
        return "LocalStackOptions[workDir=" + workDir + ", gateway=" + gatewayPort + ", kafka="
                + (kafkaBootstrap == null ? "embedded" : kafkaBootstrap) + ", db=" + (dbHost == null ? "embedded" : dbHost)
                + ", jwtSecret=" + (jwtSecret == null ? "random" : "****") + "]";
    }
}
