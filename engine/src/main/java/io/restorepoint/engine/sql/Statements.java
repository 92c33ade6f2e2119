package io.restorepoint.engine.sql;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Readable;
import io.r2dbc.spi.Result;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.function.Function;

/** Running statements on an R2DBC connection, one exchange at a time. */
public final class Statements {

    private Statements() {
    }

    public static Mono<Void> execute(Connection connection, String sql) {
        return Flux.from(connection.createStatement(sql).execute()).concatMap(Result::getRowsUpdated).then();
    }

    public static <T> Flux<T> query(Connection connection, String sql, Function<Readable, T> mapper) {
        return Flux.from(connection.createStatement(sql).execute()).concatMap(result -> result.map(mapper::apply));
    }

    public static Mono<String> scalarString(Connection connection, String sql) {
        return query(connection, sql, row -> row.get(0, String.class)).single();
    }
}
