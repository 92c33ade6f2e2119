package io.restorepoint.engine.connect;

/**
 * A database server as configured: where it is, the account, and TLS. The one configuration record for "a
 * database server", bound by the gateway ({@code restorepoint.gateway.managed-database.*}) and the worker
 * ({@code restorepoint.worker.database.*}) from the same {@code RP_MANAGED_DB_*} variables; the password is
 * never part of {@link #toString()}.
 *
 * @param host     host (default {@code 127.0.0.1})
 * @param port     port (default 3306)
 * @param user     account (default {@code root}); a backup needs SELECT, SHOW VIEW, TRIGGER, EVENT and LOCK
 *                 TABLES on the project databases, SELECT on mysql.proc (or SHOW CREATE ROUTINE) and RELOAD
 * @param password password, may be empty
 * @param sslMode  TLS to the server: {@code disabled}, {@code preferred} (default: TLS when offered,
 *                 unverified), {@code required}, {@code verify-ca} or {@code verify-identity}
 * @param sslCa    PEM file of the CA to trust in the verifying modes (blank: the JVM's trust store)
 */
public record ServerSettings(String host, int port, String user, String password, String sslMode, String sslCa) {

    public ServerSettings {
        host = host == null || host.isBlank() ? "127.0.0.1" : host;
        port = port == 0 ? 3306 : port;
        user = user == null || user.isBlank() ? "root" : user;
        sslMode = sslMode == null || sslMode.isBlank() ? "preferred" : sslMode;
    }

    /** The endpoint connections are made from; an unknown TLS mode or an unreadable CA file is refused here. */
    public DatabaseEndpoint endpoint() {
        return new DatabaseEndpoint(host, port, user, password, DatabaseEndpoint.Tls.of(sslMode, sslCa));
    }

    @Override
    public String toString() {
        return "ServerSettings[" + user + "@" + host + ":" + port + ", tls " + sslMode + "]";
    }
}
