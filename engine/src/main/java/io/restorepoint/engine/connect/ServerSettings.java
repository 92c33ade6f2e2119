package io.restorepoint.engine.connect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * A database server as configured: where it is, the account, where its password comes from, TLS, and how
 * many connections jobs may hold on it. The one configuration record for "a database server" (the servers
 * of {@code restorepoint.servers.<name>.*}); the password is never part of {@link #toString()}.
 *
 * @param host           host (default {@code 127.0.0.1})
 * @param port           port (default 3306)
 * @param user           account (default {@code root}); a backup needs SELECT, SHOW VIEW, TRIGGER, EVENT and LOCK
 *                       TABLES on the project databases, SELECT on mysql.proc (or SHOW CREATE ROUTINE) and RELOAD
 * @param password       the password itself (how the default server gets {@code RP_MANAGED_DB_PASSWORD}); prefer
 *                       one of the two references below for other servers
 * @param passwordEnv    name of an environment variable holding the password
 * @param passwordFile   a file holding the password (one line; a trailing newline is dropped), e.g. a mounted secret
 * @param sslMode        TLS to the server: {@code disabled}, {@code preferred} (default: TLS when offered,
 *                       unverified), {@code required}, {@code verify-ca} or {@code verify-identity}
 * @param sslCa          PEM file of the CA to trust in the verifying modes (blank: the JVM's trust store)
 * @param maxConnections connections this process's jobs hold on the server at most at once (0, the default: no
 *                       limit); a connection asked for beyond it waits for one to close
 */
public record ServerSettings(String host, int port, String user, String password, String passwordEnv, String passwordFile,
        String sslMode, String sslCa, int maxConnections) {

    public ServerSettings {
        host = host == null || host.isBlank() ? "127.0.0.1" : host.strip();
        port = port == 0 ? 3306 : port;
        user = user == null || user.isBlank() ? "root" : user.strip();
        sslMode = sslMode == null || sslMode.isBlank() ? "preferred" : sslMode.strip();
        passwordEnv = blankToNull(passwordEnv);
        passwordFile = blankToNull(passwordFile);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be from 1 to 65535, not " + port);
        }
        if (maxConnections < 0) {
            throw new IllegalArgumentException("max-connections must be 0 (no limit) or more, not " + maxConnections);
        }
        int sources = (password != null && !password.isEmpty() ? 1 : 0) + (passwordEnv != null ? 1 : 0) + (passwordFile != null ? 1 : 0);
        if (sources > 1) {
            throw new IllegalArgumentException("set one of password, password-env and password-file, not " + sources);
        }
    }

    /**
     * A server without password references or limit (the form most tests need). A factory, not a second
     * constructor: configuration binds the one canonical constructor.
     */
    public static ServerSettings of(String host, int port, String user, String password, String sslMode, String sslCa) {
        return new ServerSettings(host, port, user, password, null, null, sslMode, sslCa, 0);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** The endpoint connections are made from; an unknown TLS mode, an unreadable CA or password file is refused here. */
    public DatabaseEndpoint endpoint() {
        return endpoint(System::getenv);
    }

    /** As {@link #endpoint()}, reading environment variables through {@code env}. */
    public DatabaseEndpoint endpoint(Function<String, String> env) {
        return new DatabaseEndpoint(host, port, user, resolvePassword(env), DatabaseEndpoint.Tls.of(sslMode, sslCa));
    }

    private String resolvePassword(Function<String, String> env) {
        if (passwordEnv != null) {
            String value = env.apply(passwordEnv);
            if (value == null) {
                throw new IllegalArgumentException("password-env names " + passwordEnv + ", which is not set");
            }
            return value;
        }
        if (passwordFile != null) {
            try {
                String value = Files.readString(Path.of(passwordFile));
                return value.endsWith("\r\n") ? value.substring(0, value.length() - 2)
                        : value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
            } catch (IOException e) {
                throw new UncheckedIOException("password-file " + passwordFile + " cannot be read", e);
            }
        }
        return password;
    }

    /** Where the password comes from, for showing: {@code env RP_X}, {@code file /run/secrets/x}, {@code set} or {@code none}. */
    public String passwordSource() {
        return passwordEnv != null ? "env " + passwordEnv : passwordFile != null ? "file " + passwordFile
                : password != null && !password.isEmpty() ? "set" : "none";
    }

    @Override
    public String toString() {
        return "ServerSettings[" + user + "@" + host + ":" + port + ", tls " + sslMode + ", password " + passwordSource()
                + (maxConnections > 0 ? ", at most " + maxConnections + " connections" : "") + "]";
    }
}
