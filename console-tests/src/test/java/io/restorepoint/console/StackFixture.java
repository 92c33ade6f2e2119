package io.restorepoint.console;

import io.restorepoint.devinfra.DatabaseServer;
import io.restorepoint.local.LocalStack;
import io.restorepoint.local.LocalStackOptions;
import io.restorepoint.testsupport.SharedInfra;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The stack the console tests of this JVM drive: started once, the way {@code ./run-local.sh} starts it
 * (its own KRaft broker and MariaDB, the gateway serving the console with dev sign-in on), or on the
 * shared containers with {@code -Ptestcontainers}. Copied from system-tests' fixture.
 */
final class StackFixture {

    private static LocalStack stack;

    private StackFixture() {
    }

    static synchronized LocalStack stack() {
        if (stack == null) {
            Path root = Path.of("").toAbsolutePath().getParent();
            if (!Files.isDirectory(root.resolve("gateway"))) {
                throw new IllegalStateException("console tests run from console-tests/ inside the checkout");
            }
            LocalStackOptions options = LocalStackOptions.forTests(root, Path.of("target", "stack").toAbsolutePath())
                    .withWorkers(1);
            if (SharedInfra.containers()) {
                DatabaseServer db = SharedInfra.database();
                options = options.withExternal(SharedInfra.kafka(), db.host(), db.port(), db.user(), db.password());
            }
            stack = LocalStack.start(options);
            LocalStack started = stack;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close));
        }
        return stack;
    }
}
