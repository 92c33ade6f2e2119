package io.restorepoint.devinfra;

import io.asyncer.r2dbc.mysql.MySqlConnectionConfiguration;
import io.asyncer.r2dbc.mysql.MySqlConnectionFactory;
import io.r2dbc.spi.ConnectionFactory;

/** A MySQL-family server the stack or a test uses: embedded MariaDB, an external server or a container. */
public interface DatabaseServer {

    String host();

    int port();

    String user();

    String password();

    default String r2dbcUrl(String database) {
        return "r2dbc:mysql://" + host() + ":" + port() + "/" + database;
    }

    /** A connection factory for {@code database}, or for no default database when it is null. */
    default ConnectionFactory connectionFactory(String database) {
        MySqlConnectionConfiguration.Builder builder = MySqlConnectionConfiguration.builder()
                .host(host()).port(port()).user(user());
        if (password() != null && !password().isEmpty()) {
            builder.password(password());
        }
        if (database != null) {
            builder.database(database);
        }
        return MySqlConnectionFactory.from(builder.build());
    }

    default void createDatabase(String name) {
        Sql.execute(connectionFactory(null),
                "CREATE DATABASE IF NOT EXISTS `" + Sql.checkIdentifier(name) + "` CHARACTER SET utf8mb4");
    }

    default void dropDatabase(String name) {
        Sql.execute(connectionFactory(null), "DROP DATABASE IF EXISTS `" + Sql.checkIdentifier(name) + "`");
    }

    /** A server somebody else runs, reached with the given account. */
    static DatabaseServer external(String host, int port, String user, String password) {
        return new DatabaseServer() {
            public String host() {
                return host;
            }

            public int port() {
                return port;
            }

            public String user() {
                return user;
            }

            public String password() {
                return password;
            }
        };
    }
}
