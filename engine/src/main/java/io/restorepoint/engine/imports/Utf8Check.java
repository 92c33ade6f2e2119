package io.restorepoint.engine.imports;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes a stream through unchanged and remembers where its first byte sequence that is not well-formed
 * UTF-8 starts (RFC 3629, Unicode table 3-7): no overlong forms ({@code C0 AF}), no encoded surrogates
 * ({@code ED A0 80}), nothing above U+10FFFF ({@code F4 90 80 80}), no stray or missing continuation bytes.
 * A JSON parser decodes some of these without complaint; the import reads the offset to refuse the value
 * that holds it instead of storing something other than what the document says.
 */
final class Utf8Check extends FilterInputStream {

    private long offset;
    private long firstBad = -1;
    private long sequenceStart;
    private int continuations;
    private int lower = 0x80;
    private int upper = 0xBF;

    Utf8Check(InputStream in) {
        super(in);
    }

    /** Byte offset of the first ill-formed sequence read so far, or -1. */
    long firstBad() {
        return firstBad;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b < 0) {
            end();
        } else {
            check((byte) b);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int off, int len) throws IOException {
        int n = in.read(buffer, off, len);
        if (n < 0) {
            end();
        }
        for (int i = 0; i < n && firstBad < 0; i++) { // stops at the first bad byte: later offsets do not matter
            check(buffer[off + i]);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] scratch = new byte[(int) Math.min(8192, Math.max(0, n))];
        int read = read(scratch, 0, scratch.length);
        return Math.max(read, 0);
    }

    private void end() {
        if (continuations > 0 && firstBad < 0) {
            firstBad = sequenceStart;
        }
    }

    private void check(byte value) {
        if (firstBad >= 0) {
            return;
        }
        int c = value & 0xFF;
        long at = offset++;
        if (continuations > 0) {
            if (c < lower || c > upper) {
                firstBad = sequenceStart;
                return;
            }
            lower = 0x80;
            upper = 0xBF;
            continuations--;
            return;
        }
        if (c < 0x80) {
            return;
        }
        sequenceStart = at;
        if (c >= 0xC2 && c <= 0xDF) {
            continuations = 1;
        } else if (c == 0xE0) {
            continuations = 2;
            lower = 0xA0;
        } else if (c == 0xED) {
            continuations = 2;
            upper = 0x9F;
        } else if (c >= 0xE1 && c <= 0xEF) {
            continuations = 2;
        } else if (c == 0xF0) {
            continuations = 3;
            lower = 0x90;
        } else if (c >= 0xF1 && c <= 0xF3) {
            continuations = 3;
        } else if (c == 0xF4) {
            continuations = 3;
            upper = 0x8F;
        } else {
            firstBad = at;
        }
    }
}
