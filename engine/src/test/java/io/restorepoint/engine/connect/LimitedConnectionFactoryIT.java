package io.restorepoint.engine.connect;

import io.r2dbc.spi.Connection;
import io.restorepoint.devinfra.DatabaseServer;
import io.restorepoint.testsupport.SharedInfra;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A server's {@code max-connections}, against the real server: a third connection waits for one of two to close. */
class LimitedConnectionFactoryIT {

    static String version(Connection c) {
        return Flux.from(c.createStatement("SELECT VERSION()").execute()).flatMap(r -> r.map((row, m) -> row.get(0, String.class)))
                .blockFirst(Duration.ofSeconds(10));
    }

    @Test
    void aConnectionBeyondTheLimitWaitsForOneToClose() throws Exception {
        DatabaseServer db = SharedInfra.database();
        LimitedConnectionFactory limited = new LimitedConnectionFactory(
                new DatabaseEndpoint(db.host(), db.port(), db.user(), db.password()).connectionFactory(null), "test", 2, Duration.ofSeconds(20));
        Connection first = Mono.from(limited.create()).block(Duration.ofSeconds(10));
        Connection second = Mono.from(limited.create()).block(Duration.ofSeconds(10));
        assertThat(limited.available()).isZero();
        assertThat(version(first)).isNotBlank();

        CompletableFuture<Connection> third = Mono.<Connection>from(limited.create()).toFuture();
        Thread.sleep(500);
        assertThat(third).as("a third connection waits while two are open").isNotDone();
        Mono.from(first.close()).block(Duration.ofSeconds(10));
        Mono.from(first.close()).block(Duration.ofSeconds(10)); // a second close gives nothing back twice
        Connection late = third.get(10, TimeUnit.SECONDS);
        assertThat(version(late)).isNotBlank();
        assertThat(limited.available()).isZero();

        Mono.from(second.close()).block(Duration.ofSeconds(10));
        Mono.from(late.close()).block(Duration.ofSeconds(10));
        assertThat(limited.available()).isEqualTo(2);
    }

    @Test
    void aConnectionThatWaitsTooLongFailsNamingTheServer() {
        DatabaseServer db = SharedInfra.database();
        LimitedConnectionFactory limited = new LimitedConnectionFactory(
                new DatabaseEndpoint(db.host(), db.port(), db.user(), db.password()).connectionFactory(null), "reports", 1, Duration.ofMillis(300));
        Connection only = Mono.from(limited.create()).block(Duration.ofSeconds(10));
        assertThatThrownBy(() -> Mono.from(limited.create()).block(Duration.ofSeconds(10)))
                .hasMessageContaining("server reports").hasMessageContaining("all 1 connections");
        Mono.from(only.close()).block(Duration.ofSeconds(10));
        assertThat(limited.available()).isEqualTo(1);

        LimitedConnectionFactory unreachable = new LimitedConnectionFactory(
                new DatabaseEndpoint(db.host(), 1, db.user(), db.password()).connectionFactory(null), "gone", 1, Duration.ofSeconds(1));
        assertThatThrownBy(() -> Mono.from(unreachable.create()).block(Duration.ofSeconds(20))).isNotNull();
        assertThat(unreachable.available()).as("a failed open gives its place back").isEqualTo(1);
    }
}
