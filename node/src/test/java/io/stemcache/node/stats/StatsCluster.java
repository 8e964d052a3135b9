package io.stemcache.node.stats;

import com.hazelcast.core.HazelcastInstance;
import io.stemcache.client.ClientSettings;
import io.stemcache.client.StemcacheClient;
import io.stemcache.core.AnalysisKey;
import io.stemcache.core.AudioAnalysis;
import io.stemcache.core.AudioCacheService;
import io.stemcache.core.Owner;
import io.stemcache.core.testing.Corpus;
import io.stemcache.liquibase.testing.FreshDatabase;
import io.stemcache.node.NodeMembers;
import io.stemcache.node.maintenance.MaintenanceSettings;
import io.stemcache.node.maintenance.PostgresMemberServices;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Members built as the node builds them (its {@code hazelcast.yaml}, a PostgreSQL store on a fresh
 * database) with their statistics running, several in one JVM, and API-node clients with the shipped
 * near-cache configuration.
 */
final class StatsCluster implements AutoCloseable {

    static final String MAP = "analyses";
    static final Duration FAST = Duration.ofMillis(100);

    final FreshDatabase database;
    private final NodeMembers members;
    private final Map<HazelcastInstance, MemberStats> stats = new LinkedHashMap<>();
    private final List<AudioCacheService> services = new ArrayList<>();
    private final List<MemberStatistics> embedded = new ArrayList<>();

    StatsCluster(String name) {
        members = new NodeMembers(FreshDatabase.createMigrated(name), 1, 0, false);
        database = members.database;
    }

    /** A member publishing every {@code publishInterval}. */
    HazelcastInstance member(Duration publishInterval) {
        return member(publishInterval, () -> null);
    }

    /** A member publishing every {@code publishInterval}, whose cleanup last finished at what {@code lastCleanup} says. */
    HazelcastInstance member(Duration publishInterval, Supplier<Instant> lastCleanup) {
        HazelcastInstance member = members.member(null, config -> {});
        stats.put(
                member,
                MemberStats.start(
                        member, MAP, members.lastStore().metrics()::storeFailures, lastCleanup, publishInterval));
        return member;
    }

    /**
     * A member embedded as {@link MemberStatistics} runs one: the node's {@link PostgresMemberServices} (scheduled
     * cleanup off, so operations sent to the {@code stemcache-ops} executor run on it), its counters published every
     * {@code publishInterval} and, while it is the oldest, a {@code cache_statistics} row every {@code persistInterval}.
     */
    HazelcastInstance embeddedMember(Duration publishInterval, Duration persistInterval) {
        PostgresMemberServices memberServices = new PostgresMemberServices(
                database.dataSource(),
                MaintenanceSettings.defaults(MAP).withSchedule(false, Duration.ZERO, Duration.ofMinutes(5)));
        HazelcastInstance member = members.member(memberServices, config -> {});
        embedded.add(MemberStatistics.start(
                member,
                MAP,
                members.lastStore(),
                memberServices,
                database.dataSource(),
                publishInterval,
                persistInterval));
        return member;
    }

    List<HazelcastInstance> members() {
        return List.copyOf(stats.keySet());
    }

    MemberStats statsOf(HazelcastInstance member) {
        return stats.get(member);
    }

    /** The service of a new API node (a Hazelcast client with the shipped near cache). */
    AudioCacheService apiNode() {
        HazelcastInstance client = members.client();
        AudioCacheService service = StemcacheClient.service(client, ClientSettings.defaults());
        services.add(service);
        return service;
    }

    /** {@code count} small analyses, each of its own file. */
    static List<AudioAnalysis> analyses(int count) {
        AudioAnalysis base = Corpus.small(200);
        List<AudioAnalysis> analyses = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            analyses.add(new AudioAnalysis(
                    UUID.randomUUID(),
                    base.stemType(),
                    base.analysisVersion(),
                    base.analysisData(),
                    base.waveformData(),
                    base.metadata()));
        }
        return analyses;
    }

    static AnalysisKey keyOf(Owner owner, AudioAnalysis analysis) {
        return new AnalysisKey(owner, analysis.fileMetadataId(), analysis.stemType());
    }

    @Override
    public void close() {
        for (AudioCacheService service : services) {
            if (service instanceof AutoCloseable closeable) { // publishes the API node's last counts
                try {
                    closeable.close();
                } catch (Exception e) {
                    throw new IllegalStateException("could not close " + service, e);
                }
            }
        }
        embedded.forEach(MemberStatistics::close);
        members.close();
    }
}
