package io.restorepoint.engine.dump;

import io.r2dbc.spi.Readable;
import io.restorepoint.engine.schema.ColumnInfo;
import io.restorepoint.engine.schema.ValueKind;
import io.restorepoint.engine.sql.Identifiers;
import io.restorepoint.engine.sql.RawBytes;
import io.restorepoint.engine.sql.SqlText;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns rows into multi-row {@code INSERT} statements, byte for byte from the text protocol:
 * numbers as the server's digits, binary values as hex literals, everything else as an escaped
 * string literal. Statements hold at most {@code maxRows} rows or about {@code maxBytes} bytes, so a
 * restore runs them as bounded transactions. The table name is not qualified: a statement loads into
 * whatever database the restoring connection uses.
 *
 * <p>It also sums a CRC-32C of every row's encoded values ({@link #checksum()}): the rows of a table as
 * the dump read them, independent of their order and of how they were cut into chunks, so a verify can
 * read a loaded copy back through the same encoder and compare.
 */
public final class InsertEncoder {

    private final byte[] header;
    private final ValueKind[] kinds;
    private final int maxRows;
    private final int maxBytes;
    private final SqlText sql = new SqlText(1 << 16);
    private int rowsInStatement;
    private final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    private long checksum;

    public InsertEncoder(String table, List<ColumnInfo> columns, int maxRows, int maxBytes) {
        this.header = ("INSERT INTO " + Identifiers.quote(table) + " ("
                + Identifiers.columnList(columns.stream().map(ColumnInfo::name).toList()) + ") VALUES\n")
                .getBytes(StandardCharsets.UTF_8);
        this.kinds = columns.stream().map(ColumnInfo::kind).toArray(ValueKind[]::new);
        this.maxRows = maxRows;
        this.maxBytes = maxBytes;
    }

    /** Appends one row (its columns in the order given at construction); writes out full statements. */
    public void row(Readable row, OutputStream out) throws IOException {
        if (rowsInStatement == 0) {
            sql.append(header);
        } else {
            sql.append((byte) ',');
            sql.append((byte) '\n');
        }
        int start = sql.length();
        sql.append((byte) '(');
        for (int i = 0; i < kinds.length; i++) {
            if (i > 0) {
                sql.append((byte) ',');
            }
            RawBytes value = row.get(i, RawBytes.class);
            if (value == null) {
                sql.nullValue();
            } else {
                switch (kinds[i]) {
                    case NUMBER -> sql.append(value.bytes());
                    case BINARY -> sql.hex(value.bytes());
                    case TEXT -> sql.quoted(value.bytes());
                }
            }
        }
        sql.append((byte) ')');
        crc.reset();
        sql.update(crc, start);
        checksum += crc.getValue();
        rowsInStatement++;
        if (rowsInStatement >= maxRows || sql.length() >= maxBytes) {
            endStatement(out);
        }
    }

    /** The sum of the rows' CRC-32C values so far (mod 2^64). */
    public long checksum() {
        return checksum;
    }

    /** Ends the open statement, if any, and writes it out. */
    public void finish(OutputStream out) throws IOException {
        if (rowsInStatement > 0) {
            endStatement(out);
        }
    }

    private void endStatement(OutputStream out) throws IOException {
        sql.append((byte) ';');
        sql.append((byte) '\n');
        sql.writeTo(out);
        sql.reset();
        rowsInStatement = 0;
    }
}
