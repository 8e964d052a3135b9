package io.stemcache.api;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** A request body that fails once more than its limit has been read (a chunked body has no Content-Length). */
final class BoundedInputStream extends FilterInputStream {

    /** Thrown, inside the reader's UncheckedIOException, when the limit is passed. */
    static final class LimitExceeded extends IOException {
        LimitExceeded(long limit) {
            super("the body is longer than " + limit + " bytes");
        }
    }

    private final long limit;
    private long read;

    BoundedInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    private void count(long n) throws IOException {
        read += n;
        if (read > limit) {
            throw new LimitExceeded(limit);
        }
    }
}
