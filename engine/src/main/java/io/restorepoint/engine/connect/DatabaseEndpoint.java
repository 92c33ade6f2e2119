package io.restorepoint.engine.connect;

import io.asyncer.r2dbc.mysql.MySqlConnectionConfiguration;
import io.asyncer.r2dbc.mysql.MySqlConnectionFactory;
import io.r2dbc.spi.ConnectionFactory;
import io.restorepoint.engine.sql.RawBytesCodec;

import java.time.Duration;

/**
 * Where the managed (project) databases live and how to log in. Connections made from it use the
 * text protocol, utf8mb4 and UTC for TIMESTAMP values, so values cross unchanged.
 *
 * @param host     server host
 * @param port     server port
 * @param user     account; a backup needs SELECT, SHOW VIEW, LOCK TABLES (and RELOAD or BACKUP_ADMIN
 *                 for a parallel consistent snapshot)
 * @param password password, may be empty
 */
public record DatabaseEndpoint(String host, int port, String user, String password) {

    @Override
    public String toString() {
        return "DatabaseEndpoint[" + user + "@" + host + ":" + port + "]";
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
                .sessionVariables("time_zone='+00:00'");
        if (password != null && !password.isEmpty()) {
            builder.password(password);
        }
        if (database != null) {
            builder.database(database);
        }
        return MySqlConnectionFactory.from(builder.build());
    }
}
