package io.restorepoint.engine.export;

import io.r2dbc.spi.Readable;
import io.restorepoint.engine.schema.ColumnInfo;
import io.restorepoint.engine.sql.RawBytes;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Writes a row as a JSON object, value by value from the text protocol:
 * <ul>
 *   <li>integers, DECIMAL, FLOAT/DOUBLE, YEAR: JSON numbers with the server's exact digits;</li>
 *   <li>BIT: a JSON number (its unsigned value);</li>
 *   <li>DATETIME/TIMESTAMP: ISO-8601 UTC strings with at least millisecond digits ({@code 2024-03-15T14:30:00.000Z});
 *       DATE and TIME: as the server prints them;</li>
 *   <li>binary types: base64 strings;</li>
 *   <li>MySQL JSON columns: the JSON value itself; all other text: JSON strings;</li>
 *   <li>NULL: null.</li>
 * </ul>
 */
final class JsonRowEncoder {

    enum Kind { NUMBER, BIT, DATETIME, BINARY, JSON, TEXT }

    private final byte[][] names;
    private final Kind[] kinds;

    JsonRowEncoder(List<ColumnInfo> columns) {
        this.names = new byte[columns.size()][];
        this.kinds = new Kind[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            ColumnInfo c = columns.get(i);
            JsonBytes name = new JsonBytes(64);
            name.string(c.name().getBytes(StandardCharsets.UTF_8));
            name.write(':');
            names[i] = name.take();
            kinds[i] = kind(c);
        }
    }

    static Kind kind(ColumnInfo column) {
        return switch (column.dataType()) {
            case "bit" -> Kind.BIT;
            case "datetime", "timestamp" -> Kind.DATETIME;
            case "json" -> Kind.JSON;
            default -> switch (column.kind()) {
                case NUMBER -> Kind.NUMBER;
                case BINARY -> Kind.BINARY;
                case TEXT -> Kind.TEXT;
            };
        };
    }

    void write(Readable row, JsonBytes out) {
        out.write('{');
        for (int i = 0; i < kinds.length; i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(names[i]);
            RawBytes raw = row.get(i, RawBytes.class);
            if (raw == null) {
                out.write(NULL);
                continue;
            }
            byte[] v = raw.bytes();
            switch (kinds[i]) {
                case NUMBER, JSON -> out.write(v);
                case BIT -> out.write(new BigInteger(1, v).toString().getBytes(StandardCharsets.US_ASCII));
                case BINARY -> {
                    out.write('"');
                    out.write(Base64.getEncoder().encode(v));
                    out.write('"');
                }
                case DATETIME -> dateTime(out, v);
                case TEXT -> out.string(v);
            }
        }
        out.write('}');
    }

    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

    /** {@code 2024-03-15 14:30:00[.ffffff]} → {@code "2024-03-15T14:30:00.000Z"} (never fewer than 3 fraction digits). */
    static void dateTime(JsonBytes out, byte[] v) {
        out.write('"');
        int dot = -1;
        for (int i = 0; i < v.length; i++) {
            byte b = v[i];
            if (b == '.') {
                dot = i;
            }
            out.write(b == ' ' ? 'T' : b);
        }
        int fraction = dot < 0 ? 0 : v.length - dot - 1;
        if (dot < 0) {
            out.write('.');
        }
        for (int i = fraction; i < 3; i++) {
            out.write('0');
        }
        out.write('Z');
        out.write('"');
    }
}
