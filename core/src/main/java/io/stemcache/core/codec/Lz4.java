package io.stemcache.core.codec;

import net.jpountz.lz4.LZ4Factory;
import net.jpountz.util.Native;
import net.jpountz.xxhash.XXHashFactory;

/**
 * The LZ4 and xxHash implementations the codec uses: lz4-java's native (JNI) ones where the platform has
 * them, its Java ones elsewhere.
 *
 * <p>lz4-java's {@code fastestInstance()} only loads its native library by itself when its classes come
 * from the system class loader. Under Spring Boot's launcher ({@code java -jar} of a repackaged node or API
 * node) they come from the launcher's own loader, and lz4-java then silently runs its Java implementation,
 * several times slower (the benchmark measured decode at 0.4 instead of 1.0-1.5 GB/s). So the native library
 * is loaded here first, whatever the class loader; where that fails the codec runs, slower, on Java, and
 * {@link #implementation()} says so.
 */
final class Lz4 {

    static final LZ4Factory FACTORY;
    static final XXHashFactory HASHES;

    static {
        try {
            Native.load();
        } catch (RuntimeException | LinkageError noNativeLibrary) {
            // No library for this platform, or it cannot be loaded here: the Java implementations follow.
        }
        FACTORY = LZ4Factory.fastestInstance();
        HASHES = XXHashFactory.fastestInstance();
    }

    private Lz4() {}

    /** "JNI" when the native library runs the codec, else the Java implementation's name. */
    static String implementation() {
        return FACTORY.toString().replace("LZ4Factory:", "");
    }
}
