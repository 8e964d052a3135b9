package io.stemcache.node.spill;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;

/**
 * One spill file: a header naming the map and the database it belongs to, then records, each
 * {@code [int length][int crc32][body]}. The member writing it holds an exclusive lock on it until it has
 * written and forced everything, so a member starting on a shared directory never reads a file still being
 * written; a record cut short (the writer was killed) ends the file, everything before it is kept.
 */
final class SpillFile {

    static final String SUFFIX = ".spill";
    private static final long MAGIC = 0x5354454d5350494cL; // "STEMSPIL"
    private static final int FORMAT = 1;
    /** A record cannot be longer than this (a payload is capped well below it). */
    private static final int MAX_RECORD = Integer.MAX_VALUE - 64;

    /** Which map and database a file is for: only a member of the same map on the same database replays it. */
    record Header(String mapName, String database) {}

    private SpillFile() {}

    /** Writes records to a new file, holding its lock until {@link #close()}. */
    static final class Writer implements AutoCloseable {

        private final Path path;
        private final FileChannel channel;
        private final FileLock lock;
        private long records;
        private long bytes;

        Writer(Path path, Header header) throws IOException {
            this.path = path;
            this.channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            this.lock = channel.lock();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(head)) {
                out.writeLong(MAGIC);
                out.writeInt(FORMAT);
                out.writeUTF(header.mapName());
                out.writeUTF(header.database());
            }
            write(ByteBuffer.wrap(head.toByteArray()));
        }

        void append(byte[] body) throws IOException {
            CRC32 crc = new CRC32();
            crc.update(body);
            ByteBuffer record = ByteBuffer.allocate(8 + body.length);
            record.putInt(body.length).putInt((int) crc.getValue()).put(body).flip();
            write(record);
            records++;
            bytes += body.length;
        }

        private void write(ByteBuffer buffer) throws IOException {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }

        /** Forces what was written to the disk. */
        void force() throws IOException {
            channel.force(true);
        }

        Path path() {
            return path;
        }

        long records() {
            return records;
        }

        long bytes() {
            return bytes;
        }

        @Override
        public void close() throws IOException {
            try {
                channel.force(true);
                lock.release();
            } finally {
                channel.close();
            }
        }
    }

    /** Reads a file another member has finished; {@link #open} answers null while someone holds its lock. */
    static final class Reader implements AutoCloseable {

        private final FileChannel channel;
        private final FileLock lock;
        private final DataInputStream in;
        private final Header header;
        private long offset;

        private Reader(FileChannel channel, FileLock lock) throws IOException {
            this.channel = channel;
            this.lock = lock;
            InputStream stream = Channels.newInputStream(channel);
            this.in = new DataInputStream(new java.io.BufferedInputStream(stream, 1 << 16));
            if (in.readLong() != MAGIC) {
                throw new IOException("not a stemcache spill file");
            }
            int format = in.readInt();
            if (format != FORMAT) {
                throw new IOException("spill format " + format + ", this member reads " + FORMAT);
            }
            this.header = new Header(in.readUTF(), in.readUTF());
            this.offset = 16L + utf8Length(header.mapName()) + utf8Length(header.database());
        }

        static Reader open(Path path) throws IOException {
            FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                return null;
            }
            try {
                return new Reader(channel, lock);
            } catch (IOException | RuntimeException e) {
                lock.release();
                channel.close();
                throw e;
            }
        }

        Header header() {
            return header;
        }

        private static int utf8Length(String text) {
            return text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }

        /** The next record's body, or null at the end; throws IOException on a damaged record. */
        byte[] next() throws IOException {
            int length;
            try {
                length = in.readInt();
            } catch (EOFException end) {
                return null;
            }
            int crc = readInt("checksum");
            if (length < 1 || length > MAX_RECORD) {
                throw new IOException("record length " + length);
            }
            byte[] body = in.readNBytes(length);
            if (body.length != length) {
                throw new IOException("record cut short (" + body.length + " of " + length + " bytes)");
            }
            CRC32 check = new CRC32();
            check.update(body);
            if ((int) check.getValue() != crc) {
                throw new IOException("record checksum mismatch");
            }
            offset += 8L + length;
            return body;
        }

        private int readInt(String what) throws IOException {
            try {
                return in.readInt();
            } catch (EOFException e) {
                throw new IOException("record cut short in its " + what, e);
            }
        }

        /** Where the next record starts (after the last good one). */
        long offset() {
            return offset;
        }

        @Override
        public void close() throws IOException {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }
}
