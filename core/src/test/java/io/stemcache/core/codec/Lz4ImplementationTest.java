package io.stemcache.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URL;
import java.net.URLClassLoader;
import net.jpountz.lz4.LZ4Factory;
import org.junit.jupiter.api.Test;

/**
 * The codec runs on native LZ4 even when its classes and lz4-java's come from a class loader other than the
 * system one, as under Spring Boot's launcher ({@code java -jar} of the node or of an API node), where
 * lz4-java left alone silently falls back to Java.
 */
class Lz4ImplementationTest {

    @Test
    void codecLoadsNativeLz4_underAnotherClassLoader() throws Exception {
        assumeTrue(
                LZ4Factory.fastestInstance().toString().contains("JNI"),
                "this platform has no lz4-java native library");
        try (URLClassLoader launcherLike = isolatedLoader()) {
            Class<?> codec = Class.forName(AnalysisCodec.class.getName(), true, launcherLike);
            assertThat(codec.getClassLoader()).isSameAs(launcherLike);

            assertThat(codec.getMethod("lz4Implementation").invoke(null)).isEqualTo("JNI");
        }
    }

    /** The situation the codec guards against, reproduced: lz4-java alone picks Java under such a loader. */
    @Test
    void lz4JavaAlone_fallsBackToJava_underAnotherClassLoader() throws Exception {
        try (URLClassLoader launcherLike = isolatedLoader()) {
            Class<?> factory = Class.forName(LZ4Factory.class.getName(), true, launcherLike);
            Object fastest = factory.getMethod("fastestInstance").invoke(null);

            assertThat(fastest.toString()).doesNotContain("JNI");
        }
    }

    @Test
    void inThisJvm_theCodecReportsTheImplementationLz4JavaGives() {
        assertThat(AnalysisCodec.lz4Implementation())
                .isEqualTo(LZ4Factory.fastestInstance().toString().replace("LZ4Factory:", ""));
    }

    /** Core's classes and lz4-java's jar, without the system class loader as a parent. */
    private static URLClassLoader isolatedLoader() {
        URL core = AnalysisCodec.class.getProtectionDomain().getCodeSource().getLocation();
        URL lz4 = LZ4Factory.class.getProtectionDomain().getCodeSource().getLocation();
        return new URLClassLoader("launcher-like", new URL[] {core, lz4}, ClassLoader.getPlatformClassLoader());
    }
}
