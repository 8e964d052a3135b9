package io.stemcache.core.serialization;

import com.hazelcast.config.SerializationConfig;
import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.codec.AnalysisCodec;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/** Serializers a hostile client could register: stemcache's schemas, with values its own serializers never write. */
public final class HostileSerialization {

    private HostileSerialization() {}

    /** Keys as stemcache writes them; entries whose {@code size} field is {@code sizeDelta} off the payload's length. */
    public static SerializationConfig lyingAboutSize(SerializationConfig config, int sizeDelta) {
        config.getCompactSerializationConfig().addSerializer(new AnalysisKeySerializer());
        config.getCompactSerializationConfig().addSerializer(new LyingSize(sizeDelta));
        return config;
    }

    private static final class LyingSize implements CompactSerializer<CachedAudioAnalysis> {

        private final CachedAudioAnalysisSerializer honest =
                new CachedAudioAnalysisSerializer(AnalysisCodec.standard());
        private final int sizeDelta;

        LyingSize(int sizeDelta) {
            this.sizeDelta = sizeDelta;
        }

        @Override
        public CachedAudioAnalysis read(CompactReader reader) {
            return honest.read(reader);
        }

        @Override
        public void write(CompactWriter writer, CachedAudioAnalysis value) {
            CompactWriter lying = (CompactWriter) Proxy.newProxyInstance(
                    CompactWriter.class.getClassLoader(),
                    new Class<?>[] {CompactWriter.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("writeInt32") && "size".equals(args[0])) {
                            args[1] = (Integer) args[1] + sizeDelta;
                        }
                        try {
                            return method.invoke(writer, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            honest.write(lying, value);
        }

        @Override
        public String getTypeName() {
            return honest.getTypeName();
        }

        @Override
        public Class<CachedAudioAnalysis> getCompactClass() {
            return CachedAudioAnalysis.class;
        }
    }
}
