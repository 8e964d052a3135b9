package io.stemcache.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** gzip at level 6 (the corpus's level, and what a team would put in Redis) and gunzip. */
final class Gzip {

    static final int LEVEL = 6;

    private Gzip() {}

    static byte[] compress(byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(data.length / 2 + 64);
        try (GZIPOutputStream gzip = new LevelledGzip(bytes)) {
            gzip.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A stream of the uncompressed bytes; the caller closes it. */
    static InputStream decompressing(InputStream gzipped) throws IOException {
        return new GZIPInputStream(gzipped, 1 << 16);
    }

    static InputStream decompressing(byte[] gzipped) throws IOException {
        return decompressing(new ByteArrayInputStream(gzipped));
    }

    private static final class LevelledGzip extends GZIPOutputStream {
        LevelledGzip(ByteArrayOutputStream out) throws IOException {
            super(out, 1 << 16);
            def.setLevel(LEVEL);
        }
    }
}
