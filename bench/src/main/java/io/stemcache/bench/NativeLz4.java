package io.stemcache.bench;

import net.jpountz.lz4.LZ4Factory;
import net.jpountz.util.Native;

/**
 * Makes the codec use lz4-java's native (JNI) implementation inside this jar. lz4-java only loads its
 * native library by itself when its classes come from the system class loader; Spring Boot's launcher
 * loads them from the nested jar with its own, so without this the codec silently runs the pure-Java
 * implementation, several times slower. Must run before the codec's classes are initialized.
 */
final class NativeLz4 {

    private NativeLz4() {
    }

    /** Loads the native library if this platform has one; returns the implementation the codec will use. */
    static String load() {
        try {
            Native.load();
        } catch (RuntimeException | LinkageError e) {
            // No native library for this platform: the codec falls back to Java, and the report says so.
        }
        return LZ4Factory.fastestInstance().toString().replace("LZ4Factory:", "");
    }
}
