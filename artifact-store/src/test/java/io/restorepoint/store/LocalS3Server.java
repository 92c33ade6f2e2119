package io.restorepoint.store;

import com.robothy.s3.rest.LocalS3;
import com.robothy.s3.rest.bootstrap.LocalS3Mode;
import io.restorepoint.devinfra.Ports;

import java.net.URI;

/** An S3-compatible server in the test JVM (local-s3, in memory) on a free port: the S3 store tests' bucket host. */
final class LocalS3Server implements AutoCloseable {

    private final LocalS3 server;
    private final URI endpoint;

    private LocalS3Server(LocalS3 server) {
        this.server = server;
        this.endpoint = URI.create("http://localhost:" + server.getPort());
    }

    static LocalS3Server start() {
        LocalS3 server = LocalS3.builder().port(Ports.orFree(0)).mode(LocalS3Mode.IN_MEMORY).build();
        server.start();
        return new LocalS3Server(server);
    }

    URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        server.shutdown();
    }
}
