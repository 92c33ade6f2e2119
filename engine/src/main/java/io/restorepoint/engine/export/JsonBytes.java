package io.restorepoint.engine.export;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** An unsynchronized growable byte buffer with the JSON writing the exporter needs. */
final class JsonBytes {

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** For each byte: 0 = as it is, 'u' = \\u00XX, else the letter after the backslash. */
    private static final byte[] ESCAPES = new byte[256];

    static {
        for (int c = 0; c < 0x20; c++) {
            ESCAPES[c] = 'u';
        }
        ESCAPES['"'] = '"';
        ESCAPES['\\'] = '\\';
        ESCAPES['\n'] = 'n';
        ESCAPES['\r'] = 'r';
        ESCAPES['\t'] = 't';
    }

    private byte[] buf;
    private int len;

    JsonBytes(int capacity) {
        buf = new byte[capacity];
    }

    int size() {
        return len;
    }

    void write(int b) {
        ensure(1);
        buf[len++] = (byte) b;
    }

    void write(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, len, bytes.length);
        len += bytes.length;
    }

    /** A JSON string of UTF-8 bytes: quotes, backslashes and control characters escaped. */
    void string(byte[] v) {
        ensure(2 + v.length * 6);
        byte[] b = buf;
        int at = len;
        b[at++] = '"';
        int run = 0;
        for (int i = 0; i < v.length; i++) {
            byte escape = ESCAPES[v[i] & 0xFF];
            if (escape == 0) {
                continue;
            }
            int n = i - run;
            System.arraycopy(v, run, b, at, n);
            at += n;
            b[at++] = '\\';
            b[at++] = escape;
            if (escape == 'u') {
                b[at++] = '0';
                b[at++] = '0';
                b[at++] = HEX[(v[i] >> 4) & 0xF];
                b[at++] = HEX[v[i] & 0xF];
            }
            run = i + 1;
        }
        int n = v.length - run;
        System.arraycopy(v, run, b, at, n);
        at += n;
        b[at++] = '"';
        len = at;
    }

    byte[] take() {
        byte[] out = Arrays.copyOf(buf, len);
        len = 0;
        return out;
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }
}
