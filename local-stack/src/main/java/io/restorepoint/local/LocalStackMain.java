package io.restorepoint.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** {@code ./run-local.sh}: starts the local stack, prints how to use it, stops it all on Ctrl-C. */
public final class LocalStackMain {

    private LocalStackMain() {
    }

    public static void main(String[] args) throws Exception {
        Path root = repoRoot();
        LocalStackOptions options = LocalStackOptions.fromEnvironment(System.getenv(), root);
        Files.createDirectories(options.workDir());
        System.setProperty("restorepoint.local.logs", options.workDir().toString());
        System.out.println("Starting RestorePoint (" + options + ") ...");
        LocalStack stack = LocalStack.start(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping RestorePoint ...");
            stack.close();
            System.out.println("Stopped.");
            stopped.countDown();
        }, "local-stack-shutdown"));
        System.out.println(banner(stack));
        stopped.await();
    }

    static String banner(LocalStack stack) {
        String token = stack.adminToken();
        String api = stack.gatewayUrl().replace("127.0.0.1", "localhost");
        String feed = stack.syncUrl().replace("127.0.0.1", "localhost");
        return """

                RestorePoint is running.
                  API and feeds      %s   (/api, /sync; API documents at /swagger-ui.html)
                  sync-events        %s   (Socket.IO at %s)
                  Kafka              %s
                  MySQL (MariaDB)    %s:%d  user %s, project database %s
                  Artifacts          %s
                  Logs               %s
                  Browser origins    %s   (CORS, for a web client on a development server; local stack only)

                Admin token (user "admin", owner of project "demo", valid 12 h):
                export TOKEN=%s

                Try:
                  curl -s -X POST %s/api/p/demo/backups/create -H "Authorization: Bearer $TOKEN" \\
                       -H "Content-Type: application/json" -d '{"created_by":"quick start","name":"First backup"}'
                  curl -s -X POST %s/sync/get -H "Authorization: Bearer $TOKEN" \\
                       -H "Content-Type: application/json" -d '{"cc.cursor":0}'
                  curl -N %s/sync/stream -H "Authorization: Bearer $TOKEN"

                Press Ctrl-C to stop everything.
                """.formatted(api, feed, stack.syncIoUrl().replace("127.0.0.1", "localhost"), stack.kafkaBootstrap(),
                stack.database().host(), stack.database().port(),
                stack.database().user(), LocalStack.DEMO_DATABASE, stack.storeDir(), stack.logsDir(),
                String.join(" ", LocalStack.DEV_ORIGINS), token, api, api, api);
    }

    /** The checkout the jars were built in: -Drestorepoint.home, else the nearest parent holding gateway/. */
    public static Path repoRoot() {
        String home = System.getProperty("restorepoint.home");
        if (home != null) {
            return Path.of(home).toAbsolutePath();
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isDirectory(dir.resolve("gateway")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("run from inside the RestorePoint checkout, or pass -Drestorepoint.home=<checkout>");
    }
}
