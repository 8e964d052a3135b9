package io.stemcache.core.codec;

/**
 * A per-thread scratch array for a column's planes, so steady-state coding allocates no plane buffers.
 * Only arrays up to {@link #KEPT_BYTES} are kept: a thread that once decoded a huge analysis should not
 * hold its planes forever.
 */
final class Scratch {

    /** Enough for columns of half a million values; a 3-minute track's series have about 16 000. */
    static final int KEPT_BYTES = 4 << 20;

    private static final ThreadLocal<byte[]> KEPT = new ThreadLocal<>();

    private Scratch() {}

    /** An array of at least {@code size} bytes with undefined contents, valid until the thread's next call. */
    static byte[] bytes(int size) {
        byte[] kept = KEPT.get();
        if (kept != null && kept.length >= size) {
            return kept;
        }
        if (size > KEPT_BYTES) {
            return new byte[size];
        }
        byte[] grown = new byte[Math.max(size, Math.min(KEPT_BYTES, kept == null ? 64 << 10 : 2 * kept.length))];
        KEPT.set(grown);
        return grown;
    }
}
