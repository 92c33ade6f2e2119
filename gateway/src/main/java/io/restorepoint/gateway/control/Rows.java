package io.restorepoint.gateway.control;

import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;

/** Small helpers for the control stores. */
public final class Rows {

    private Rows() {
    }

    public static <T> DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec spec, String name, T value,
            Class<T> type) {
        return value == null ? spec.bindNull(name, type) : spec.bind(name, value);
    }

    public static long longOf(Readable row, String column) {
        Number n = row.get(column, Number.class);
        return n == null ? 0 : n.longValue();
    }

    public static Long nullableLong(Readable row, String column) {
        Number n = row.get(column, Number.class);
        return n == null ? null : n.longValue();
    }

    public static double doubleOf(Readable row, String column) {
        Number n = row.get(column, Number.class);
        return n == null ? 0 : n.doubleValue();
    }
}
