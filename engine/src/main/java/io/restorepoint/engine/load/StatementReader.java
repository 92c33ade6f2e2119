package io.restorepoint.engine.load;

import com.github.luben.zstd.ZstdInputStream;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * Reads the statements of a data chunk back, one at a time. In format v1 a raw newline never occurs
 * inside a literal (it is written as {@code \n}), so a statement ends at the first line ending in
 * {@code ;}.
 */
public final class StatementReader implements AutoCloseable {

    private final InputStream in;
    private final byte[] chunk = new byte[1 << 16];
    private int chunkLen;
    private int chunkPos;
    private byte[] statement = new byte[1 << 16];
    private int statementLen;
    private boolean eof;

    private StatementReader(InputStream in) {
        this.in = in;
    }

    /**
     * The statements of a stored zstd file, read on a blocking-capable thread and closed when the flux
     * ends, fails or is cancelled.
     */
    public static Flux<String> statements(Callable<InputStream> open) {
        return Flux.using(() -> compressed(open.call()),
                reader -> Flux.<String>generate(sink -> {
                    try {
                        String sql = reader.next();
                        if (sql == null) {
                            sink.complete();
                        } else {
                            sink.next(sql);
                        }
                    } catch (IOException e) {
                        sink.error(new UncheckedIOException(e));
                    }
                }).subscribeOn(Schedulers.boundedElastic(), false),
                reader -> {
                    try {
                        reader.close();
                    } catch (IOException ignored) {
                        // read-only
                    }
                });
    }

    /** Reads a zstd-compressed chunk file. */
    public static StatementReader compressed(InputStream stored) throws IOException {
        return new StatementReader(new ZstdInputStream(stored));
    }

    /** The next statement (without its trailing {@code ;}), or null at the end. */
    public String next() throws IOException {
        statementLen = 0;
        while (true) {
            if (chunkPos == chunkLen) {
                if (eof || !fill()) {
                    if (statementLen > 0) {
                        throw new IOException("chunk ends in the middle of a statement (" + statementLen + " bytes)");
                    }
                    return null;
                }
            }
            int start = chunkPos;
            int end = chunkLen;
            for (int i = start; i < end; i++) {
                if (chunk[i] == '\n') {
                    boolean complete = i > start ? chunk[i - 1] == ';' : statementLen > 0 && statement[statementLen - 1] == ';';
                    if (complete) {
                        append(start, i - start);
                        chunkPos = i + 1;
                        return new String(statement, 0, statementLen - 1, StandardCharsets.UTF_8);
                    }
                }
            }
            append(start, end - start);
            chunkPos = end;
        }
    }

    private boolean fill() throws IOException {
        int n = in.readNBytes(chunk, 0, chunk.length);
        if (n <= 0) {
            eof = true;
            chunkLen = chunkPos = 0;
            return false;
        }
        chunkLen = n;
        chunkPos = 0;
        return true;
    }

    private void append(int from, int n) {
        if (statementLen + n > statement.length) {
            statement = Arrays.copyOf(statement, Math.max(statement.length * 2, statementLen + n));
        }
        System.arraycopy(chunk, from, statement, statementLen, n);
        statementLen += n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
