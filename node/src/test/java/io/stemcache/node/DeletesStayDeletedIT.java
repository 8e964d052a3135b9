package io.stemcache.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.stemcache.client.ClientSettings;
import io.stemcache.client.StemcacheClient;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.AudioCacheService;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.core.testing.Corpus;
import io.stemcache.mapstore.PostgresAnalysisStore;
import io.stemcache.mapstore.StoreSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Deletes stay deleted (issue 10): an entry invalidated or removed never comes back, neither from a store still
 * queued when it left memory, nor from a store replayed after the delete, nor after a delete made while
 * PostgreSQL was unreachable. Two members over a TCP proxy to PostgreSQL, write-behind after 2 s.
 */
class DeletesStayDeletedIT {

    private static final int WRITE_DELAY_SECONDS = 2;

    private final List<HazelcastInstance> members = new ArrayList<>();
    private NodeMembers nodes;
    private TcpProxy proxy;
    private AudioCacheService cache;
    private final Owner owner = Owner.user(UUID.randomUUID());

    @BeforeEach
    void start() {
        nodes = new NodeMembers("deletes_stay", WRITE_DELAY_SECONDS, 0, true).throughProxy();
        proxy = nodes.proxy();
        members.add(nodes.member());
        members.add(nodes.member());
        cache = StemcacheClient.service(nodes.client(), ClientSettings.defaults());
    }

    @AfterEach
    void stop() {
        nodes.close();
    }

    private IMap<AnalysisKey, CachedAudioAnalysis> map() {
        return members.get(0).getMap(NodeMembers.MAP);
    }

    private long backlog() {
        return members.stream()
                .mapToLong(m -> m.getMap(NodeMembers.MAP).getLocalMapStats().getDirtyEntryCount())
                .sum();
    }

    private long rowsOf(UUID file) {
        return TableRows.query(
                nodes.database.dataSource(),
                "SELECT count(*) FROM audio_analysis_cache WHERE file_metadata_id = '" + file + "'");
    }

    private AnalysisKey keyOf(AudioAnalysis analysis) {
        return TestAnalyses.keyOf(owner, analysis);
    }

    private void awaitStored() {
        await().atMost(Duration.ofSeconds(30)).until(() -> backlog() == 0);
    }

    /** Read through a store of its own, as a member that starts later would load it. */
    private CachedAudioAnalysis reloaded(AnalysisKey key) {
        return new PostgresAnalysisStore(nodes.database.dataSource(), StoreSettings.defaults()).load(key);
    }

    @Test
    void invalidateFile_ofAnEntryEvictedBeforeItsStoreRan_leavesNoRowAndNoEntry() {
        AudioAnalysis analysis = TestAnalyses.withFile(Corpus.small(80), UUID.randomUUID());
        AnalysisKey key = keyOf(analysis);
        cache.setAnalysis(key, analysis, null);
        map().evict(key);

        cache.invalidateFile(analysis.fileMetadataId());
        awaitStored();

        assertThat(rowsOf(analysis.fileMetadataId())).isZero();
        assertThat(cache.getAnalysis(key)).isEmpty();
        CachedAudioAnalysis reloaded = reloaded(key);
        assertThat(reloaded == null || reloaded.isDeletion())
                .as("reloaded: %s", reloaded)
                .isTrue();
    }

    @Test
    void invalidateCache_whilePostgresIsDown_isStoredOnceItIsBack_andNothingComesBack() {
        AudioAnalysis analysis = TestAnalyses.withFile(Corpus.small(80), UUID.randomUUID());
        AnalysisKey key = keyOf(analysis);
        cache.setAnalysis(key, analysis, null);
        awaitStored();
        assertThat(rowsOf(analysis.fileMetadataId())).isEqualTo(1);

        proxy.cut();
        assertThat(cache.invalidateCache(owner, analysis.fileMetadataId())).isEqualTo(1);
        assertThat(cache.getAnalysis(key)).isEmpty();
        proxy.restore();
        awaitStored();

        assertThat(rowsOf(analysis.fileMetadataId())).isZero();
        assertThat(reloaded(key).isDeletion())
                .as("its tombstone reads as the removal")
                .isTrue();
        assertThat(cache.getAnalysis(key)).isEmpty();
    }

    @Test
    void invalidateFile_whilePostgresIsDown_failsNamingIt_afterRemovingWhatMemoryHolds() {
        AudioAnalysis analysis = TestAnalyses.withFile(Corpus.small(80), UUID.randomUUID());
        AnalysisKey key = keyOf(analysis);
        cache.setAnalysis(key, analysis, null);
        awaitStored();

        proxy.cut();
        assertThatThrownBy(() -> cache.invalidateFile(analysis.fileMetadataId()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("invalidate file " + analysis.fileMetadataId())
                .hasMessageContaining("deleting the rows of file");
        assertThat(cache.getAnalysis(key)).isEmpty();
        proxy.restore();
        awaitStored();

        assertThat(rowsOf(analysis.fileMetadataId())).isZero();
    }

    @Test
    void storeReplayedAfterTheDelete_bringsNothingBack() {
        AudioAnalysis analysis = TestAnalyses.withFile(Corpus.small(80), UUID.randomUUID());
        AnalysisKey key = keyOf(analysis);
        CachedAudioAnalysis written = cache.setAnalysis(key, analysis, null);
        awaitStored();
        cache.invalidateCache(owner, analysis.fileMetadataId());
        awaitStored();

        // What a promoted backup does with a store it still holds: store it again, late.
        nodes.stores.get(1).store(key, written);

        assertThat(rowsOf(analysis.fileMetadataId())).isZero();
        assertThat(reloaded(key).isDeletion()).isTrue();
        assertThat(cache.getAnalysis(key)).isEmpty();
        CachedAudioAnalysis again = cache.setAnalysis(key, analysis, null);
        assertThat(again.version())
                .as("the next write continues above the removal")
                .isGreaterThan(reloaded(key).version());
        awaitStored();
        assertThat(rowsOf(analysis.fileMetadataId())).isEqualTo(1);
    }
}
