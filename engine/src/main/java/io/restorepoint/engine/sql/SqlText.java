package io.restorepoint.engine.sql;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer of SQL text with the literals RestorePoint writes: string literals (utf8mb4,
 * with {@code \0 \n \r \\ \' \Z} escaped, so no raw newline ever appears inside one), hex literals for
 * binary data, and raw digits. Not thread-safe; one per writer.
 */
public final class SqlText {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = "NULL".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMPTY_BINARY = "X''".getBytes(StandardCharsets.US_ASCII);
    /** For each byte: 0 if it goes as it is, else the letter that follows the backslash. */
    private static final byte[] ESCAPES = new byte[256];

    static {
        ESCAPES[0] = '0';
        ESCAPES['\n'] = 'n';
        ESCAPES['\r'] = 'r';
        ESCAPES['\\'] = '\\';
        ESCAPES['\''] = '\'';
        ESCAPES[0x1A] = 'Z';
    }

    private byte[] buf;
    private int len;

    public SqlText(int capacity) {
        buf = new byte[capacity];
    }

    public int length() {
        return len;
    }

    /** Feeds the bytes from {@code from} to the end into {@code checksum}. */
    public void update(java.util.zip.Checksum checksum, int from) {
        checksum.update(buf, from, len - from);
    }

    public void append(byte b) {
        ensure(1);
        buf[len++] = b;
    }

    public void append(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, len, bytes.length);
        len += bytes.length;
    }

    public void append(byte[] bytes, int offset, int length) {
        ensure(length);
        System.arraycopy(bytes, offset, buf, len, length);
        len += length;
    }

    /** Appends the text of another buffer. */
    public void append(SqlText other) {
        append(other.buf, 0, other.len);
    }

    public void append(String ascii) {
        append(ascii.getBytes(StandardCharsets.UTF_8));
    }

    public void nullValue() {
        append(NULL);
    }

    /** A string literal of UTF-8 bytes; runs without special bytes are copied whole. */
    public void quoted(byte[] value) {
        ensure(2 + value.length * 2);
        byte[] b = buf;
        int at = len;
        b[at++] = '\'';
        int run = 0;
        for (int i = 0; i < value.length; i++) {
            byte escape = ESCAPES[value[i] & 0xFF];
            if (escape == 0) {
                continue;
            }
            int n = i - run;
            System.arraycopy(value, run, b, at, n);
            at += n;
            b[at++] = '\\';
            b[at++] = escape;
            run = i + 1;
        }
        int n = value.length - run;
        System.arraycopy(value, run, b, at, n);
        at += n;
        b[at++] = '\'';
        len = at;
    }

    /** A hex literal ({@code 0x…}, or {@code X''} when empty). */
    public void hex(byte[] value) {
        if (value.length == 0) {
            append(EMPTY_BINARY);
            return;
        }
        ensure(2 + value.length * 2);
        buf[len++] = '0';
        buf[len++] = 'x';
        for (byte v : value) {
            buf[len++] = HEX[(v >> 4) & 0xF];
            buf[len++] = HEX[v & 0xF];
        }
    }

    public void writeTo(OutputStream out) throws IOException {
        out.write(buf, 0, len);
    }

    /** Empties the buffer; a buffer grown past 4 MiB by one huge value is let go. */
    public void reset() {
        len = 0;
        if (buf.length > (1 << 22)) {
            buf = new byte[1 << 16];
        }
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }
}
