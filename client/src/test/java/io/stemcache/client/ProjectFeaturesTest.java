package io.stemcache.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.client.impl.clientside.HazelcastClientProxy;
import com.hazelcast.client.test.TestHazelcastFactory;
import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.map.IMap;
import com.hazelcast.spi.exception.SilentException;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.AudioCacheService;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.core.Precision;
import io.stemcache.core.codec.AnalysisCodec;
import io.stemcache.core.ops.EntryVersions;
import io.stemcache.core.ops.ProjectFeatures;
import io.stemcache.core.ops.ProjectedAnalysis;
import io.stemcache.core.serialization.StemcacheSerialization;
import io.stemcache.core.testing.Analyses;
import io.stemcache.core.testing.Corpus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link ProjectFeatures}: the member owning an entry cuts the asked-for series out, and only they travel. */
class ProjectFeaturesTest {

    private static final List<String> FOUR = List.of("rms", "spectralCentroid", "spectralFlatness", "zcr");

    /** Issue 11's target for 4 of a stem's ~35 features. */
    private static final double MAX_FOUR_FEATURE_SHARE = 0.15;

    private final TestHazelcastFactory factory = new TestHazelcastFactory();
    private final AnalysisCodec codec = AnalysisCodec.standard();
    private HazelcastInstance client;
    private AudioCacheService service;
    private IMap<AnalysisKey, CachedAudioAnalysis> map;

    @BeforeEach
    void startCluster() {
        Config member = new Config().setClusterName("stemcache");
        StemcacheSerialization.register(member.getSerializationConfig());
        EntryVersions.installOn(member, ClientSettings.defaults().mapName());
        factory.newHazelcastInstance(member);
        factory.newHazelcastInstance(member);
        client = factory.newHazelcastClient(StemcacheClient.defaultConfig());
        service = StemcacheClient.service(client, ClientSettings.defaults());
        map = client.getMap(ClientSettings.defaults().mapName());
    }

    @AfterEach
    void stopCluster() {
        factory.terminateAll();
    }

    @Test
    void projectFeatures_ofACorpusStem_answersOnlyTheNamedSeriesAndTheEntrysFields_atEveryPrecision() {
        AudioAnalysis analysis = Corpus.first();
        SerializationService serialization = ((HazelcastClientProxy) client).getSerializationService();
        for (Precision precision : Precision.values()) {
            AnalysisKey key =
                    new AnalysisKey(Owner.user(UUID.randomUUID()), analysis.fileMetadataId(), analysis.stemType());
            CachedAudioAnalysis entry = service.setAnalysis(key, analysis, "sha256:abc", precision);

            ProjectedAnalysis projected = map.executeOnKey(key, new ProjectFeatures(FOUR));

            assertThat(projected.version()).isEqualTo(entry.version());
            assertThat(projected.precision()).isEqualTo(precision);
            assertThat(projected.contentHash()).isEqualTo("sha256:abc");
            assertThat(projected.analysisVersion()).isEqualTo(analysis.analysisVersion());
            assertThat(projected.cacheVersion()).isEqualTo(entry.cacheVersion());
            assertThat(projected.updatedAt()).isEqualTo(entry.updatedAt());
            Analyses.assertBitExact(cut(codec.decode(entry.payload()), FOUR), codec.decode(projected.payload()));
            // What crossed back: the answer as the client deserialised it, against the whole entry.
            long answerBytes = serialization.toData(projected).totalSize();
            long entryBytes = serialization.toData(entry).totalSize();
            double share = (double) projected.payload().length / entry.payload().length;
            System.out.printf(
                    "ProjectFeatures %s %s: payload %d of %d bytes = %.4f; serialized answer %d of the"
                            + " entry's %d bytes%n",
                    Corpus.files().get(0).getFileName(),
                    precision,
                    projected.payload().length,
                    entry.payload().length,
                    share,
                    answerBytes,
                    entryBytes);
            assertThat(share).isLessThanOrEqualTo(MAX_FOUR_FEATURE_SHARE);
            assertThat(answerBytes).isLessThan(projected.payload().length + 256L);
        }
    }

