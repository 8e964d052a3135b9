package io.stemcache.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.core.HazelcastInstance;
import io.stemcache.client.ClientSettings;
import io.stemcache.client.StemcacheClient;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.AudioCacheService;
import io.stemcache.core.Owner;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The after-test invariant of the cluster tests ({@link NodeMembers#assertRowsMatchMemory()}) holds after ordinary
 * writes and fails, naming the entry, when a row and the map disagree: a row that went, a row of another version.
 */
class RowsMatchMemoryIT {

    private NodeMembers members;
    private AudioCacheService cache;

    @BeforeEach
    void start() {
        members = new NodeMembers("rows_match_memory", 1, 50, false);
        members.member();
        members.member();
        HazelcastInstance client = members.client();
        cache = StemcacheClient.service(client, ClientSettings.defaults());
    }

    @AfterEach
    void stop() {
        members.withoutInvariant("checked by the tests themselves").close();
    }

    private AnalysisKey written() {
        Owner owner = Owner.user(UUID.randomUUID());
        AnalysisKey last = null;
        for (AudioAnalysis analysis : TestAnalyses.distinctSmall(5, 40)) {
            last = TestAnalyses.keyOf(owner, analysis);
            cache.setAnalysis(last, analysis, null);
        }
        return last;
    }

    @Test
    void ordinaryWrites_holdTheInvariant() {
        written();

        members.assertRowsMatchMemory();
        assertThat(TableRows.count(members.database.dataSource())).isEqualTo(5);
    }

    @Test
    void aRowDeletedBehindTheMapsBack_failsTheInvariantNamingTheKey() {
        AnalysisKey key = written();
        members.assertRowsMatchMemory();
        TableRows.execute(
                members.database.dataSource(),
                "DELETE FROM audio_analysis_cache WHERE file_metadata_id = '" + key.fileMetadataId() + "'");

        assertThatThrownBy(members::assertRowsMatchMemory)
                .hasMessageContaining("1 of 5 entries wrong")
                .hasMessageContaining(key.fileMetadataId().toString())
                .hasMessageContaining("no row");
    }

    @Test
    void aRowOfAnotherVersion_failsTheInvariant() {
        AnalysisKey key = written();
        members.assertRowsMatchMemory();
        TableRows.execute(
                members.database.dataSource(),
                "UPDATE audio_analysis_cache SET entry_version = entry_version" + " + 1 WHERE file_metadata_id = '"
                        + key.fileMetadataId() + "'");

        assertThatThrownBy(members::assertRowsMatchMemory).hasMessageContaining("differs from memory");
    }
}
