package io.stemcache.node.issues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.stemcache.client.ClientSettings;
import io.stemcache.client.StemcacheClient;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.AudioCacheService;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.core.codec.AnalysisCodec;
import io.stemcache.core.ops.EntryVersions;
import io.stemcache.core.ops.ReadVersion;
import io.stemcache.core.ops.WriteExactly;
import io.stemcache.core.serialization.HostileSerialization;
import io.stemcache.core.testing.Corpus;
import io.stemcache.node.NodeMembers;
import io.stemcache.node.TableRows;
import io.stemcache.node.TestAnalyses;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, item 2: members only versioned what a client put, so an admitted client could store an entry whose
 * payload was damaged, of another stem, or beyond the limit every API node decodes to, and with an entry processor
 * ({@link WriteExactly}) write another key's entry under any key. Each such write is now refused on the member with the
 * problem named, and the key keeps its value in memory and in PostgreSQL (write-through here, so a refused write
 * that reached the store would show).
 *
 * <p>Fixed in 27e932d: {@code EntryChecks}, a put interceptor each member registers with its own codec
 * ({@code stemcache.max-analysis-mb}), refuses a value that is not an entry, a payload that does not verify within
 * the limit and one whose file, stem or precision are not the entry's; the entry serializer refuses a size field that
 * is not the payload's length; {@code WriteExactly} refuses an entry whose id, file or stem are not its key's. Without
 * {@code EntryChecks} installed 5 of its 8 cases then failed (the write went through). A version from the future, kept
 * for an evicted key until 37777e6, is refused since (more than a day ahead of the member's clock).
 */
class PutChecksIT {

    /** The members' limit: an honest small stem fits, a full corpus stem does not. */
    private static final long LIMIT = 1L << 20;

    private NodeMembers members;
    private HazelcastInstance client;
    private IMap<AnalysisKey, CachedAudioAnalysis> map;
    private AnalysisKey key;
    private CachedAudioAnalysis stored;

    @BeforeEach
    void start() {
        members = new NodeMembers("put_checks", 0, 1, false).limit(AnalysisCodec.withMaxDecodedBytes(LIMIT));
        members.member();
        members.member(); // joins with copies of the first one's interceptors (Java-serialized), then its own
        client = members.client();
        map = client.getMap(NodeMembers.MAP);
        AudioCacheService cache = StemcacheClient.service(client, ClientSettings.defaults());
        AudioAnalysis honest = TestAnalyses.distinctSmall(1, 120).get(0);
        key = TestAnalyses.keyOf(Owner.user(UUID.randomUUID()), honest);
        stored = cache.setAnalysis(key, honest, "h1");
    }

    @AfterEach
    void stop() {
        members.close();
    }

    private CachedAudioAnalysis entryOf(AnalysisKey under, AudioAnalysis analysis) {
        return CachedAudioAnalysis.of(
                under, analysis, null, 1, stored.precision(), AnalysisCodec.standard(), Instant.now());
    }

    private CachedAudioAnalysis withPayload(byte[] payload) {
        return new CachedAudioAnalysis(
                key.entryId(),
                key.fileMetadataId(),
                key.stemType(),
                stored.analysisVersion(),
                1,
                null,
                stored.precision(),
                stored.createdAt(),
                stored.updatedAt(),
                stored.metadata(),
                stored.rawSize(),
                payload);
    }

    /** The write fails naming {@code problem}, and memory and PostgreSQL still hold the entry stored first. */
    private void refusedKeepingTheStoredEntry(ThrowingCallable write, String problem) {
        assertThatThrownBy(write).hasMessageContaining(problem);
        assertThat(map.executeOnKey(key, new ReadVersion()))
                .as("version in memory")
                .isEqualTo(stored.version());
        assertThat(map.get(key).payload()).as("payload in memory").isEqualTo(stored.payload());
        assertThat(TableRows.query(
                        members.database.dataSource(),
                        "SELECT entry_version FROM audio_analysis_cache" + " WHERE file_metadata_id = '"
                                + key.fileMetadataId() + "'"))
                .as("row version")
                .isEqualTo(stored.version());
        assertThat(TableRows.query(
                        members.database.dataSource(),
                        "SELECT count(*) FROM audio_analysis_cache"
                                + " WHERE file_metadata_id = '" + key.fileMetadataId() + "' AND payload = decode('"
                                + java.util.HexFormat.of().formatHex(stored.payload()) + "', 'hex')"))
                .as("row payload")
                .isEqualTo(1);
    }

    @Test
    void set_ofACorruptedPayload_isRefusedByItsChecksum() {
        byte[] damaged = stored.payload().clone();
        damaged[damaged.length / 2] ^= 1;

        refusedKeepingTheStoredEntry(() -> map.set(key, withPayload(damaged)), "checksum mismatch");
    }

    @Test
    void set_ofAnotherFilesPayload_isRefusedNamingBoth() {
        AudioAnalysis other = TestAnalyses.distinctSmall(1, 120).get(0);
        byte[] foreign = entryOf(TestAnalyses.keyOf(key.owner(), other), other).payload();

        refusedKeepingTheStoredEntry(
                () -> map.set(key, withPayload(foreign)), "holds the payload of " + other.fileMetadataId());
    }

    @Test
    void set_overTheMembersLimit_isRefusedNamingTheLimit() {
        CachedAudioAnalysis big = entryOf(key, TestAnalyses.withFile(Corpus.first(), key.fileMetadataId()));
        assertThat(big.rawSize()).isGreaterThan(LIMIT);

        refusedKeepingTheStoredEntry(() -> map.set(key, big), "over this codec's limit of " + LIMIT + " decoded bytes");
    }

    @Test
    void set_ofAnEntryWhoseSizeFieldLies_isRefusedNamingBothSizes() {
        ClientConfig config = new ClientConfig().setClusterName("stemcache");
        HostileSerialization.lyingAboutSize(config.getSerializationConfig(), 1000);
        IMap<AnalysisKey, CachedAudioAnalysis> lying =
                members.factory.newHazelcastClient(config).getMap(NodeMembers.MAP);

        refusedKeepingTheStoredEntry(
                () -> lying.set(key, withPayload(stored.payload())),
                "size field says " + (stored.size() + 1000) + " bytes but its payload is " + stored.size() + " bytes");
    }

    /** Where memory lacks the key, the member keeps a written version (a load looks the same): none from the future. */
    @Test
    void set_ofAnEvictedKey_atAVersionFromTheFuture_isRefused() {
        map.evict(key);
        long future = EntryVersions.next(null, Instant.now().plus(Duration.ofDays(3650)));

        refusedKeepingTheStoredEntry(
                () -> map.set(key, withPayload(stored.payload()).withVersion(future)),
                "entry version " + future + " is more than 24 hours ahead of this member's clock");
    }

    @Test
    void set_ofAValueThatIsNoEntry_isRefused() {
        IMap<AnalysisKey, Object> untyped = client.getMap(NodeMembers.MAP);

        refusedKeepingTheStoredEntry(
                () -> untyped.set(key, "not an analysis"),
                "holds stemcache.CachedAudioAnalysis entries, not java.lang.String");
    }

    @Test
    void writeExactly_ofAnotherKeysEntry_isRefusedNamingTheIds() {
        AnalysisKey someoneElses = new AnalysisKey(Owner.user(UUID.randomUUID()), key.fileMetadataId(), key.stemType());
        CachedAudioAnalysis theirs = entryOf(
                        someoneElses,
                        TestAnalyses.withFile(TestAnalyses.distinctSmall(1, 120).get(0), key.fileMetadataId()))
                .withVersion(stored.version() + 1);

        refusedKeepingTheStoredEntry(
                () -> map.executeOnKey(key, new WriteExactly(theirs, WriteExactly.MAP_TTL)),
                "entry id " + someoneElses.entryId() + " is not its key's (" + key.entryId() + ")");
    }

    @Test
    void writeExactly_ofACorruptedPayload_isRefused() {
        byte[] damaged = stored.payload().clone();
        damaged[damaged.length - 1] ^= 1;

        refusedKeepingTheStoredEntry(
                () -> map.executeOnKey(
                        key,
                        new WriteExactly(withPayload(damaged).withVersion(stored.version() + 1), WriteExactly.MAP_TTL)),
                "checksum mismatch");
    }

    @Test
    void writeExactly_ofTheKeysDeletionMarker_passes() {
        map.executeOnKey(
                key,
                new WriteExactly(
                        CachedAudioAnalysis.deletion(key, stored.version() + 1, Instant.now()), WriteExactly.MAP_TTL));

        assertThat(map.executeOnKey(key, new ReadVersion())).isGreaterThan(stored.version());
        assertThat(map.get(key).isDeletion()).isTrue();
        assertThat(TableRows.query(
                        members.database.dataSource(),
                        "SELECT count(*) FROM audio_analysis_cache" + " WHERE file_metadata_id = '"
                                + key.fileMetadataId() + "'"))
                .as("rows left")
                .isZero();
    }
}
