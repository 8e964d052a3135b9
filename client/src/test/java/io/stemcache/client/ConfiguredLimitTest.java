package io.stemcache.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.client.test.TestHazelcastFactory;
import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.core.codec.AnalysisCodec;
import io.stemcache.core.codec.CorruptPayloadException;
import io.stemcache.core.ops.EntryVersions;
import io.stemcache.core.serialization.StemcacheSerialization;
import io.stemcache.core.testing.Analyses;
import io.stemcache.core.testing.Corpus;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, item 2: entries decoded with {@code AnalysisCodec.standard()} (256 MiB) whatever
 * {@code stemcache.client.max-analysis-mb} said, so an API node configured for small analyses still allocated what
 * any entry claimed. An entry read through a client now decodes with the codec its configuration was loaded with.
 */
class ConfiguredLimitTest {

    private static final long ONE_MIB = 1L << 20;

    private final TestHazelcastFactory factory = new TestHazelcastFactory();

    @AfterEach
    void stop() {
        factory.terminateAll();
    }

    private HazelcastInstance clientWith(AnalysisCodec codec) throws Exception {
        try (InputStream yaml =
                StemcacheClient.class.getClassLoader().getResourceAsStream(StemcacheClient.DEFAULT_CONFIG)) {
            return factory.newHazelcastClient(StemcacheClient.loadConfig(yaml, codec));
        }
    }

    @Test
    void analysis_ofAnEntryOverTheClientsLimit_isRefusedNamingTheLimit_withoutDecodingIt() throws Exception {
        Config member = new Config().setClusterName("stemcache");
        StemcacheSerialization.register(member.getSerializationConfig());
        EntryVersions.installOn(member, ClientSettings.defaults().mapName());
        factory.newHazelcastInstance(member);
        AudioAnalysis stem = Corpus.first();
        assertThat(AnalysisCodec.standard().rawSize(stem)).isGreaterThan(2 * ONE_MIB);
        AnalysisKey key = new AnalysisKey(Owner.user(UUID.randomUUID()), stem.fileMetadataId(), stem.stemType());
        try (ClusterAudioCacheService writer = (ClusterAudioCacheService)
                StemcacheClient.service(clientWith(AnalysisCodec.standard()), ClientSettings.defaults())) {
            writer.setAnalysis(key, stem, null);
        }
        AnalysisCodec small = AnalysisCodec.withMaxDecodedBytes(ONE_MIB);
        try (ClusterAudioCacheService reader = (ClusterAudioCacheService) StemcacheClient.service(
                clientWith(small), ClientSettings.defaults().withCodec(small))) {
            CachedAudioAnalysis entry = reader.getAnalysis(key).orElseThrow();

            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            assertThatThrownBy(entry::sharedAnalysis)
                    .isInstanceOf(CorruptPayloadException.class)
                    .hasMessageContaining("over this codec's limit of " + ONE_MIB + " decoded bytes")
                    .hasMessageContaining("stemcache.client.max-analysis-mb");
            long allocated =
                    threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
            assertThat(allocated)
                    .as("bytes allocated refusing an entry of %d raw bytes", entry.rawSize())
                    .isLessThan(256 << 10);
            assertThatThrownBy(entry::analysis).isInstanceOf(CorruptPayloadException.class);
        }
        try (ClusterAudioCacheService roomy = (ClusterAudioCacheService)
                StemcacheClient.service(clientWith(AnalysisCodec.standard()), ClientSettings.defaults())) {
            Analyses.assertBitExact(stem, roomy.getAnalysis(key).orElseThrow().analysis());
        }
    }
}
