package io.restorepoint.engine.connect;

import io.asyncer.r2dbc.mysql.MySqlConnectionConfiguration;
import io.asyncer.r2dbc.mysql.MySqlConnectionFactory;
import io.asyncer.r2dbc.mysql.constant.SslMode;
import io.r2dbc.spi.ConnectionFactory;
import io.restorepoint.engine.sql.RawBytesCodec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where the managed (project) databases live and how to log in. Connections made from it use the
 * text protocol, utf8mb4 and UTC for TIMESTAMP values, so values cross unchanged.
 *
 * @param host     server host
 * @param port     server port
 * @param user     account; a backup needs SELECT, SHOW VIEW, LOCK TABLES (and RELOAD or BACKUP_ADMIN
 *                 for a parallel consistent snapshot)
 * @param password password, may be empty
 * @param tls      how connections use TLS
 */
public record DatabaseEndpoint(String host, int port, String user, String password, Tls tls) {

    /** An endpoint with the default TLS setting ({@link Tls#PREFERRED}). */
    public DatabaseEndpoint(String host, int port, String user, String password) {
        this(host, port, user, password, Tls.PREFERRED);
    }

    public DatabaseEndpoint {
        tls = tls == null ? Tls.PREFERRED : tls;
    }

    @Override
    public String toString() {
        return "DatabaseEndpoint[" + user + "@" + host + ":" + port + ", tls " + Tls.name(tls.mode()) + "]";
    }

    /** A connection factory for {@code database} (null: no default database). */
    public ConnectionFactory connectionFactory(String database) {
        MySqlConnectionConfiguration.Builder builder = MySqlConnectionConfiguration.builder()
                .host(host)
                .port(port)
                .user(user)
                .connectTimeout(Duration.ofSeconds(10))
                .tcpKeepAlive(true)
                .tcpNoDelay(true)
                .extendWith(RawBytesCodec.extension())
                .sessionVariables("time_zone='+00:00'")
                .sslMode(tls.mode());
        if (tls.ca() != null) {
            builder.sslCa(tls.ca().toString());
        }
        if (password != null && !password.isEmpty()) {
            builder.password(password);
        }
        if (database != null) {
            builder.database(database);
        }
        return MySqlConnectionFactory.from(builder.build());
    }

    /**
     * TLS to the managed server.
     *
     * @param mode {@code disabled}, {@code preferred} (TLS when the server offers it, unverified; the
     *             default, as the MySQL clients do), {@code required} (TLS or no connection, unverified),
     *             {@code verify-ca} (the server's certificate must chain to {@code ca}) or
     *             {@code verify-identity} (and name the host connected to)
     * @param ca   PEM file of the CA certificates to trust for the verifying modes (null: the JVM's trust store)
     */
    public record Tls(SslMode mode, Path ca) {

        public static final Tls PREFERRED = new Tls(SslMode.PREFERRED, null);

        private static final SslMode[] MODES = {SslMode.DISABLED, SslMode.PREFERRED, SslMode.REQUIRED, SslMode.VERIFY_CA,
                SslMode.VERIFY_IDENTITY};

        public Tls {
            if (mode == null) {
                throw new IllegalArgumentException("TLS mode missing");
            }
            if (ca != null && !mode.verifyCertificate()) {
                throw new IllegalArgumentException("a TLS CA file is only used by the verify-ca and verify-identity modes, not " + name(mode));
            }
            if (ca != null && !Files.isReadable(ca)) {
                throw new IllegalArgumentException("TLS CA file not readable: " + ca);
            }
        }

        /**
         * Reads the configured form: {@code mode} case-insensitive with {@code -} or {@code _}; {@code ca}
         * null or blank for none. Anything else is refused, naming the accepted modes.
         */
        public static Tls of(String mode, String ca) {
            SslMode parsed = SslMode.PREFERRED;
            if (mode != null && !mode.isBlank()) {
                String wanted = mode.trim().replace('-', '_').toUpperCase(Locale.ROOT);
                parsed = Arrays.stream(MODES).filter(m -> m.name().equals(wanted)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("unknown TLS mode '" + mode + "'; one of "
                                + Arrays.stream(MODES).map(Tls::name).collect(Collectors.joining(", "))));
            }
            return new Tls(parsed, ca == null || ca.isBlank() ? null : Path.of(ca.trim()));
        }

        static String name(SslMode mode) {
            return mode.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }
}
