package io.stemcache.node.issues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.stemcache.client.ClientSettings;
import io.stemcache.client.StemcacheClient;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.AudioCacheService;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.core.ops.MemberServices;
import io.stemcache.node.NodeMembers;
import io.stemcache.node.TableRows;
import io.stemcache.node.TestAnalyses;
import java.io.Serializable;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, item 2: members read whatever a client sent with Java serialization (a Serializable task for an
 * executor, a Serializable value), so any class on the member's classpath could run its deserialization code there.
 * Members and clients now admit only Hazelcast's and the JDK's classes and stemcache's interceptors and exceptions;
 * anything else is refused before it is instantiated, and the member serves on.
 *
 * <p>Fixed in 450c756: {@code StemcacheSerialization.register} sets Hazelcast's Java deserialization filter, whose
 * whitelist holds what the project sends Java-serialized (the interceptors members copy to members that join, the
 * exceptions an operation may answer with); all other tasks are Compact. With the filter off both tests fail: the
 * task runs. The filter resolves superclasses too: {@code PutInterceptor} had to be listed, or members failed to join.
 */
class JavaDeserializationFilterIT {

    /** Counts runs of {@link Escape} on any member of this JVM: it must stay 0. */
    static final AtomicInteger RUNS = new AtomicInteger();

    /** A task a client may submit; Hazelcast sends it Java-serialized. */
    static final class Escape implements Callable<String>, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public String call() {
            RUNS.incrementAndGet();
            return "ran";
        }
    }

    private NodeMembers members;
    private HazelcastInstance client;
    private AudioCacheService cache;

    @BeforeEach
    void start() {
        members = new NodeMembers("java_filter", 0, 1, true);
        members.member();
        members.member();
        client = members.client();
        cache = StemcacheClient.service(client, ClientSettings.defaults());
    }

    @AfterEach
    void stop() {
        members.close();
    }

    private static final String REFUSED = "Resolving class " + Escape.class.getName() + " is not allowed";

    @Test
    void submit_ofASerializableTask_isRefusedByTheFilter_andNeverRuns() {
        assertThatThrownBy(() -> client.getExecutorService(MemberServices.EXECUTOR)
                        .submit(new Escape())
                        .get())
                .rootCause()
                .hasMessageContaining(REFUSED);
        assertThatThrownBy(() -> client.getExecutorService("default")
                        .submitToAllMembers(new Escape())
                        .values()
                        .iterator()
                        .next()
                        .get())
                .rootCause()
                .hasMessageContaining(REFUSED);

        assertThat(RUNS).hasValue(0);
        AudioAnalysis analysis = TestAnalyses.distinctSmall(1, 50).get(0);
        AnalysisKey key = TestAnalyses.keyOf(Owner.user(UUID.randomUUID()), analysis);
        long version = cache.setAnalysis(key, analysis, null).version();
        assertThat(cache.getAnalysis(key).orElseThrow().version())
                .as("the members serve on")
                .isEqualTo(version);
    }

    @Test
    void set_ofASerializableValueIntoTheAnalysisMap_isRefusedByTheFilter_andTheKeyKeepsItsEntry() {
        AudioAnalysis analysis = TestAnalyses.distinctSmall(1, 50).get(0);
        AnalysisKey key = TestAnalyses.keyOf(Owner.user(UUID.randomUUID()), analysis);
        CachedAudioAnalysis stored = cache.setAnalysis(key, analysis, null);
        IMap<AnalysisKey, Object> untyped = client.getMap(NodeMembers.MAP);

        assertThatThrownBy(() -> untyped.set(key, new Escape())).rootCause().hasMessageContaining(REFUSED);

        assertThat(cache.getAnalysis(key).orElseThrow().version()).isEqualTo(stored.version());
        assertThat(TableRows.query(
                        members.database.dataSource(),
                        "SELECT entry_version FROM audio_analysis_cache" + " WHERE file_metadata_id = '"
                                + key.fileMetadataId() + "'"))
                .isEqualTo(stored.version());
    }
}
