package io.restorepoint.system;

import io.restorepoint.devinfra.DatabaseServer;
import io.restorepoint.local.LocalStack;
import io.restorepoint.local.LocalStackOptions;
import io.restorepoint.testsupport.SharedInfra;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The stack every system test of this JVM drives: started once, the way {@code ./run-local.sh} starts
 * it (its own KRaft broker and MariaDB), or on the shared containers with {@code -Ptestcontainers}.
 * console-tests use it too (from this module's test jar). Run from a module directory of the checkout.
 */
public final class StackFixture {

    private static LocalStack stack;

    private StackFixture() {
    }

    public static synchronized LocalStack stack() {
        if (stack == null) {
            Path root = Path.of("").toAbsolutePath().getParent();
            if (!Files.isDirectory(root.resolve("gateway"))) {
                throw new IllegalStateException("stack tests run from a module directory inside the checkout");
            }
            LocalStackOptions options = LocalStackOptions.forTests(root, Path.of("target", "stack").toAbsolutePath())
                    .withWorkers(1).withExtraProjects(30);
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
