package io.restorepoint.store;

import software.amazon.awssdk.core.ResponseInputStream;

import java.io.FilterInputStream;
import java.io.IOException;

/** An object being read; closing it before its end aborts the connection instead of draining it. */
final class S3Download extends FilterInputStream {
    private final ResponseInputStream<?> response;
    private boolean eof;

    S3Download(ResponseInputStream<?> response) {
        super(response);
        this.response = response;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        eof |= b < 0;
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        eof |= n < 0;
        return n;
    }

    @Override
    public void close() throws IOException {
        if (!eof) {
            response.abort();
        }
        super.close();
    }
}