    @Test
    void projectFeatures_ofAMissOrADeletionMarker_answersNull() {
        AudioAnalysis small = Corpus.small(64);
        Owner owner = Owner.user(UUID.randomUUID());
        AnalysisKey key = new AnalysisKey(owner, small.fileMetadataId(), small.stemType());

        assertThat(map.executeOnKey(key, new ProjectFeatures(List.of("rms")))).isNull();

        service.setAnalysis(key, small, null);
        assertThat(map.executeOnKey(key, new ProjectFeatures(List.of("rms")))).isNotNull();
        service.invalidateCache(owner, small.fileMetadataId());
        assertThat(map.get(key).isDeletion()).isTrue();
        assertThat(map.executeOnKey(key, new ProjectFeatures(List.of("rms")))).isNull();
    }

    @Test
    void projectFeatures_unknownNames_failOnTheCallerNamingThem_silentlyOnTheMember() {
        AudioAnalysis small = Corpus.small(64);
        AnalysisKey key = new AnalysisKey(Owner.user(UUID.randomUUID()), small.fileMetadataId(), small.stemType());
        service.setAnalysis(key, small, null);

        assertThatThrownBy(() -> map.executeOnKey(key, new ProjectFeatures(List.of("rms", "tempo"))))
                .isInstanceOf(ProjectFeatures.UnknownFeaturesException.class)
                .hasMessageContaining("unknown feature 'tempo'; this analysis holds 'rms', 'spectralCentroid'");
        // Hazelcast logs a failed operation as the member's error unless the exception is a SilentException.
        assertThat(new ProjectFeatures.UnknownFeaturesException("x")).isInstanceOf(SilentException.class);
        assertThatThrownBy(() -> new ProjectFeatures(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one feature");
    }

    @Test
    void describeFiles_answersEachStoredStemsFieldsWithoutPayload_skipsMissesAndDeletions_andSeesOnlyTheOwner() {
        AudioAnalysis small = Corpus.small(64);
        Owner owner = Owner.user(UUID.randomUUID());
        UUID file = small.fileMetadataId();
        UUID empty = UUID.randomUUID();
        AnalysisKey key = new AnalysisKey(owner, file, small.stemType());
        CachedAudioAnalysis stored = service.setAnalysis(key, small, "sha256:abc", Precision.FLOAT32);

        Map<AnalysisKey, io.stemcache.core.ops.EntryDescription> described =
                service.describeFiles(owner, List.of(file, empty));

        assertThat(described).containsOnlyKeys(key);
        io.stemcache.core.ops.EntryDescription description = described.get(key);
        assertThat(description.version()).isEqualTo(stored.version());
        assertThat(description.precision()).isEqualTo(Precision.FLOAT32);
        assertThat(description.size()).isEqualTo(stored.size());
        assertThat(description.rawSize()).isEqualTo(stored.rawSize());
        assertThat(description.contentHash()).isEqualTo("sha256:abc");
        assertThat(description.analysisVersion()).isEqualTo(small.analysisVersion());
        assertThat(description.cacheVersion()).isEqualTo(stored.cacheVersion());
        assertThat(description.updatedAt()).isEqualTo(stored.updatedAt());
        // Another owner sees nothing of it; a removed stem holds a deletion marker, which is no entry.
        assertThat(service.describeFiles(Owner.user(UUID.randomUUID()), List.of(file)))
                .isEmpty();
        service.invalidateCache(owner, file);
        assertThat(service.describeFiles(owner, List.of(file))).isEmpty();
    }

    private static AudioAnalysis cut(AudioAnalysis analysis, List<String> names) {
        Map<String, double[]> series = new LinkedHashMap<>();
        analysis.analysisData().forEach((name, values) -> {
            if (names.contains(name)) {
                series.put(name, values);
            }
        });
        return new AudioAnalysis(
                analysis.fileMetadataId(),
                analysis.stemType(),
                analysis.analysisVersion(),
                series,
                analysis.waveformData(),
                analysis.metadata());
    }
}
