package io.stemcache.node.maintenance;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.CachedAudioAnalysis;
import io.stemcache.core.Owner;
import io.stemcache.core.Precision;
import io.stemcache.core.StemType;
import io.stemcache.core.codec.AnalysisCodec;
import io.stemcache.core.testing.Corpus;
import io.stemcache.liquibase.testing.FreshDatabase;
import io.stemcache.node.NodeMembers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Members built as the node builds them ({@code hazelcast.yaml}, the PostgreSQL store and
 * {@link PostgresMemberServices} through {@link MemberConfigs}), in one JVM, over a fresh database.
 */
final class TestCluster implements AutoCloseable {

    static final String MAP = "analyses";
    static final int WRITE_DELAY_SECONDS = 1;

    /** Defaults without the scheduled cleanup, so that tests run it when they mean to. */
    static final MaintenanceSettings UNSCHEDULED = MaintenanceSettings.defaults(MAP)
            .withSchedule(false, java.time.Duration.ZERO, java.time.Duration.ofMinutes(5));

    private static final AudioAnalysis SMALL = Corpus.small(50);

    final FreshDatabase database;
    final TestRows rows;
    private final NodeMembers members;
    private final List<PostgresMemberServices> services = new ArrayList<>();

    TestCluster(String purpose) {
        members = new NodeMembers(FreshDatabase.createMigrated(purpose), WRITE_DELAY_SECONDS, 0, false);
        database = members.database;
        rows = new TestRows(database.dataSource());
    }

    /** A member whose services use the test database's pool. */
    HazelcastInstance member(MaintenanceSettings settings) {
        return member(settings, database.dataSource());
    }

    /** A member whose services use {@code servicesDataSource}; its store uses the test database's pool. */
    HazelcastInstance member(MaintenanceSettings settings, DataSource servicesDataSource) {
        PostgresMemberServices memberServices = new PostgresMemberServices(servicesDataSource, settings);
        services.add(memberServices);
        return members.member(memberServices, config -> {});
    }

    /** The services of the {@code index}th member started. */
    PostgresMemberServices services(int index) {
        return services.get(index);
    }

    List<PostgresMemberServices> allServices() {
        return List.copyOf(services);
    }

    HazelcastInstance client() {
        return members.client();
    }

    static IMap<AnalysisKey, CachedAudioAnalysis> map(HazelcastInstance instance) {
        return instance.getMap(MAP);
    }

    /** A small real entry of {@code key} at {@code cacheVersion}. */
    static CachedAudioAnalysis entry(AnalysisKey key, int cacheVersion) {
        AudioAnalysis analysis = new AudioAnalysis(
                key.fileMetadataId(),
                key.stemType(),
                SMALL.analysisVersion(),
                SMALL.analysisData(),
                SMALL.waveformData(),
                SMALL.metadata());
        return CachedAudioAnalysis.of(
                key, analysis, null, cacheVersion, Precision.FLOAT64, AnalysisCodec.standard(), Instant.now());
    }

    static AnalysisKey key(Owner owner, UUID file, StemType stem) {
        return new AnalysisKey(owner, file, stem);
    }

    static Owner user() {
        return Owner.user(UUID.randomUUID());
    }

    static Owner guest() {
        return Owner.guest("guest-" + UUID.randomUUID().toString().replace("-", ""));
    }

    /** Leaves the after-test invariant out, for a test that breaks it on purpose; {@code why} says how. */
    TestCluster withoutInvariant(String why) {
        members.withoutInvariant(why);
        return this;
    }

    /** Checks the after-test invariant ({@link NodeMembers#assertRowsMatchMemory()}), then stops and drops. */
    @Override
    public void close() {
        members.close();
    }
}
