package io.restorepoint.devinfra;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Apache Kafka broker in KRaft mode (combined broker + controller), run in this JVM
 * from the Kafka jars. The storage is formatted on first start; {@link #stop()} and {@link #start()}
 * keep the data and the port, so a test can take the broker away and bring it back.
 */
public final class KraftBroker implements AutoCloseable {

    private final Path dir;
    private final Properties props;
    private final int port;
    private KafkaRaftServer server;

    private KraftBroker(Path dir, int port, int controllerPort) {
        this.dir = dir;
        this.port = port;
        this.props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", dir.resolve("logs").toString());
        props.put("num.partitions", "1");
        props.put("auto.create.topics.enable", "false");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "4");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
    }

    /**
     * Formats (first time only) and starts a broker.
     *
     * @param dir  where its logs live; reused if already formatted
     * @param port the client port, 0 for a free one
     */
    public static KraftBroker start(Path dir, int port) {
        KraftBroker broker = new KraftBroker(dir, Ports.orFree(port), Ports.orFree(0));
        broker.format();
        broker.start();
        return broker;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** Starts the broker again after {@link #stop()}, on the same port with the same data. */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        KafkaRaftServer raftServer = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        raftServer.startup();
        server = raftServer;
        awaitReady(Duration.ofSeconds(60));
    }

    /** Stops the broker (as a controlled shutdown); clients see it gone until {@link #start()}. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.shutdown();
        server.awaitShutdown();
        server = null;
    }

    @Override
    public void close() {
        stop();
    }

    private void format() {
        try {
            Files.createDirectories(dir);
            Path config = dir.resolve("server.properties");
            try (OutputStream out = Files.newOutputStream(config)) {
                props.store(out, "RestorePoint dev broker");
            }
            if (Files.exists(dir.resolve("logs").resolve("meta.properties"))) {
                return;
            }
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            int rc = StorageTool.execute(new String[] {
                    "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString(), "--ignore-formatted"},
                    new PrintStream(output, true, StandardCharsets.UTF_8));
            if (rc != 0) {
                throw new IllegalStateException("kafka storage format failed: " + output.toString(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("kafka broker not ready after " + timeout, e);
                    }
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
